// The chaos property test: random fault schedules (two and three checker regions; sequential, concurrent
// and crashing invocations; late plans, skewed clocks, throttling, slow promotions, dark regions, blind
// checkers, approvals, failbacks, pauses) driving the real engine over the in-memory cloud, every
// promise checked after every event and liveness after healing. A fixed seed keeps it deterministic
// and short here; `npm run chaos -- --seed N --cases M` runs it long.
import { describe, expect, it } from 'vitest';
import { describeFailure, runChaos, runSchedule } from './chaos-run';

const SEED = 20_261_126;

describe('chaos: the promises hold under random fault schedules', () => {
  it('keeps every promise over 40 random schedules (fixed seed), and the schedules exercise DNS, promotions and region runbooks', async () => {
    const outcome = await runChaos({ seed: SEED, cases: 40, maxEvents: 30, slowPromotions: true });
    expect(outcome.failure && describeFailure(outcome.failure)).toBeUndefined();
    expect(outcome.stats.cases).toBe(40);
    expect(outcome.stats.casesWithDnsChanges).toBeGreaterThan(0);
    expect(outcome.stats.casesWithPromotions).toBeGreaterThan(0);
    expect(outcome.stats.casesWithRegionRunbooks).toBeGreaterThan(0);
  }, 120_000);

  it('replays a schedule: a region outage in auto mode fails over once, and liveness holds after healing', async () => {
    const result = await runSchedule({
      settings: { regions: 3, mode: 'auto', dryRun: false, promotionMs: 20_000 },
      events: [
        { kind: 'region', region: 0, dark: true },
        { kind: 'round', count: 6 },
        { kind: 'region', region: 0, dark: false },
      ],
    });
    expect(result.violation).toBeUndefined();
    expect(result.exercised).toEqual({ dnsChanges: expect.any(Number), promotions: 1, regionRunbooks: 1 });
  });
});
