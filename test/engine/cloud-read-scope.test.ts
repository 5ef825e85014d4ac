import { describe, expect, it } from 'vitest';
import { parseTopology } from '../../lambdas/domain/config/load';
import type { CheckerView, HealthStatus } from '../../lambdas/domain/health/types';
import { emptyGuardState, newRunbook, type GuardState } from '../../lambdas/engine';
import type { DatabaseRunbook } from '../../lambdas/engine/state/runbook-kinds';
import { cloudReadScope, driftReadDue } from '../../lambdas/engine/cloud-read-scope';

const ZONE = 'Z0123456789ABCDEFGHIJ';
const IDLE = new Date('2025-03-01T12:01:10.000Z');
const member = (id: string) => ({
  id,
  region: 'eu-west-1',
  identifier: id,
  endpoint: { host: `${id}.example.com`, port: 5432 },
});
const topology = parseTopology({
  name: 'shop',
  account: '123456789012',
  regions: [{ name: 'eu-west-1', role: 'primary' }],
  servers: ['a', 'b', 'c'].map((n, i) => ({
    id: `web-${n}`,
    region: 'eu-west-1',
    ip: `10.0.0.${i + 1}`,
    probe: { type: 'tcp', host: `10.0.0.${i + 1}`, port: 80 },
  })),
  dns: [
    {
      id: 'www',
      hostedZoneId: ZONE,
      name: 'www.example.com',
      type: 'A',
      targets: [{ endpoint: 'web-a' }, { endpoint: 'web-b' }],
    },
    { id: 'api', hostedZoneId: ZONE, name: 'api.example.com', type: 'A', targets: [{ endpoint: 'web-c' }] },
  ],
  databases: [
    {
      id: 'orders',
      engine: 'rds-instance',
      primary: member('db-p'),
      replicas: [member('db-r1'), member('db-r2')],
      writerDns: { hostedZoneId: ZONE, name: 'db.example.com' },
    },
  ],
});
const ENDPOINTS = ['web-a', 'web-b', 'web-c', 'db-p', 'db-r1', 'db-r2'];

function view(checker: string, statuses: Readonly<Record<string, HealthStatus>> = {}, at = IDLE): CheckerView {
  const health = Object.fromEntries(
    ENDPOINTS.map((id) => [
      id,
      {
        targetId: id,
        status: statuses[id] ?? 'HEALTHY',
        consecutiveFailures: 0,
        consecutiveSuccesses: 3,
        since: at.toISOString(),
        recent: [],
      },
    ]),
  );
  return { checker, at: at.toISOString(), health };
}

function scope(
  views: readonly CheckerView[],
  guardState: GuardState = emptyGuardState(),
  runbooks: Parameters<typeof cloudReadScope>[0]['runbooks'] = [],
) {
  const s = cloudReadScope({ topology, views, guardState, runbooks, now: IDLE });
  return {
    reason: s.reason,
    records: [...s.records],
    databases: [...s.databases],
    lags: Object.fromEntries([...s.lags].map(([db, m]) => [db, m.map((x) => x.id)])),
  };
}

describe('driftReadDue', () => {
  it.each([
    ['12:00:00.000', 300, 10, true],
    ['12:00:09.999', 300, 10, true],
    ['12:00:10.000', 300, 10, false],
    ['12:04:59.000', 300, 10, false],
    ['12:05:03.000', 300, 10, true],
    ['12:05:03.000', 300, 60, true],
    ['12:06:03.000', 300, 60, false],
    ['12:06:03.000', 60, 60, true],
  ])('at %s with drift %i s and interval %i s: %s', (time, drift, interval, due) => {
    expect(driftReadDue(new Date(`2025-03-01T${time}Z`), drift, interval)).toBe(due);
  });

  it('is due exactly once per drift period for cycles 10 s apart, whatever their offset', () => {
    for (const offsetMs of [0, 1_234, 9_999]) {
      const start = Date.parse('2025-03-01T12:00:00.000Z') + offsetMs;
      const due = Array.from({ length: 90 }, (_, i) => driftReadDue(new Date(start + i * 10_000), 300, 10)).filter(
        Boolean,
      );
      expect(due).toHaveLength(3);
    }
  });
});

