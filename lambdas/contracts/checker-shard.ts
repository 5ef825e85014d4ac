// Which shard of its region's checker an invocation is. The schedule names it: each shard has its
// own EventBridge target whose input carries `shard`, and in the tick schedule each queued cycle's
// message body does too. An unsharded checker gets the plain scheduled event: shard 0 of 1.
import * as z from 'zod/mini';
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

// What may name the shard: the scheduled event's `shard`, or the first SQS record's body (a queued cycle).
// The shard itself stays unknown here: shardOfEvent checks it and names what it got.
const namesShard = z.looseObject({ shard: z.optional(z.unknown()) });
const queuedCycles = z.looseObject({ Records: z.array(z.looseObject({ body: z.string() })) });

function shardField(value: unknown): unknown {
  const named = namesShard.safeParse(value);
  if (named.success && named.data.shard !== undefined) return named.data.shard;
  const queued = queuedCycles.safeParse(value);
  const body = queued.success ? queued.data.Records[0]?.body : undefined;
  if (body === undefined) return undefined;
  try {
    const cycle = namesShard.safeParse(JSON.parse(body));
    return cycle.success ? cycle.data.shard : undefined;
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
