// What is left to fail over to after a database failover: on RDS only replicas of the new primary count.
import { describe, expect, it } from 'vitest';
import { parseTopology } from '../../lambdas/domain/config/load';
import { describeRedundancy, redundancyAfter, type MemberState, type Read } from '../../lambdas/engine';
import { member, twoReplicaDb } from '../scenarios/database-fixtures';
import { webTopology } from '../scenarios/engine-harness';

const ordersDb = (engine: 'rds-instance' | 'aurora-cluster') =>
  parseTopology(
    webTopology({
      databases: [
        twoReplicaDb({
          engine,
          ...(engine === 'aurora-cluster' ? { clusterIdentifier: 'orders-cluster' } : {}),
          replicas: [
            member('orders-r1', 'eu-west-1', 'orders-r1', 0),
            member('orders-r2', 'eu-west-1', 'orders-r2', 1),
            member('orders-fra', 'eu-central-1', 'orders-fra', 2),
          ],
        }),
      ],
    }),
    'redundancy test',
  ).databases[0]!;

const replicaOf = (region: string, identifier: string): Read<MemberState> => ({
  ok: true,
  value: { exists: true, status: 'available', isReplica: true, replicaOf: { region, identifier } },
});
const standalone: Read<MemberState> = { ok: true, value: { exists: true, status: 'available', isReplica: false } };

describe('redundancy after a database failover', () => {
  it('counts only replicas of the new primary and names those still replicating from the fenced old one', () => {
    // Prepare: orders-r1 was rebuilt as a replica of the new primary orders-r2; orders-fra still follows the old primary across regions
    const db = ordersDb('rds-instance');
    const states = {
      'orders-primary': standalone,
      'orders-r1': replicaOf('eu-west-1', 'orders-r2'),
      'orders-r2': standalone,
      'orders-fra': replicaOf('eu-west-1', 'orders-primary'),
    };
    // Act
    const left = redundancyAfter(db, 'orders-r2', new Set(['orders-primary']), states);
    // Assess
    expect(left).toEqual({
      replicas: ['orders-r1'],
      stranded: [{ member: 'orders-fra', source: 'orders-primary', sourceFenced: true }],
      unread: [],
    });
    expect(describeRedundancy(db, 'orders-r2', left)).toBe(
      'redundancy is lower: 1 replica of orders-r2 left (orders-r1) — orders-fra still replicates from the fenced orders-primary (rebuild it as a replica of orders-r2 to fail over to it)',
    );
  });

  it('says plainly when no replica of the new primary is left, what to do, and what could not be read', () => {
    // Prepare
    const db = ordersDb('rds-instance');
    const states = {
      'orders-r1': replicaOf('eu-west-1', 'orders-primary'),
      'orders-r2': standalone,
      'orders-fra': { ok: false, error: 'eu-central-1 unreachable' } as const,
    };
    // Act
    const left = redundancyAfter(db, 'orders-r2', new Set(['orders-primary']), states);
    // Assess
    expect(describeRedundancy(db, 'orders-r2', left)).toBe(
      'redundancy is lower: no replica of orders-r2 left; create a read replica of orders-r2 — orders-r1 still replicates from the fenced orders-primary (rebuild it as a replica of orders-r2 to fail over to it); not counted, RDS state unreadable: orders-fra',
    );
  });

  it('counts every unfenced Aurora member, since readers follow the new writer', () => {
    const db = ordersDb('aurora-cluster');
    const left = redundancyAfter(db, 'orders-r1', new Set(['orders-primary']), {});
    expect(describeRedundancy(db, 'orders-r1', left)).toBe(
      'redundancy is lower: 2 replicas of orders-r1 left (orders-r2, orders-fra)',
    );
  });
});
