// Builds observations for health tests: one per second from a fixed start, ok or ECONNREFUSED.
import type { Observation } from '../../../lambdas/domain/observation';

const start = Date.parse('2025-01-01T00:00:00.000Z');

export function observation(targetId: string, ok: boolean, second = 0): Observation {
  return {
    targetId,
    kind: 'tcp',
    ok,
    latencyMs: ok ? 3 : 0,
    ...(ok ? {} : { error: 'ECONNREFUSED' }),
    at: new Date(start + second * 1000).toISOString(),
  };
}

/** `[true, false, …]` → observations of one target, a second apart. */
export function observationsOf(targetId: string, outcomes: readonly boolean[]): Observation[] {
  return outcomes.map((ok, second) => observation(targetId, ok, second));
}
