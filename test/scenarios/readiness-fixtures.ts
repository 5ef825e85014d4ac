// The readiness scenarios' world and story: a two-region shop (a failover record, a database with a
// replica in each region, a standby load balancer) ready for failover, two checkers (both guard regions)
// evaluating readiness every 60 s, and a story each rule goes through — ready, broken (a "not ready" row
// and one readiness.lost notice, not repeated), then fixed (one readiness.restored notice).
import { expect } from 'vitest';
import type { Observation } from '../../lambdas/domain/observation';
import { runCycle } from '../../lambdas/engine';
import { readGuardState } from '../../lambdas/engine/state/guard-state';
import type { RecordSet } from '../../lambdas/ports/dns.port';
import { member, WRITER } from './database-fixtures';
import { CYCLE_MS, harness, webTopology, ZONE, type Harness } from './engine-harness';

export const TG = 'arn:aws:elasticloadbalancing:eu-central-1:123456789012:targetgroup/web-fra/0123456789abcdef';
const CHECKERS = ['eu-west-1', 'eu-central-1'];
/** Cycles in one readiness period (readinessCheckSeconds 60, a 10 s interval). */
const PERIOD_CYCLES = 6;

/** `dataPlaneFailover`: the failover record is marked, so its sets must carry the guard's own health checks. */
export function readyWorld(options: { dataPlaneFailover?: boolean } = {}): Harness {
  const h = harness(
    webTopology({
      loadBalancers: [
        {
          id: 'lb-fra',
          region: 'eu-central-1',
          probe: { type: 'https', url: 'https://10.1.0.9/healthz' },
          targetGroups: [TG],
          ips: ['10.1.0.9'],
        },
      ],
      dns: [
        {
          id: 'origin',
          hostedZoneId: ZONE,
          name: 'origin.shop.example.com',
          type: 'A',
          routing: 'failover',
          targets: [
            { endpoint: 'web-a', setIdentifier: 'dub' },
            { endpoint: 'web-s', setIdentifier: 'fra' },
          ],
          dataPlaneFailover: options.dataPlaneFailover ?? false,
        },
      ],
      databases: [
        {
          id: 'orders',
          engine: 'rds-instance',
          primary: member('orders-primary', 'eu-west-1', 'orders-primary'),
          replicas: [member('orders-r1', 'eu-west-1', 'orders-r1'), member('orders-fra', 'eu-central-1', 'orders-fra')],
          writerDns: { hostedZoneId: ZONE, name: WRITER, ttl: 30 },
        },
      ],
      guard: { cooldownSeconds: 0, readinessCheckSeconds: 60 },
    }),
  );
  for (const id of ['orders-r1', 'orders-fra']) h.cloud.setLag(id, 2);
  return h;
}

/** Days left on each HTTPS endpoint's certificate, as its probe reports it. */
export const certificateDays = new Map<string, number>([['lb-fra', 200]]);

function withCertificates(h: Harness, checker: string) {
  const probe = h.probe.probeFor(h.cloud.now, checker);
  return async (...args: Parameters<typeof probe>): Promise<Observation[]> =>
    (await probe(...args)).map((o) => {
      const days = certificateDays.get(o.targetId);
      if (o.kind !== 'https' || days === undefined) return o;
      const validTo = new Date(h.cloud.now().getTime() + days * 86_400_000).toISOString();
      return { ...o, certificate: { validTo, daysLeft: days, expiringSoon: days <= 14 } };
    });
}

/** Runs one readiness period: a cycle of every running checker, then the clock moves 10 s. */
export async function period(h: Harness, stopped: ReadonlySet<string> = new Set()): Promise<void> {
  for (let i = 0; i < PERIOD_CYCLES; i += 1) {
    for (const checker of CHECKERS.filter((c) => !stopped.has(c)))
      await runCycle(h.context({ checker, probe: withCertificates(h, checker) }));
    h.cloud.advance(CYCLE_MS);
  }
}

/** Replaces the record's set `setIdentifier` with `change(set)`, compare-and-swap as Route 53 takes it. */
export async function editSet(h: Harness, setIdentifier: string, change: (set: RecordSet) => RecordSet): Promise<void> {
  const sets = await h.cloud.dns.listRecordSets(ZONE, 'origin.shop.example.com', 'A');
  const set = sets.find((s) => s.setIdentifier === setIdentifier)!;
  await h.cloud.dns.changeRecordSets(ZONE, [
    { action: 'DELETE', recordSet: set },
    { action: 'CREATE', recordSet: change(set) },
  ]);
}

export async function attachHealthChecks(h: Harness): Promise<void> {
  await editSet(h, 'dub', (s) => ({ ...s, healthCheckId: 'hc-eu-west-1' }));
  await editSet(h, 'fra', (s) => ({ ...s, healthCheckId: 'hc-eu-central-1' }));
}

export const readinessNotices = (h: Harness) => h.notifications().filter((n) => n.eventType.startsWith('readiness.'));

/** The story every rule goes through: ready, broken for two periods (told once), fixed (told once). */
export async function story(h: Harness, breakIt: () => unknown, fixIt: () => unknown) {
  await attachHealthChecks(h);
  await period(h);
  const whileReady = readinessNotices(h).length;
  await breakIt();
  await period(h);
  await period(h);
  const lost = readinessNotices(h);
  const notReady = (await readGuardState(h.cloud.store)).state.readiness.notReady;
  await fixIt();
  await period(h);
  await period(h);
  return { whileReady, lost, notReady, all: readinessNotices(h) };
}

export function expectToldOnce(result: Awaited<ReturnType<typeof story>>, rule: string, resource: string, why: RegExp) {
  expect(result.whileReady).toBe(0);
  expect(result.lost.map((n) => n.eventType)).toEqual(['readiness.lost']);
  expect(result.notReady).toEqual([{ rule, resource, why: expect.stringMatching(why) }]);
  expect(result.all.map((n) => n.eventType)).toEqual(['readiness.lost', 'readiness.restored']);
  expect(result.all[1]!.severity).toBe('info');
  expect(result.all[1]!.reason).toContain(`${rule}|${resource}`);
}
