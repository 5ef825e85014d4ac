// The pure DNS healing planner as tables: verdicts and record contents in, actions and alerts out.
import { describe, expect, it } from 'vitest';
import { parseTopology } from '../../lambdas/domain/config/load';
import type { HealthStatus } from '../../lambdas/domain/health/types';
import {
  DEFAULT_ENGINE_OPTIONS,
  emptyGuardState,
  planDnsRecord,
  pulledTargetKey,
  type GuardState,
  type PlannerInput,
} from '../../lambdas/engine';
import type { RecordSet } from '../../lambdas/ports/dns.port';

const topology = parseTopology({
  name: 'shop',
  account: '123456789012',
  regions: [
    { name: 'eu-west-1', role: 'primary' },
    { name: 'eu-central-1', role: 'standby' },
  ],
  servers: [
    { id: 'a', region: 'eu-west-1', ip: '10.0.0.1', probe: { type: 'tcp', host: '10.0.0.1', port: 80 } },
    { id: 'b', region: 'eu-west-1', ip: '10.0.0.2', probe: { type: 'tcp', host: '10.0.0.2', port: 80 } },
    { id: 'c', region: 'eu-west-1', ip: '10.0.0.3', probe: { type: 'tcp', host: '10.0.0.3', port: 80 } },
    { id: 's', region: 'eu-central-1', ip: '10.1.0.1', probe: { type: 'tcp', host: '10.1.0.1', port: 80 } },
  ],
  dns: [
    {
      id: 'www',
      hostedZoneId: 'Z1',
      name: 'www.example.com',
      type: 'A',
      minHealthy: 1,
      targets: ['a', 'b', 'c', 's'].map((endpoint) => ({ endpoint })),
    },
    {
      id: 'www2',
      hostedZoneId: 'Z1',
      name: 'www2.example.com',
      type: 'A',
      minHealthy: 2,
      targets: ['a', 'b', 'c'].map((endpoint) => ({ endpoint })),
    },
    {
      id: 'mv',
      hostedZoneId: 'Z1',
      name: 'mv.example.com',
      type: 'A',
      routing: 'multivalue',
      minHealthy: 2,
      targets: ['a', 'b', 'c'].map((endpoint) => ({ endpoint, setIdentifier: endpoint })),
    },
  ],
});

function input(
  statuses: Readonly<Record<string, HealthStatus | undefined>>,
  guardState: GuardState = emptyGuardState(),
): PlannerInput {
  const verdicts = new Map(
    Object.entries(statuses)
      .filter((e): e is [string, HealthStatus] => e[1] !== undefined)
      .map(([targetId, status]) => [targetId, { targetId, status, unhealthyVotes: [], healthyVotes: [] }]),
  );
  return {
    topology,
    checker: 'eu-west-1',
    now: '2025-03-01T12:00:00.000Z',
    planId: 'plan-1',
    views: [],
    verdicts,
    liveCheckers: ['eu-west-1'],
    guardState,
    runbooks: [],
    records: {},
    databases: {},
    targetGroups: {},
    options: DEFAULT_ENGINE_OPTIONS,
  };
}

const ipSet = (name: string, ...values: string[]): RecordSet[] => [{ name, type: 'A', ttl: 60, values }];
const U = 'UNHEALTHY' as const;
const H = 'HEALTHY' as const;
const S = 'SUSPECT' as const;

