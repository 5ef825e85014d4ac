// Checker views as the engine builds them, for the state-size bench and the store's size tests:
// N targets probed for a number of cycles, a share of them failing (connection refused or timed out).
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { advanceAll } from '../lambdas/domain/health/state-machine';
import { ownedBy, type ShardRef } from '../lambdas/domain/config/shards';
import type { CheckerView, TargetHealth } from '../lambdas/domain/health/types';
import type { Observation } from '../lambdas/domain/observation';

const thresholds = { failureThreshold: 3, recoveryThreshold: 2 };
const START_MS = Date.parse('2025-01-01T00:00:00.000Z');

export interface SyntheticViewOptions {
  readonly checker: string;
  readonly targets: number;
  /** Share of targets failing every probe, 0..1 (the first ones). */
  readonly unhealthyShare: number;
  readonly cycles: number;
  readonly intervalSeconds?: number;
}

function observationFor(index: number, failing: boolean, at: string, checker: string): Observation {
  const targetId = `web-${checker}-${String(index).padStart(5, '0')}`;
  const ip = `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`;
  const base = { targetId, kind: 'http' as const, at, checker };
  if (!failing) return { ...base, ok: true, latencyMs: 4 + (index % 7) };
  return index % 2 === 0
    ? { ...base, ok: false, latencyMs: 2000, error: 'ETIMEDOUT', detail: `no answer from ${ip}:443 within 2000 ms` }
    : { ...base, ok: false, latencyMs: 1, error: 'ECONNREFUSED', detail: `connect ECONNREFUSED ${ip}:443` };
}

/** The view after every cycle, folded by the engine's state machine. */
export function syntheticViews(options: SyntheticViewOptions): CheckerView[] {
  const failingCount = Math.round(options.targets * options.unhealthyShare);
  const intervalMs = (options.intervalSeconds ?? 10) * 1000;
  let health: Record<string, TargetHealth> = {};
  const views: CheckerView[] = [];
  for (let cycle = 0; cycle < options.cycles; cycle += 1) {
    const at = new Date(START_MS + cycle * intervalMs).toISOString();
    const observations = Array.from({ length: options.targets }, (_, i) =>
      observationFor(i, i < failingCount, at, options.checker),
    );
    health = advanceAll(health, observations, () => thresholds).health;
    views.push({ checker: options.checker, at, health });
  }
  return views;
}

/** A shard's view in which every server of its slice is HEALTHY and steady since `at` (the shard field only when sharded). */
export function healthyShardView(
  checker: string,
  serverIds: readonly string[],
  shard: ShardRef,
  at: string,
): CheckerView {
  const owns = ownedBy(shard);
  const health = Object.fromEntries(
    serverIds.filter(owns).map((id) => [
      id,
      {
        targetId: id,
        status: 'HEALTHY' as const,
        consecutiveFailures: 0,
        consecutiveSuccesses: 2,
        since: at,
        recent: [],
      },
    ]),
  );
  return { checker, at, health, ...(shard.count > 1 ? { shard } : {}) };
}

/** DynamoDB's size of an item: attribute names plus values (UTF-8 strings, binary bytes, numbers about their digits). */
export function itemSizeBytes(item: Record<string, AttributeValue>): number {
  return Object.entries(item).reduce((total, [name, value]) => {
    const size =
      value.S !== undefined
        ? Buffer.byteLength(value.S)
        : value.B !== undefined
          ? value.B.length
          : value.N !== undefined
            ? Math.ceil(value.N.length / 2) + 1
            : 0;
    return total + Buffer.byteLength(name) + size;
  }, 0);
}