describe('cloudReadScope', () => {
  it('reads nothing while every endpoint is HEALTHY in every live view, nothing is pulled and no runbook is open', () => {
    expect(scope([view('eu-west-1'), view('eu-central-1')])).toEqual({
      reason: 'idle',
      records: [],
      databases: [],
      lags: {},
    });
  });

  it('reads everything, the acting primary’s lag aside, when the drift read is due', () => {
    const s = cloudReadScope({
      topology,
      views: [view('eu-west-1')],
      guardState: emptyGuardState(),
      runbooks: [],
      now: new Date('2025-03-01T12:05:00.000Z'),
    });
    expect(s.reason).toBe('drift');
    expect([...s.records]).toEqual(['www', 'api']);
    expect([...s.databases]).toEqual(['orders']);
    expect(s.lags.get('orders')?.map((m) => m.id)).toEqual(['db-r1', 'db-r2']);
  });

  it('reads the record of a target one checker sees SUSPECT, though the quorum says HEALTHY', () => {
    expect(scope([view('eu-west-1', { 'web-b': 'SUSPECT' }), view('eu-central-1'), view('us-east-1')])).toEqual({
      reason: 'suspect',
      records: ['www'],
      databases: [],
      lags: {},
    });
  });

  it('reads a record whose target the guard pulled, to put it back once it is HEALTHY', () => {
    const state: GuardState = {
      ...emptyGuardState(),
      pulledTargets: {
        'api|web-c': { recordId: 'api', endpoint: 'web-c', at: IDLE.toISOString(), planId: 'p', values: ['10.0.0.3'] },
      },
    };
    expect(scope([view('eu-west-1')], state).records).toEqual(['api']);
  });

  it('reads a target no live checker reports yet, and ignores a stale view', () => {
    const stale = view('eu-central-1', { 'web-a': 'UNHEALTHY' }, new Date('2025-03-01T11:50:00.000Z'));
    const { 'web-c': _absent, ...rest } = view('eu-west-1').health;
    expect(scope([{ ...view('eu-west-1'), health: rest }, stale]).records).toEqual(['api']);
  });

  it('reads a database with a suspect replica but its lag only when the acting primary is suspect', () => {
    expect(scope([view('eu-west-1', { 'db-r2': 'UNHEALTHY' })])).toEqual({
      reason: 'suspect',
      records: [],
      databases: ['orders'],
      lags: {},
    });
    expect(scope([view('eu-west-1', { 'db-p': 'SUSPECT' })]).lags).toEqual({ orders: ['db-r1', 'db-r2'] });
  });

  it('follows the acting primary after a failover: the old primary’s failure alone reads no lag', () => {
    const state: GuardState = { ...emptyGuardState(), databasePrimaries: { orders: 'db-r1' } };
    expect(scope([view('eu-west-1', { 'db-p': 'UNHEALTHY' })], state).lags).toEqual({});
    expect(scope([view('eu-west-1', { 'db-r1': 'SUSPECT' })], state).lags).toEqual({ orders: ['db-p', 'db-r2'] });
  });

  it('reads everything while a runbook is open', () => {
    const open: DatabaseRunbook = newRunbook({
      id: 'rb',
      kind: 'database-failover',
      resource: 'orders',
      region: 'eu-west-1',
      planId: 'p',
      at: IDLE.toISOString(),
      steps: ['promote'],
      data: {
        databaseId: 'orders',
        oldPrimary: 'db-p',
        candidate: 'db-r1',
        method: 'promote-read-replica',
        allowDataLoss: false,
        rejected: [],
      },
    });
    const s = scope([view('eu-west-1')], emptyGuardState(), [
      { namespace: 'runbook', name: 'rb', value: open, version: 1 },
    ]);
    expect(s).toEqual({
      reason: 'runbook',
      records: ['www', 'api'],
      databases: ['orders'],
      lags: { orders: ['db-r1', 'db-r2'] },
    });
  });
});
