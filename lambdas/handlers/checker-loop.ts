// Sub-minute probing inside a once-a-minute invocation: start a cycle every interval, and start no
// cycle after the window closes, so this invocation ends before the next scheduled one begins.

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
export async function repeatWithinWindow(cycle: (index: number) => Promise<void>, window: LoopWindow, clock: LoopClock): Promise<number> {
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
export function loopWindow(intervalSeconds: number, loopSeconds: number, remainingMs: number, cycleAllowanceMs: number): LoopWindow {
  return { intervalMs: intervalSeconds * 1000, lastStartMs: Math.max(0, Math.min(loopSeconds * 1000, remainingMs - cycleAllowanceMs)) };
}
