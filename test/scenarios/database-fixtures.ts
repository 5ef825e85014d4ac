// Databases for scenario topologies: RDS endpoints named after the instance and its region, and a
// counter of the PromoteReadReplica calls that reach the in-memory RDS.
import { vi } from 'vitest';
import { ZONE, type Harness } from './engine-harness';

export const member = (id: string, region: string, identifier: string, promotionPriority?: number) => ({
  id,
  region,
  identifier,
  endpoint: { host: `${identifier}.abc.${region}.rds.amazonaws.com`, port: 5432 },
  ...(promotionPriority !== undefined ? { promotionPriority } : {}),
});

export const WRITER = 'db-writer.shop.example.com';

/** An RDS database with a primary and two replicas in eu-west-1; orders-r1 is promoted first. */
export const twoReplicaDb = (extra: Record<string, unknown> = {}) => ({
  id: 'orders',
  engine: 'rds-instance' as const,
  primary: member('orders-primary', 'eu-west-1', 'orders-primary'),
  replicas: [member('orders-r1', 'eu-west-1', 'orders-r1', 0), member('orders-r2', 'eu-west-1', 'orders-r2', 1)],
  writerDns: { hostedZoneId: ZONE, name: WRITER, ttl: 30 },
  ...extra,
});

/** Counts the PromoteReadReplica calls that reach the in-memory RDS (accepted or refused). */
export function countPromotions(h: Harness): () => number {
  const spy = vi.spyOn(h.cloud.database, 'promoteReadReplica');
  return () => spy.mock.calls.length;
}
