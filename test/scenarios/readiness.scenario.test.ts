// Readiness, continuously: each rule through a whole story on the in-memory cloud — ready, then
// broken (a "not ready" row and one readiness.lost notice, not repeated), then fixed (one
// readiness.restored notice). Two checkers run (both guard regions), readiness every 60 s.
import { describe, expect, it } from 'vitest';
import { readGuardState } from '../../lambdas/engine/state/guard-state';
import type { RecordSet } from '../../lambdas/ports/dns.port';
import {
  attachHealthChecks,
  certificateDays,
  editSet,
  expectToldOnce,
  period,
  readinessNotices,
  readyWorld,
  story,
  TG,
} from './readiness-fixtures';
import { ZONE } from './engine-harness';

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
