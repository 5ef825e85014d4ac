// Readiness, continuously: each rule through a whole story on the in-memory cloud — ready, then
// broken (a "not ready" row and one readiness.lost notice, not repeated), then fixed (one
// readiness.restored notice). Two checkers run (both guard regions), readiness every 60 s.
import { describe, expect, it } from 'vitest';
import type { Observation } from '../../lambdas/domain/observation';
import { runCycle } from '../../lambdas/engine';
import { readGuardState } from '../../lambdas/engine/state/guard-state';
import type { RecordSet } from '../../lambdas/ports/dns.port';
import { member, WRITER } from './database-fixtures';
import { CYCLE_MS, harness, webTopology, ZONE, type Harness } from './engine-harness';

const TG = 'arn:aws:elasticloadbalancing:eu-central-1:123456789012:targetgroup/web-fra/0123456789abcdef';
const CHECKERS = ['eu-west-1', 'eu-central-1'];
/** Cycles in one readiness period (readinessCheckSeconds 60, a 10 s interval). */
const PERIOD_CYCLES = 6;

function readyWorld(): Harness {
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
const certificateDays = new Map<string, number>([['lb-fra', 200]]);

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
async function period(h: Harness, stopped: ReadonlySet<string> = new Set()): Promise<void> {
  for (let i = 0; i < PERIOD_CYCLES; i += 1) {
    for (const checker of CHECKERS.filter((c) => !stopped.has(c)))
      await runCycle(h.context({ checker, probe: withCertificates(h, checker) }));
    h.cloud.advance(CYCLE_MS);
  }
}

/** Replaces the record's set `setIdentifier` with `change(set)`, compare-and-swap as Route 53 takes it. */
async function editSet(h: Harness, setIdentifier: string, change: (set: RecordSet) => RecordSet): Promise<void> {
  const sets = await h.cloud.dns.listRecordSets(ZONE, 'origin.shop.example.com', 'A');
  const set = sets.find((s) => s.setIdentifier === setIdentifier)!;
  await h.cloud.dns.changeRecordSets(ZONE, [
    { action: 'DELETE', recordSet: set },
    { action: 'CREATE', recordSet: change(set) },
  ]);
}

async function attachHealthChecks(h: Harness): Promise<void> {
  await editSet(h, 'dub', (s) => ({ ...s, healthCheckId: 'hc-eu-west-1' }));
  await editSet(h, 'fra', (s) => ({ ...s, healthCheckId: 'hc-eu-central-1' }));
}

const readinessNotices = (h: Harness) => h.notifications().filter((n) => n.eventType.startsWith('readiness.'));

/** The story every rule goes through: ready, broken for two periods (told once), fixed (told once). */
async function story(h: Harness, breakIt: () => unknown, fixIt: () => unknown) {
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

function expectToldOnce(result: Awaited<ReturnType<typeof story>>, rule: string, resource: string, why: RegExp) {
  expect(result.whileReady).toBe(0);
  expect(result.lost.map((n) => n.eventType)).toEqual(['readiness.lost']);
  expect(result.notReady).toEqual([{ rule, resource, why: expect.stringMatching(why) }]);
  expect(result.all.map((n) => n.eventType)).toEqual(['readiness.lost', 'readiness.restored']);
  expect(result.all[1]!.severity).toBe('info');
  expect(result.all[1]!.reason).toContain(`${rule}|${resource}`);
}

describe('readiness, continuously', () => {
  it('database-replica: the standby replica lags over maxLagSeconds → not ready, told once → lag back → ready again', async () => {
    const h = readyWorld();
    const result = await story(
      h,
      () => h.cloud.setLag('orders-fra', 120),
      () => h.cloud.setLag('orders-fra', 2),
    );
    expectToldOnce(result, 'database-replica', 'orders@eu-central-1', /lag 120s is over maxLagSeconds 30/);
    expect(result.lost[0]!.subject).toContain('not ready for failover: 1 check(s) fail (database-replica orders@');
  });

  it('standby-load-balancer: the standby target group has no healthy target → not ready → healthy again → ready', async () => {
    const h = readyWorld();
    const result = await story(
      h,
      () => h.cloud.setTargetHealth(TG, '10.1.0.1', 'unhealthy', 'Target.Timeout'),
      () => h.cloud.setTargetHealth(TG, '10.1.0.1', 'healthy'),
    );
    expectToldOnce(result, 'standby-load-balancer', `lb-fra ${TG}`, /0 of 1 targets healthy \(minHealthyTargets 1\)/);
  });

  it('standby-record: the standby target stops answering → not ready → it answers → ready', async () => {
    const h = readyWorld();
    const result = await story(
      h,
      () => h.probe.fail('web-s'),
      () => h.probe.recover('web-s'),
    );
    expectToldOnce(result, 'standby-record', 'origin.shop.example.com@eu-central-1', /0 HEALTHY target\(s\) there/);
  });

  it('certificate: the standby certificate gets within the warning days → not ready → renewed → ready', async () => {
    const h = readyWorld();
    const result = await story(
      h,
      () => void certificateDays.set('lb-fra', 5),
      () => void certificateDays.set('lb-fra', 200),
    );
    expectToldOnce(result, 'certificate', 'lb-fra', /expires in 5 day\(s\)/);
  });

  it('record-health-check: a failover set loses its health check → not ready → attached again → ready', async () => {
    const h = readyWorld();
    const result = await story(
      h,
      () => editSet(h, 'fra', ({ healthCheckId: _dropped, ...s }) => s),
      () => editSet(h, 'fra', (s) => ({ ...s, healthCheckId: 'hc-eu-central-1' })),
    );
    expectToldOnce(result, 'record-health-check', 'origin.shop.example.com [fra]', /no health check/);
  });

  it('guard-heartbeat: the standby region’s checker stops → not ready → it runs again → ready', async () => {
    const h = readyWorld();
    await attachHealthChecks(h);
    await period(h);
    const stopped = new Set(['eu-central-1']);
    for (let i = 0; i < 4; i += 1) await period(h, stopped);
    const lost = readinessNotices(h);
    await period(h);
    await period(h);
    expect(lost.map((n) => n.eventType)).toEqual(['readiness.lost']);
    expect(lost[0]!.reason).toMatch(/guard-heartbeat eu-central-1: heartbeat \d+s old/);
    expect(readinessNotices(h).map((n) => n.eventType)).toEqual(['readiness.lost', 'readiness.restored']);
  });

  it('drift: a record set the topology does not name appears → not ready → deleted → ready', async () => {
    const h = readyWorld();
    const stray: RecordSet = {
      name: 'origin.shop.example.com',
      type: 'A',
      ttl: 60,
      values: ['10.9.9.9'],
      setIdentifier: 'stray',
      failover: 'SECONDARY',
    };
    const result = await story(
      h,
      () => h.cloud.dns.changeRecordSets(ZONE, [{ action: 'CREATE', recordSet: { ...stray, healthCheckId: 'hc-x' } }]),
      () => h.cloud.dns.changeRecordSets(ZONE, [{ action: 'DELETE', recordSet: { ...stray, healthCheckId: 'hc-x' } }]),
    );
    expect(result.notReady.map((f) => `${f.rule} ${f.resource}`)).toContain('drift origin.shop.example.com [stray]');
    expect(result.all.map((n) => n.eventType)).toEqual(['readiness.lost', 'readiness.restored']);
  });

  it('drift: a replica deleted in RDS → not ready, named as in the topology but not in RDS', async () => {
    const h = readyWorld();
    await attachHealthChecks(h);
    await period(h);
    h.cloud.failInstance('orders-r1', 'deleted');
    await period(h);
    const notReady = (await readGuardState(h.cloud.store)).state.readiness.notReady;
    expect(notReady).toContainEqual({
      rule: 'drift',
      resource: 'orders-r1',
      why: 'orders-r1 is in the topology (orders) but not in RDS in eu-west-1',
    });
    expect(readinessNotices(h).map((n) => n.eventType)).toEqual(['readiness.lost']);
  });
});
