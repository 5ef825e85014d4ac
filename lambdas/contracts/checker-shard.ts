// Which shard of its region's checker an invocation is. The schedule names it: each shard has its
// own EventBridge target whose input carries `shard`, and in the tick schedule each queued cycle's
// message body does too. An unsharded checker gets the plain scheduled event: shard 0 of 1.
import type { ShardRef } from '../domain/config/shards';

/** The EventBridge target input of shard `index` (a scheduled event that names its shard). */
export function shardTickInput(index: number): {
  readonly 'detail-type': 'Scheduled Event';
  readonly source: string;
  readonly shard: number;
} {
  return { 'detail-type': 'Scheduled Event', source: 'failover-guard.schedule', shard: index };
}

/** The body of a queued cycle (tick schedule). */
export function queuedCycleBody(delaySeconds: number, shard: number): string {
  return JSON.stringify({ cycleDelaySeconds: delaySeconds, ...(shard > 0 && { shard }) });
}

function shardField(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as { shard?: unknown; Records?: readonly { body?: unknown }[] };
  if (record.shard !== undefined) return record.shard;
  const body = record.Records?.[0]?.body;
  if (typeof body !== 'string') return undefined;
  try {
    return (JSON.parse(body) as { shard?: unknown }).shard;
  } catch {
    return undefined;
  }
}

/** The shard an event starts; throws naming the event's shard and the count when they do not fit. */
export function shardOfEvent(event: unknown, count: number): ShardRef {
  const shard = shardField(event) ?? 0;
  if (typeof shard !== 'number' || !Number.isInteger(shard) || shard < 0 || shard >= count) {
    throw new Error(
      `The checker was started as shard ${JSON.stringify(shard)}, but its topology has ${count} shard(s) (0 … ${count - 1}): the schedule and the deployed topology disagree. Redeploy with cdk deploy.`,
    );
  }
  return { index: shard, count };
}
