// Which shard of its region's checker an invocation is. The schedule names it: each shard has its
// own EventBridge target whose input carries `shard`. In the tick schedule one queued message per later
// cycle serves the whole region: it starts shard 0, which starts shards 1 … K-1 with an event naming
// the shard and the cycle. An unsharded checker gets the plain scheduled event: shard 0 of 1.
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

/** The body of a queued cycle (tick schedule): one message per later cycle for the whole region. */
export function queuedCycleBody(delaySeconds: number): string {
  return JSON.stringify({ cycleDelaySeconds: delaySeconds });
}

/** The event that starts shard `shard` on the queued cycle at `delaySeconds` (a Lambda Invoke's payload). */
export function shardCycleEvent(
  delaySeconds: number,
  shard: number,
): { readonly cycleDelaySeconds: number; readonly shard: number } {
  return { cycleDelaySeconds: delaySeconds, shard };
}

// What may name the shard: the event's own `shard` (a scheduled tick, a fanned-out cycle), or the first
// SQS record's body (a queued cycle; a message queued per shard before the fan-out names its shard).
// The shard itself stays unknown here: shardOfEvent checks it and names what it got.
const namesShard = z.looseObject({ shard: z.optional(z.unknown()) });
const queuedCycles = z.looseObject({ Records: z.array(z.looseObject({ body: z.string() })) });
const queuedCycle = z.looseObject({ cycleDelaySeconds: z.number(), shard: z.optional(z.unknown()) });

/** The first SQS record's body, parsed; undefined when the event is no SQS event or the body no JSON. */
function queuedBody(event: unknown): unknown {
  const queued = queuedCycles.safeParse(event);
  const body = queued.success ? queued.data.Records[0]?.body : undefined;
  if (body === undefined) return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

function shardField(value: unknown): unknown {
  const named = namesShard.safeParse(value);
  if (named.success && named.data.shard !== undefined) return named.data.shard;
  const cycle = namesShard.safeParse(queuedBody(value));
  return cycle.success ? cycle.data.shard : undefined;
}

/**
 * The delay of the region's queued cycle an SQS event carries (the message shard 0 receives and fans
 * out); undefined for any other event, and for a message that names its shard (queued per shard).
 */
export function queuedRegionCycleDelay(event: unknown): number | undefined {
  const cycle = queuedCycle.safeParse(queuedBody(event));
  return cycle.success && cycle.data.shard === undefined ? cycle.data.cycleDelaySeconds : undefined;
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
