import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTopology } from '../../lambdas/domain/config/load';
import type { ProbeTarget } from '../../lambdas/domain/config/targets';
import { mapConcurrently } from '../../lambdas/probes/concurrency-limit';
import { probeTargetsConcurrently, probeTopology } from '../../lambdas/probes/probe-engine';
import {
  expectNothingOpen,
  loopback,
  refusedPort,
  startDnsServer,
  startHttpServer,
  startSilentListener,
  type RunningDnsServer,
  type RunningServer,
} from './loopback-servers';
import { httpProbe } from './probe-configs';

const checks = {
  intervalSeconds: 10,
  timeoutMs: 300,
  failureThreshold: 3,
  recoveryThreshold: 2,
  certificateWarningDays: 14,
};

describe('mapConcurrently', () => {
  it('never runs more than the limit at once and keeps the input order', async () => {
    // Prepare
    let inFlight = 0;
    let mostInFlight = 0;
    const work = async (n: number) => {
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, (n * 7) % 5));
      inFlight -= 1;
      return n * 2;
    };
    // Act
    const results = await mapConcurrently(
      Array.from({ length: 40 }, (_, i) => i),
      3,
      work,
    );
    // Assess
    expect(results).toEqual(Array.from({ length: 40 }, (_, i) => i * 2));
    expect(mostInFlight).toBe(3);
  });

  it('handles an empty list', async () => {
    expect(await mapConcurrently([], 5, async () => 1)).toEqual([]);
  });

  it.each([0, -1, 1.5])('refuses the limit %s', async (limit) => {
    await expect(mapConcurrently([1], limit, async () => 1)).rejects.toThrow(/concurrency limit/);
  });
});

describe('probeTargetsConcurrently', () => {
  let slow: RunningServer;
  let open = 0;
  let mostOpen = 0;

  beforeAll(async () => {
    slow = await startHttpServer((_req, res) => {
      open += 1;
      mostOpen = Math.max(mostOpen, open);
      setTimeout(() => {
        open -= 1;
        res.end('ok');
      }, 20);
    });
  });
  afterAll(() => slow.close());

  it('keeps at most `concurrency` probes in flight against real servers and returns one observation per target', async () => {
    // Prepare
    const targets: ProbeTarget[] = Array.from({ length: 12 }, (_, i) => ({
      id: `web-${i}`,
      region: 'eu-west-1',
      role: 'server',
      probe: httpProbe(`http://${loopback}:${slow.port}/`),
      checks: { ...checks, timeoutMs: 2_000 },
    }));
    // Act
    const observations = await probeTargetsConcurrently(targets, { concurrency: 4, checker: 'eu-west-1' });
    // Assess
    expect(observations.map((o) => o.targetId)).toEqual(targets.map((t) => t.id));
    expect(observations.every((o) => o.ok && o.checker === 'eu-west-1')).toBe(true);
    expect(mostOpen).toBe(4);
    await expectNothingOpen(slow);
  });
});

describe('probeTopology', () => {
  let web: RunningServer;
  let silent: RunningServer;
  let dns: RunningDnsServer;
  let refused: number;

  beforeAll(async () => {
    [web, silent, dns, refused] = await Promise.all([
      startHttpServer((_req, res) => res.end('ok')),
      startSilentListener(),
      startDnsServer(() => ({ rcode: 'NOERROR', answers: ['127.0.0.10'] })),
      refusedPort(),
    ]);
  });
  afterAll(async () => {
    await Promise.all([web.close(), silent.close(), dns.close()]);
  });

  it('probes every endpoint and every record at each nameserver, each with its own outcome', async () => {
    // Prepare
    const topology = parseTopology({
      name: 'local',
      account: '123456789012',
      regions: [
        { name: 'eu-west-1', role: 'primary' },
        { name: 'eu-central-1', role: 'standby' },
      ],
      checks: { timeoutMs: 300, intervalSeconds: 5 },
      servers: [
        {
          id: 'web-a',
          region: 'eu-west-1',
          ip: '127.0.0.10',
          probe: { type: 'http', url: `http://${loopback}:${web.port}/healthz` },
        },
        {
          id: 'web-b',
          region: 'eu-central-1',
          ip: '127.0.0.11',
          probe: { type: 'http', url: `http://${loopback}:${silent.port}/healthz` },
        },
      ],
      loadBalancers: [{ id: 'nlb-a', region: 'eu-west-1', probe: { type: 'tcp', host: loopback, port: web.port } }],
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
      databases: [
        {
          id: 'orders',
          engine: 'rds-instance',
          primary: {
            id: 'orders-primary',
            region: 'eu-west-1',
            identifier: 'orders-primary',
            endpoint: { host: loopback, port: refused },
          },
          writerDns: { hostedZoneId: 'Z123', name: 'db.local.test' },
        },
      ],
    });
    // Act
    const observations = await probeTopology(topology, { checker: 'eu-central-1' });
    // Assess
    const outcome = Object.fromEntries(observations.map((o) => [o.targetId, [o.kind, o.ok, o.error]]));
    expect(outcome).toEqual({
      'web-a': ['http', true, undefined],
      'web-b': ['http', false, 'ETIMEDOUT'],
      'nlb-a': ['tcp', true, undefined],
      'orders-primary': ['tcp', false, 'ECONNREFUSED'],
      [`www@${dns.nameserver}`]: ['dns', true, undefined],
    });
    expect(observations.every((o) => o.checker === 'eu-central-1')).toBe(true);
    await Promise.all([expectNothingOpen(web), expectNothingOpen(silent)]);
  });
});