describe('DNS healing planner', () => {
  it.each([
    {
      case: 'an UNHEALTHY target is pulled',
      statuses: { a: U, b: H, c: H },
      served: ['10.0.0.1', '10.0.0.2', '10.0.0.3'],
      pulled: {},
      want: ['dns.pull a'],
      alerts: [],
    },
    {
      case: 'a SUSPECT target is held',
      statuses: { a: S, b: H, c: H },
      served: ['10.0.0.1', '10.0.0.2', '10.0.0.3'],
      pulled: {},
      want: [],
      alerts: [],
    },
    {
      case: 'every eligible target down: nothing, fail open',
      statuses: { a: U, b: U, c: U, s: H },
      served: ['10.0.0.1', '10.0.0.2', '10.0.0.3'],
      pulled: {},
      want: [],
      alerts: ['dns.all-targets-down'],
    },
    {
      case: 'a pulled target back HEALTHY is restored',
      statuses: { a: H, b: H, c: H },
      served: ['10.0.0.2', '10.0.0.3'],
      pulled: { a: ['10.0.0.1'] },
      want: ['dns.restore a'],
      alerts: [],
    },
    {
      case: 'a pulled target still RECOVERING stays out',
      statuses: { a: 'RECOVERING' as const, b: H, c: H },
      served: ['10.0.0.2', '10.0.0.3'],
      pulled: { a: ['10.0.0.1'] },
      want: [],
      alerts: [],
    },
    {
      case: 'a missing IP the guard did not pull is left alone',
      statuses: { a: H, b: H, c: H },
      served: ['10.0.0.2', '10.0.0.3'],
      pulled: {},
      want: [],
      alerts: [],
    },
    {
      case: 'standby targets are not eligible in active-passive',
      statuses: { a: H, b: H, c: H, s: U },
      served: ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.1.0.1'],
      pulled: {},
      want: [],
      alerts: [],
    },
    {
      case: 'restore first, then pull the last one down',
      statuses: { a: H, b: U, c: U },
      served: ['10.0.0.2', '10.0.0.3'],
      pulled: { a: ['10.0.0.1'] },
      want: ['dns.restore a', 'dns.pull b', 'dns.pull c'],
      alerts: [],
    },
  ])('$case', ({ statuses, served, pulled, want, alerts }) => {
    // Prepare
    const state: GuardState = {
      ...emptyGuardState(),
      pulledTargets: Object.fromEntries(
        Object.entries(pulled).map(([endpoint, values]) => [
          pulledTargetKey('www', endpoint),
          { recordId: 'www', endpoint, at: '', planId: 'p0', values },
        ]),
      ),
    };
    // Act
    const plan = planDnsRecord(input(statuses, state), topology.dns[0]!, ipSet('www.example.com', ...served));
    // Assess
    expect(plan.actions.map((a) => `${a.kind} ${a.endpoint}`)).toEqual(want);
    expect(plan.alerts.map((a) => a.eventType)).toEqual(alerts);
  });

  it('marks a restore urgent when the record is short of healthy answers', () => {
    const state: GuardState = {
      ...emptyGuardState(),
      pulledTargets: {
        [pulledTargetKey('www', 'a')]: { recordId: 'www', endpoint: 'a', at: '', planId: 'p0', values: ['10.0.0.1'] },
      },
    };
    const plan = planDnsRecord(
      input({ a: H, b: U, c: U }, state),
      topology.dns[0]!,
      ipSet('www.example.com', '10.0.0.2', '10.0.0.3'),
    );
    expect(plan.actions[0]).toMatchObject({ kind: 'dns.restore', urgent: true });
  });

  it.each([
    { down: ['b', 'c'], want: ['dns.pull c'], kept: 'b' },
    { down: ['a', 'c'], want: ['dns.pull c'], kept: 'a' },
    { down: ['a'], want: ['dns.pull a'], kept: undefined },
  ])('with minHealthy 2 and $down down, pulls $want and keeps the earliest-listed', ({ down, want, kept }) => {
    const statuses = Object.fromEntries(['a', 'b', 'c'].map((id) => [id, down.includes(id) ? U : H]));
    const plan = planDnsRecord(
      input(statuses),
      topology.dns[1]!,
      ipSet('www2.example.com', '10.0.0.1', '10.0.0.2', '10.0.0.3'),
    );
    expect(plan.actions.map((a) => `${a.kind} ${a.endpoint}`)).toEqual(want);
    expect(plan.alerts[0]?.reason.startsWith(`${kept} UNHEALTHY but kept`) ?? kept === undefined).toBe(true);
  });

  it('computes each action on top of the previous one, so the batches chain', () => {
    const plan = planDnsRecord(
      input({ a: U, b: U, c: H }),
      topology.dns[0]!,
      ipSet('www.example.com', '10.0.0.1', '10.0.0.2', '10.0.0.3'),
    );
    expect(plan.actions.map((a) => [(a.before as RecordSet).values, (a.after as RecordSet).values])).toEqual([
      [
        ['10.0.0.1', '10.0.0.2', '10.0.0.3'],
        ['10.0.0.2', '10.0.0.3'],
      ],
      [['10.0.0.2', '10.0.0.3'], ['10.0.0.3']],
    ]);
  });

  it('does not count a pulled target it cannot restore as served when deciding how many to pull (multivalue)', () => {
    // Prepare: a was pulled but the guard holds no copy of its set; b is down, c up; minHealthy 2
    const state: GuardState = {
      ...emptyGuardState(),
      pulledTargets: { [pulledTargetKey('mv', 'a')]: { recordId: 'mv', endpoint: 'a', at: '', planId: 'p0' } },
    };
    const sets: RecordSet[] = ['b', 'c'].map((id, i) => ({
      name: 'mv.example.com',
      type: 'A',
      ttl: 60,
      setIdentifier: id,
      multiValueAnswer: true,
      values: [`10.0.0.${i + 2}`],
    }));
    // Act
    const plan = planDnsRecord(input({ a: H, b: U, c: H }, state), topology.dns[2]!, sets);
    // Assess: pulling b would leave one answer; it is kept and both problems are told
    expect(plan.actions).toEqual([]);
    expect(plan.alerts.map((a) => a.eventType).sort()).toEqual(['dns.cannot-restore', 'dns.min-healthy-held']);
  });

  it('counts a restorable pulled target as served when deciding how many to pull (multivalue)', () => {
    const recordSet: RecordSet = {
      name: 'mv.example.com',
      type: 'A',
      ttl: 60,
      setIdentifier: 'a',
      multiValueAnswer: true,
      values: ['10.0.0.1'],
    };
    const state: GuardState = {
      ...emptyGuardState(),
      pulledTargets: {
        [pulledTargetKey('mv', 'a')]: { recordId: 'mv', endpoint: 'a', at: '', planId: 'p0', recordSet },
      },
    };
    const sets: RecordSet[] = ['b', 'c'].map((id, i) => ({
      name: 'mv.example.com',
      type: 'A',
      ttl: 60,
      setIdentifier: id,
      multiValueAnswer: true,
      values: [`10.0.0.${i + 2}`],
    }));
    const plan = planDnsRecord(input({ a: H, b: U, c: H }, state), topology.dns[2]!, sets);
    expect(plan.actions.map((a) => `${a.kind} ${a.endpoint}`)).toEqual(['dns.restore a', 'dns.pull b']);
  });
});
