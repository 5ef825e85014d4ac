import { describe, expect, it } from 'vitest';
import { parseTopology } from '../../lambdas/domain/config/load';
import {
  attachmentChanges,
  planHealthCheckAttachments,
  type SetAttachment,
} from '../../lambdas/engine/health-check-attachments';
import type { RecordSet } from '../../lambdas/ports/dns.port';
import { exampleTopology } from '../domain/config/example-topology';

const DUB_CHECK = 'aaaaaaaa-1111-2222-3333-444444444444';
const FRA_CHECK = 'bbbbbbbb-1111-2222-3333-444444444444';
const healthChecks = { 'eu-west-1': DUB_CHECK, 'eu-central-1': FRA_CHECK };

/** The example topology with its weighted record "origin" marked for data-plane failover. */
function markedTopology() {
  const raw = exampleTopology();
  raw.dns[1].dataPlaneFailover = true;
  return parseTopology(raw);
}

const originSet = (setIdentifier: string, ip: string, healthCheckId?: string): RecordSet => ({
  name: 'origin.shop.example.com',
  type: 'A',
  ttl: 30,
  values: [ip],
  setIdentifier,
  weight: 100,
  ...(healthCheckId !== undefined ? { healthCheckId } : {}),
});

const bareOrigin = (): RecordSet[] => [
  originSet('dub-a', '10.10.1.11'),
  originSet('dub-b', '10.10.2.11'),
  originSet('fra-a', '10.20.1.11'),
  originSet('fra-b', '10.20.2.11'),
];

const statuses = (plan: readonly SetAttachment[]) => plan.map((a) => [a.setIdentifier, a.status]);

describe('planHealthCheckAttachments', () => {
  it("gives each set of a marked record its region's health check, the set otherwise exactly as read", () => {
    // Prepare
    const topology = markedTopology();
    // Act
    const plan = planHealthCheckAttachments({
      topology,
      records: { origin: { ok: true, value: bareOrigin() } },
      healthChecks,
    });
    // Assess
    expect(statuses(plan)).toEqual([
      ['dub-a', 'attach'],
      ['dub-b', 'attach'],
      ['fra-a', 'attach'],
      ['fra-b', 'attach'],
    ]);
    const first = plan[0]!;
    expect(first).toMatchObject({ recordId: 'origin', hostedZoneId: 'Z0123456789ABCDEFGHIJ', region: 'eu-west-1' });
    if (first.status !== 'attach') throw new Error('expected an attachment');
    expect(first.after).toEqual({ ...originSet('dub-a', '10.10.1.11'), healthCheckId: DUB_CHECK });
    expect(plan[2]).toMatchObject({ region: 'eu-central-1', healthCheckId: FRA_CHECK });
  });

  it('is idempotent: sets already carrying their region check need nothing', () => {
    // Prepare
    const topology = markedTopology();
    const sets = bareOrigin().map((s) => ({
      ...s,
      healthCheckId: s.setIdentifier?.startsWith('dub') ? DUB_CHECK : FRA_CHECK,
    }));
    // Act
    const plan = planHealthCheckAttachments({ topology, records: { origin: { ok: true, value: sets } }, healthChecks });
    // Assess
    expect(plan.every((a) => a.status === 'attached')).toBe(true);
  });

  it('refuses a set that carries a health check the guard did not plan, and names both checks', () => {
    // Prepare
    const topology = markedTopology();
    const sets = bareOrigin().map((s) => (s.setIdentifier === 'fra-b' ? { ...s, healthCheckId: 'someone-elses' } : s));
    // Act
    const plan = planHealthCheckAttachments({ topology, records: { origin: { ok: true, value: sets } }, healthChecks });
    // Assess
    expect(plan[3]).toMatchObject({
      status: 'foreign',
      healthCheckId: FRA_CHECK,
      foreignHealthCheckId: 'someone-elses',
    });
    expect(
      statuses(plan)
        .slice(0, 3)
        .every(([, status]) => status === 'attach'),
    ).toBe(true);
  });

  it('reports a set Route 53 does not hold, a region without a known check and a failed read, planning nothing for them', () => {
    // Prepare
    const topology = markedTopology();
    const withoutDubB = bareOrigin().filter((s) => s.setIdentifier !== 'dub-b');
    // Act
    const partial = planHealthCheckAttachments({
      topology,
      records: { origin: { ok: true, value: withoutDubB } },
      healthChecks: { 'eu-west-1': DUB_CHECK },
    });
    const unread = planHealthCheckAttachments({
      topology,
      records: { origin: { ok: false, error: 'Throttling: Rate exceeded' } },
      healthChecks,
    });
    // Assess
    expect(statuses(partial)).toEqual([
      ['dub-a', 'attach'],
      ['dub-b', 'set-missing'],
      ['fra-a', 'no-health-check'],
      ['fra-b', 'no-health-check'],
    ]);
    expect(unread.map((a) => a.status)).toEqual(['unread', 'unread', 'unread', 'unread']);
    expect(unread[0]).toMatchObject({ error: 'Throttling: Rate exceeded' });
  });

  it('leaves out unmarked records and records not read this time', () => {
    // Prepare
    const topology = parseTopology(exampleTopology());
    // Act
    const unmarked = planHealthCheckAttachments({
      topology,
      records: { origin: { ok: true, value: bareOrigin() } },
      healthChecks,
    });
    const notRead = planHealthCheckAttachments({ topology: markedTopology(), records: {}, healthChecks });
    // Assess
    expect(unmarked).toEqual([]);
    expect(notRead).toEqual([]);
  });

  it('builds one compare-and-swap batch per set: DELETE exactly the set read, CREATE it with the check', () => {
    // Prepare
    const before = originSet('dub-a', '10.10.1.11');
    const after = { ...before, healthCheckId: DUB_CHECK };
    // Act
    const changes = attachmentChanges({ before, after });
    // Assess
    expect(changes).toEqual([
      { action: 'DELETE', recordSet: before },
      { action: 'CREATE', recordSet: after },
    ]);
  });
});
