import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TopologyInput } from '../../lambdas/domain/config/schema';
import {
  refusedPort,
  startDnsServer,
  startHttpServer,
  type RunningDnsServer,
  type RunningServer,
} from '../probes/loopback-servers';
import { runCheck } from '../../lambdas/cli/commands/check.command';
import { readTopologyFile } from '../../lambdas/adapters/topology-file';
import { captureIo, runCliCaptured } from './capture-io';
import { useTempDir } from './cli-files';

const files = useTempDir();
let web: RunningServer;
let dns: RunningDnsServer;
let refused: number;

beforeAll(async () => {
  [web, dns, refused] = await Promise.all([
    startHttpServer((_req, res) => res.end('ok')),
    startDnsServer(() => ({ rcode: 'NOERROR', answers: ['127.0.0.10', '127.0.0.99'] })),
    refusedPort(),
  ]);
});
afterAll(async () => {
  await Promise.all([web.close(), dns.close()]);
});

/** A loopback topology: web-a answers; web-b's port is closed unless `allUp`. */
function topologyPath(name: string, { allUp = false, failureThreshold = 3 } = {}): string {
  const topology: TopologyInput = {
    name: 'local',
    account: '123456789012',
    regions: [
      { name: 'eu-west-1', role: 'primary' },
      { name: 'eu-central-1', role: 'standby' },
    ],
    checks: { intervalSeconds: 1, timeoutMs: 500, failureThreshold, recoveryThreshold: 2 },
    servers: [
      {
        id: 'web-a',
        region: 'eu-west-1',
        ip: '127.0.0.10',
        probe: { type: 'http', url: `http://127.0.0.1:${web.port}/healthz` },
      },
      {
        id: 'web-b',
        region: 'eu-central-1',
        ip: '127.0.0.11',
        probe: { type: 'tcp', host: '127.0.0.1', port: allUp ? web.port : refused },
      },
    ],
    dns: [
      {
        id: 'www',
        hostedZoneId: 'Z123',
        name: 'www.local.test',
        type: 'A',
        nameservers: [dns.nameserver],
        targets: [{ endpoint: 'web-a' }, { endpoint: 'web-b' }],
      },
    ],
  };
  return files.write(name, topology);
}

