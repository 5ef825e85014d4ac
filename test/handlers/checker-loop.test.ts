import { describe, expect, it } from 'vitest';
import { loopWindow, repeatWithinWindow } from '../../lambdas/handlers/checker-loop';
import { fakeClock } from './handler-fixtures';

describe('repeatWithinWindow', () => {
  it.each([
    [10, 55, [0, 10, 20, 30, 40, 50]],
    [15, 55, [0, 15, 30, 45]],
    [30, 55, [0, 30]],
    [60, 55, [0]],
  ])('at a %i s interval within %i s starts cycles at %j s', async (interval, lastStart, starts) => {
    const clock = fakeClock();
    const begin = clock.nowMs();
    const seen: number[] = [];
    const count = await repeatWithinWindow(
      async () => void seen.push((clock.nowMs() - begin) / 1000),
      { intervalMs: interval * 1000, lastStartMs: lastStart * 1000 },
      clock,
    );
    expect(seen).toEqual(starts);
    expect(count).toBe(starts.length);
  });

  it('starts the next cycle at once after a cycle slower than the interval, without catching up missed slots', async () => {
    const clock = fakeClock();
    const begin = clock.nowMs();
    const seen: number[] = [];
    await repeatWithinWindow(
      async (index) => {
        seen.push((clock.nowMs() - begin) / 1000);
        if (index === 0) await clock.sleep(25_000);
      },
      { intervalMs: 10_000, lastStartMs: 55_000 },
      clock,
    );
    expect(seen).toEqual([0, 25, 35, 45, 55]);
  });
});

describe('loopWindow', () => {
  it.each([
    [10, 55, 70_000, 12_000, 55_000],
    [10, 55, 60_000, 12_000, 48_000],
    [10, 55, 5_000, 12_000, 0],
  ])(
    'interval %i s, loop %i s, %i ms left, %i ms kept → last start at %i ms',
    (interval, loop, remaining, allowance, lastStart) => {
      expect(loopWindow(interval, loop, remaining, allowance)).toEqual({
        intervalMs: interval * 1000,
        lastStartMs: lastStart,
      });
    },
  );
});
