import { describe, expect, it } from 'vitest';
import { recordMoveChanges } from '../../../lambdas/engine/region';
import type { RecordSet } from '../../../lambdas/ports/dns.port';
import { regionTopology } from './fixtures';

const move = { recordId: 'origin', in: ['web-fra-a'], out: ['web-dub-a', 'web-dub-b'] };
const base = { name: 'origin.shop.example.com', type: 'A', ttl: 60 };
const set = (id: string, ip: string, extra: Partial<RecordSet> = {}): RecordSet => ({
  ...base,
  values: [ip],
  setIdentifier: id,
  ...extra,
});

function topologyWith(
  routing: 'multivalue' | 'failover' | 'weighted',
  targets = ['web-dub-a', 'web-dub-b', 'web-fra-a'],
) {
  const t = regionTopology();
  const origin = t.dns.find((r) => r.id === 'origin')!;
  return {
    topology: t,
    record: { ...origin, routing, targets: targets.map((endpoint) => ({ endpoint, setIdentifier: endpoint })) },
  };
}

describe('recordMoveChanges', () => {
  it('deletes the dark region’s multivalue sets and creates the standby’s, deletes first', () => {
    // Prepare
    const { topology, record } = topologyWith('multivalue');
    const sets = [
      set('web-dub-a', '10.10.1.11', { multiValueAnswer: true }),
      set('web-dub-b', '10.10.2.11', { multiValueAnswer: true }),
    ];
    // Act
    const changes = recordMoveChanges(topology, record, sets, move, {});
    // Assess
    expect(changes.map((c) => [c.action, c.recordSet.setIdentifier])).toEqual([
      ['DELETE', 'web-dub-a'],
      ['DELETE', 'web-dub-b'],
      ['CREATE', 'web-fra-a'],
    ]);
    expect(changes[2]?.recordSet).toEqual({
      ...base,
      values: ['10.20.1.11'],
      setIdentifier: 'web-fra-a',
      multiValueAnswer: true,
    });
  });

  it('swaps PRIMARY and SECONDARY of failover record sets in one batch', () => {
    // Prepare
    const { topology, record } = topologyWith('failover', ['web-dub-a', 'web-fra-a']);
    const sets = [
      set('web-dub-a', '10.10.1.11', { failover: 'PRIMARY' }),
      set('web-fra-a', '10.20.1.11', { failover: 'SECONDARY' }),
    ];
    // Act
    const changes = recordMoveChanges(
      topology,
      record,
      sets,
      { recordId: 'origin', in: ['web-fra-a'], out: ['web-dub-a'] },
      {},
    );
    // Assess
    expect(changes.map((c) => [c.action, c.recordSet.setIdentifier, c.recordSet.failover])).toEqual([
      ['DELETE', 'web-fra-a', 'SECONDARY'],
      ['DELETE', 'web-dub-a', 'PRIMARY'],
      ['CREATE', 'web-fra-a', 'PRIMARY'],
      ['CREATE', 'web-dub-a', 'SECONDARY'],
    ]);
  });

  it('changes nothing when the record already serves the standby', () => {
    // Prepare
    const { topology, record } = topologyWith('weighted');
    const sets = [
      set('web-dub-a', '10.10.1.11', { weight: 0 }),
      set('web-dub-b', '10.10.2.11', { weight: 0 }),
      set('web-fra-a', '10.20.1.11', { weight: 100 }),
    ];
    // Act / Assess
    expect(recordMoveChanges(topology, record, sets, move, {})).toEqual([]);
  });

  it('refuses a move that would leave the record serving nothing', () => {
    // Prepare
    const { topology, record } = topologyWith('weighted');
    const sets = [set('web-dub-a', '10.10.1.11', { weight: 100 }), set('web-dub-b', '10.10.2.11', { weight: 100 })];
    // Act / Assess
    expect(() =>
      recordMoveChanges(topology, record, sets, { recordId: 'origin', in: [], out: ['web-dub-a', 'web-dub-b'] }, {}),
    ).toThrow('moving origin.shop.example.com A would leave it serving nothing; refused (fail open)');
  });
});