describe('failover-guard check', () => {
  it('prints a table of every target and exits 1 when one is down', async () => {
    // Act
    const run = await runCliCaptured('check', topologyPath('one-down.json'));
    // Assess
    expect(run.exitCode).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^TARGET\s+KIND\s+REGION\s+STATE\s+LATENCY\s+ERROR$/);
    expect(lines[1]).toMatch(/^web-a\s+http\s+eu-west-1\s+UP\s+[\d.]+ ms\s+-$/);
    expect(lines[2]).toMatch(
      /^web-b\s+tcp\s+eu-central-1\s+DOWN\s+[\d.]+ ms\s+ECONNREFUSED \(connect ECONNREFUSED 127\.0\.0\.1:\d+\)$/,
    );
    expect(lines[3]).toMatch(
      new RegExp(`^www@${dns.nameserver}\\s+dns\\s+-\\s+UP\\s+[\\d.]+ ms\\s+warning: drift: 127\\.0\\.0\\.99$`),
    );
    expect(lines.slice(4)).toEqual(['', '3 targets: 2 UP, 1 DOWN', '']);
  });

  it('exits 0 when every target is up', async () => {
    const run = await runCliCaptured('check', topologyPath('all-up.json', { allUp: true }));
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('3 targets: 3 UP');
  });

  it('prints JSON for scripts with each observation', async () => {
    // Act
    const run = await runCliCaptured('check', topologyPath('json.json'), '--json', '--checker', 'eu-central-1');
    // Assess
    const report = JSON.parse(run.stdout);
    expect(run.exitCode).toBe(1);
    expect(report.healthy).toBe(false);
    expect(report.targets).toHaveLength(3);
    expect(report.targets[1]).toMatchObject({
      targetId: 'web-b',
      kind: 'tcp',
      region: 'eu-central-1',
      state: 'DOWN',
      down: true,
      error: 'ECONNREFUSED',
      checker: 'eu-central-1',
    });
    expect(report.targets[2]).toMatchObject({
      kind: 'dns',
      dns: { answers: ['127.0.0.10', '127.0.0.99'], unexpected: ['127.0.0.99'] },
    });
  });

  it('with --watch, advances the health state machine each cycle and reports transitions', async () => {
    // Act
    const run = await runCliCaptured(
      'check',
      topologyPath('watch.json', { failureThreshold: 2 }),
      '--watch',
      '--cycles',
      '2',
      '--json',
    );
    // Assess: web-b fails twice, so HEALTHY → SUSPECT → UNHEALTHY; a SUSPECT target is not healthy either
    const cycles = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(cycles.map((c) => [c.cycle, c.healthy])).toEqual([
      [1, false],
      [2, false],
    ]);
    expect(cycles.map((c) => c.targets.find((t: { targetId: string }) => t.targetId === 'web-b').state)).toEqual([
      'SUSPECT',
      'UNHEALTHY',
    ]);
    expect(cycles[1].transitions).toMatchObject([{ targetId: 'web-b', from: 'SUSPECT', to: 'UNHEALTHY' }]);
    expect(run.exitCode).toBe(1);
  });

  it('with --watch as a table, prints each cycle with its transitions, and a failing SUSPECT target exits 1', async () => {
    const run = await runCliCaptured('check', topologyPath('watch-table.json'), '--watch', '--cycles', '1');
    expect(run.stdout).toMatch(/== cycle 1 at \S+Z\n\S+Z {2}web-b: HEALTHY → SUSPECT \(ECONNREFUSED\)\nTARGET/);
    expect(run.stdout).toContain('3 targets: 2 HEALTHY, 1 SUSPECT');
    expect(run.exitCode).toBe(1);
  });

  it('with --watch, every target up after the last cycle exits 0', async () => {
    const run = await runCliCaptured(
      'check',
      topologyPath('watch-up.json', { allUp: true }),
      '--watch',
      '--cycles',
      '1',
      '--json',
    );
    expect(JSON.parse(run.stdout)).toMatchObject({ cycle: 1, healthy: true });
    expect(run.exitCode).toBe(0);
  });

  it('ends --watch on Ctrl-C with a "stopped" line and the last cycle\'s verdict', async () => {
    const { io, result } = captureIo();
    const interrupt = new AbortController();
    const topology = await readTopologyFile(topologyPath('watch-stop.json', { allUp: true }));
    const code = await runCheck(
      topology,
      { watch: true, checker: 'local' },
      {
        ...io,
        stdout: (text) => {
          io.stdout(text);
          interrupt.abort();
        },
      },
      interrupt.signal,
    );
    expect(code).toBe(0);
    expect(result().stderr).toBe('stopped after 1 cycle: every target up\n');
  });

  it('exits 2 and names the path of every problem in a bad config', async () => {
    const path = files.write('bad.json', { name: 'local', account: '1', regions: [] });
    const run = await runCliCaptured('check', path);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('account: is not a 12-digit AWS account id');
    expect(run.stderr).toContain('regions: needs at least one region');
  });

  it('exits 2 when --cycles comes without --watch', async () => {
    const run = await runCliCaptured('check', topologyPath('cycles-alone.json', { allUp: true }), '--cycles', '2');
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('--cycles only applies with --watch');
  });

  it('says so when the config has nothing to probe', async () => {
    const path = files.write('empty.json', {
      name: 'local',
      account: '123456789012',
      regions: [{ name: 'eu-west-1', role: 'primary' }],
    });
    const run = await runCliCaptured('check', path);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(
      'no targets: the config has no servers, load balancers, databases or DNS records with nameservers',
    );
  });

  it.each([
    ['--cycles', '0'],
    ['--concurrency', 'many'],
  ])('exits 2 on %s %s', async (option, value) => {
    const run = await runCliCaptured(
      'check',
      topologyPath(`bad-option-${option}.json`, { allUp: true }),
      '--watch',
      option,
      value,
    );
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(`${option} must be a whole number ≥ 1, got "${value}"`);
  });
});
