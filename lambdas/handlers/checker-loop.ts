// Sub-minute probing from a once-a-minute schedule: either loop inside the invocation (start a
// cycle every interval, none after the window closes, so it ends before the next tick), or run one
// cycle and have the tick queue the minute's later cycles with delays.

export interface LoopClock {
  nowMs(): number;
  sleep(ms: number): Promise<void>;
}

export interface LoopWindow {
  readonly intervalMs: number;
  /** No cycle starts later than this many ms after the loop began. */
  readonly lastStartMs: number;
}

export const systemClock: LoopClock = {
  nowMs: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Runs `cycle` at 0, interval, 2·interval, … while the window is open; returns how many ran. */
export async function repeatWithinWindow(
  cycle: (index: number) => Promise<void>,
  window: LoopWindow,
  clock: LoopClock,
): Promise<number> {
  const start = clock.nowMs();
  let next = start;
  let index = 0;
  while (next - start <= window.lastStartMs) {
    const wait = next - clock.nowMs();
    if (wait > 0) await clock.sleep(wait);
    await cycle(index);
    index += 1;
    // A cycle slower than the interval starts the next one at once instead of piling up missed slots.
    next = Math.max(next + window.intervalMs, clock.nowMs());
  }
  return index;
}

/**
 * The window for one invocation: the configured loop length, shortened so the last cycle (at most
 * one probe timeout plus the state writes) still fits in the function's remaining time.
 */
export function loopWindow(
  intervalSeconds: number,
  loopSeconds: number,
  remainingMs: number,
  cycleAllowanceMs: number,
): LoopWindow {
  return {
    intervalMs: intervalSeconds * 1000,
    lastStartMs: Math.max(0, Math.min(loopSeconds * 1000, remainingMs - cycleAllowanceMs)),
  };
}

/**
 * Delays, in whole seconds after the minute's tick, of the cycles a tick queues: one per interval
 * within the minute (10 s → 10, 20, 30, 40, 50). The tick's own invocation is the cycle at 0.
 */
export function tickDelaysSeconds(intervalSeconds: number): number[] {
  const delays = new Set<number>();
  for (let k = 1; k * intervalSeconds < 60; k += 1) delays.add(Math.round(k * intervalSeconds));
  return [...delays].filter((d) => d > 0 && d < 60);
}
