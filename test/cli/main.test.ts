import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildProgram, runCli } from '../../lambdas/cli/main';
import { captureIo, runCliCaptured } from './capture-io';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const commandNames = buildProgram(captureIo().io).commands.map((c) => c.name());

describe('failover-guard (the program)', () => {
  it('registers validate, schema and audit', () => {
    expect(commandNames).toEqual(expect.arrayContaining(['validate', 'schema', 'audit']));
  });

  it.each(commandNames)('gives "%s" a description, examples and --help that exits 0', async (name) => {
    // Act
    const run = await runCliCaptured(name, '--help');
    // Assess
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^Usage: failover-guard ${name}`));
    expect(run.stdout).toContain('Examples:');
    expect(
      buildProgram(captureIo().io)
        .commands.find((c) => c.name() === name)
        ?.description(),
    ).not.toBe('');
  });

  it('lists every command in the top-level --help and exits 0', async () => {
    // Act
    const run = await runCliCaptured('--help');
    // Assess
    expect(run.exitCode).toBe(0);
    for (const name of commandNames) expect(run.stdout).toContain(`  ${name}`);
  });

  it('exits 2 with a suggestion on an unknown command', async () => {
    // Act
    const run = await runCliCaptured('vaildate', 'x.json');
    // Assess
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("error: unknown command 'vaildate'");
    expect(run.stderr).toContain('(Did you mean validate?)');
  });

  it('exits 2 on an unknown option', async () => {
    // Act
    const run = await runCliCaptured('audit', 'x.json', '--yaml');
    // Assess
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("error: unknown option '--yaml'");
  });

  it.each([['help', 'validate'], ['validate', '--help'], ['--help'], ['help']])(
    'exits 0 on a help request: %s %s',
    async (...args) => {
      // Act
      const run = await runCliCaptured(...args.filter(Boolean));
      // Assess
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toMatch(/^Usage: failover-guard/);
    },
  );

  it.each(['plan', 'status'])(
    '%s refuses a --region outside the topology with exit 2, before any AWS call',
    async (command) => {
      const run = await runCliCaptured(command, 'examples/two-region.json', '--region', 'us-west-2', '--table', 't');
      expect(run).toEqual({
        stdout: '',
        stderr: 'error: --region "us-west-2" is not one of the topology\'s regions (eu-west-1, eu-central-1)\n',
        exitCode: 2,
      });
    },
  );

  it('prints the package version with --version and exits 0', async () => {
    // Act
    const run = await runCliCaptured('--version');
    // Assess
    expect(run).toEqual({
      stdout: `${JSON.parse(readFileSync(`${repoRoot}package.json`, 'utf8')).version}\n`,
      stderr: '',
      exitCode: 0,
    });
  });

  it('exits 3 (the environment) and names the error when a command fails unexpectedly', async () => {
    // Prepare
    const { io, result } = captureIo();
    const failing = {
      ...io,
      stdout: () => {
        throw new Error('stdout closed', { cause: new Error('EPIPE') });
      },
    };
    // Act
    await runCli(['schema'], failing);
    // Assess
    expect(result()).toMatchObject({ stderr: 'error: stdout closed (cause: EPIPE)\n', exitCode: 3 });
  });
});
