// `drill --serve` and `drill --pause`: the loopback world on the topology's own ports, so a person can
// query it from another terminal — here, a real DNS client and the check command do.
import { Resolver } from 'node:dns/promises';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerDrillCommand, type DrillTerminal } from '../../lambdas/cli/commands/drill.command';
import { runCheck } from '../../lambdas/cli/commands/check.command';
import { readTopologyFile } from '../../lambdas/adapters/topology-file';
import { defaultDrillTopologyPath } from '../../lambdas/drill/drill-topology';
import { captureIo } from '../cli/capture-io';
import { useTempDir } from '../cli/cli-files';

const temp = useTempDir();

/** A port free on 127.0.9.1 now (the test's addresses are 127.0.9.x, so it is free there too). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen({ host: '127.0.9.1', port: 0 }, resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** examples/local.json moved to 127.0.9.x and one free port, so it cannot collide with anything else. */
async function movedDrillTopology(name: string): Promise<{ path: string; port: number }> {
  const port = await freePort();
  const text = readFileSync(defaultDrillTopologyPath, 'utf8')
    .replace(
      /127\.0\.(\d+)\.(\d+)/g,
      (_all, third: string, fourth: string) => `127.0.9.${Number(third) * 60 + (Number(fourth) % 60)}`,
    )
    .replace(/:(18080|18081|15353|\d{4,5})\b/g, `:${port}`)
    .replace(/"port": \d+/g, `"port": ${port}`);
  const path = `${temp.dir}/${name}`;
  writeFileSync(path, text);
  return { path, port };
}

function drillProgram(terminal: DrillTerminal) {
  const { io, result } = captureIo();
  const program = new Command('failover-guard').exitOverride();
  registerDrillCommand(program, io, terminal);
  return { program, io, result };
}

describe('failover-guard drill --serve', () => {
  it("serves the world on the topology's own ports with the guard running, answers dig and check, and stops on Ctrl-C", {
    timeout: 60_000,
  }, async () => {
    // Prepare
    const { path, port } = await movedDrillTopology('serve.json');
    const interrupt = new AbortController();
    let resolveServing: () => void = () => {};
    const serving = new Promise<void>((resolve) => (resolveServing = resolve));
    const { program, io, result } = drillProgram({ nextLine: async () => true, interrupted: () => interrupt.signal });
    const write = io.stdout;
    io.stdout = (text) => {
      write(text);
      if (text.includes('Ctrl-C stops it')) resolveServing();
    };
    // Act
    const run = program.parseAsync(['drill', '--serve', '--config', path], { from: 'user' });
    await serving;
    const resolver = new Resolver({ timeout: 2_000, tries: 2 });
    resolver.setServers([`127.0.9.53:${port}`]);
    const answers = await resolver.resolve4('www.shop.drill.test');
    const checkIo = captureIo();
    const topology = await readTopologyFile(path);
    const checked = await runCheck(
      { ...topology, checks: { ...topology.checks, timeoutMs: 10_000 } },
      { checker: 'local' },
      checkIo.io,
    );
    interrupt.abort();
    await run;
    // Assess
    expect(result().stdout).toContain(`dig @127.0.9.53 -p ${port} www.shop.drill.test`);
    expect(result().stdout).toMatch(new RegExp(`\\n  web-dub-a +127\\.0\\.9\\.71:${port}\\n`));
    expect(result().stdout).toContain(`npx --no-install failover-guard check ${path}`);
    expect(answers.sort()).toEqual(['127.0.9.101', '127.0.9.102'].sort());
    expect(checkIo.result().stdout).not.toContain('DOWN');
    expect(checked).toBe(0);
    expect(result().stdout).toMatch(/stopped: every endpoint and the DNS server are closed\n$/);
  });
});

describe('failover-guard drill --pause', () => {
  it('holds each verified state until Enter, so dig sees the pulled IP gone and then back', {
    timeout: 90_000,
  }, async () => {
    // Prepare
    const { path, port } = await movedDrillTopology('pause.json');
    const seenAtHolds: string[][] = [];
    const resolver = new Resolver({ timeout: 2_000, tries: 2 });
    resolver.setServers([`127.0.9.53:${port}`]);
    const { program, result } = drillProgram({
      nextLine: async () => {
        seenAtHolds.push((await resolver.resolve4('origin.shop.drill.test')).sort());
        return true;
      },
      interrupted: () => new AbortController().signal,
    });
    // Act
    await program.parseAsync(['drill', '--config', path, '--scenario', 'server-down', '--pause', '--speed', '2'], {
      from: 'user',
    });
    // Assess: the first server of the primary region (127.0.9.71) is out at the first hold, back at the second
    expect(result().stdout).toContain(
      `HOLD     verified: 127.0.9.71 pulled from origin.shop.drill.test\n         look: dig @127.0.9.53 -p ${port} www.shop.drill.test   (Enter goes on)`,
    );
    expect(seenAtHolds).toHaveLength(2);
    expect(seenAtHolds[0]).not.toContain('127.0.9.71');
    expect(seenAtHolds[1]).toContain('127.0.9.71');
  });
});
