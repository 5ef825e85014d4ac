// Test helpers for the handlers: a clock that sleeps instantly, probes that answer from a table,
// and stdout captured as the structured lines Powertools writes (logs and EMF metrics).
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { vi } from 'vitest';
import type { Topology } from '../../lambdas/domain/config/schema';
import { probeTargets } from '../../lambdas/domain/config/targets';
import type { Observation } from '../../lambdas/domain/observation';
import type { LoopClock } from '../../lambdas/handlers/checker-loop';
import { METRIC_NAMESPACE, serviceName } from '../../lambdas/contracts/telemetry-names';

export interface FakeClock extends LoopClock {
  readonly sleeps: number[];
}

export function fakeClock(startIso = '2025-01-01T00:00:00.000Z'): FakeClock {
  let now = Date.parse(startIso);
  const sleeps: number[] = [];
  return {
    sleeps,
    nowMs: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

/** Every endpoint answers; the ids in `down` fail with ECONNREFUSED. */
export function tableProbe(clock: LoopClock, down: ReadonlySet<string> = new Set()) {
  const calls: number[] = [];
  const probe = async (topology: Topology): Promise<Observation[]> => {
    calls.push(clock.nowMs());
    const at = new Date(clock.nowMs()).toISOString();
    return probeTargets(topology).map((t) =>
      down.has(t.id)
        ? { targetId: t.id, kind: t.probe.type, ok: false, latencyMs: 1, error: 'ECONNREFUSED', at }
        : { targetId: t.id, kind: t.probe.type, ok: true, latencyMs: 1, at },
    );
  };
  return { probe, calls };
}

export function powertools(topologyName: string) {
  const service = serviceName(topologyName);
  return {
    logger: new Logger({ serviceName: service }),
    metrics: new Metrics({ namespace: METRIC_NAMESPACE, serviceName: service }),
  };
}

/** Captures stdout and stderr (errors are logged there); `lines()` returns each JSON line written since. */
export function captureOutput() {
  const chunks: string[] = [];
  const capture = (chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation(capture),
    vi.spyOn(process.stderr, 'write').mockImplementation(capture),
  ];
  const lines = (): Record<string, unknown>[] =>
    chunks
      .join('')
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return {
    lines,
    logs: (message: string) => lines().filter((l) => l.message === message),
    metric: (name: string) => lines().filter((l) => name in l && '_aws' in l),
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
}
