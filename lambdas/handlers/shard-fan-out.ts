// A sharded region's queued cycle (tick schedule): one SQS message per later cycle serves the whole
// region. It starts shard 0, which first starts shards 1 … K-1 on the same cycle (asynchronous Lambda
// invocations of this same function, all at once, under a deadline) and only then probes its own slice,
// so its cycle never delays the others. A shard that could not be started misses this cycle; the
// invocation fails at the end (CheckerErrors), and a shard that keeps missing turns stale (StaleShards).
//
// Lambda's recursive loop detection cannot stop this chain. It counts, in the trace header's metadata,
// how often one event has invoked a function through SQS, SNS, S3 or Lambda itself, and stops the chain
// past 16 (AWS Lambda Developer Guide, "Use Lambda recursive loop detection to prevent infinite loops",
// https://docs.aws.amazon.com/lambda/latest/dg/invocation-recursion.html). Every chain here starts at an
// EventBridge tick (a new event) and ends after at most three checker invocations: the tick queues
// (1) → SQS starts shard 0 (2) → shard 0 invokes shard k (3). Only a tick queues and only an SQS event
// fans out, so no invocation starts a longer chain.
import type { Topology } from '../domain/config/schema';
import { withinDeadline, type GuardContext } from '../engine';
import { raceDeadline } from '../ports/deadline';
import { CloudCallError } from '../ports/errors';

/** Starts shard `shard` on the queued cycle at `delaySeconds` (an asynchronous invocation of the checker). */
export type StartShardCycle = (shard: number, delaySeconds: number) => Promise<void>;

/**
 * How long starting the other shards may hold shard 0's own cycle: a quarter of the interval (2.5 s at
 * 10 s; an Invoke answers in tens of milliseconds), at most the cycle's deadline for its cloud calls.
 */
export function fanOutDeadlineMs(topology: Topology): number {
  return Math.min(topology.checks.intervalSeconds * 250, topology.guard.aws.cycleDeadlineSeconds * 1000);
}

/** Some shards could not be started on a queued cycle; the others were. */
export class ShardFanOutError extends Error {
  /** The shards not started, in order. */
  readonly shards: readonly number[];

  constructor(region: string, count: number, delaySeconds: number, failed: readonly ShardFailure[]) {
    const causes = failed.map((f) => `shard ${f.shard}: ${describe(f.error)}`).join('; ');
    super(
      `Could not start checker shard${failed.length === 1 ? '' : 's'} ${failed.map((f) => f.shard).join(', ')} of ${count} in ${region} on the queued cycle at ${delaySeconds} s (${causes}); the other shards and shard 0's own cycle ran. A shard that keeps missing its cycles turns stale (StaleShards): check that the checker may lambda:InvokeFunction on itself and is not throttled.`,
    );
    this.name = 'ShardFanOutError';
    this.shards = failed.map((f) => f.shard);
  }
}

interface ShardFailure {
  readonly shard: number;
  readonly error: unknown;
}

function describe(error: unknown): string {
  if (error instanceof CloudCallError) return error.message;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Starts shards 1 … count-1 on the queued cycle at `delaySeconds`, all in parallel under the fan-out's
 * deadline; resolves with how many were started, or rejects with a ShardFanOutError naming each shard
 * that was not (a refused or unanswered Invoke never keeps the others from starting).
 */
export async function fanOutQueuedCycle(
  ctx: GuardContext,
  count: number,
  delaySeconds: number,
  start: StartShardCycle,
): Promise<number> {
  const others = Array.from({ length: count - 1 }, (_, i) => i + 1);
  const outcomes = await withinDeadline(ctx, fanOutDeadlineMs(ctx.topology), "shard fan-out's deadline", () =>
    Promise.all(
      others.map(async (shard): Promise<ShardFailure | undefined> => {
        try {
          await raceDeadline('Lambda', 'Invoke', `checker shard ${shard}`, () => start(shard, delaySeconds));
          return undefined;
        } catch (error) {
          return { shard, error };
        }
      }),
    ),
  );
  const failed = outcomes.filter((o): o is ShardFailure => o !== undefined);
  if (failed.length > 0) throw new ShardFanOutError(ctx.checker, count, delaySeconds, failed);
  return others.length;
}
