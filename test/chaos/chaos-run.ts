// Runs chaos schedules against the real engine: one schedule (replayable), or many random ones with
// fast-check, which shrinks a failing schedule to a short one and gives it back as JSON.
import fc from 'fast-check';
import { listRunbooks } from '../../lambdas/engine';
import { REGION_FAILOVER_KIND } from '../../lambdas/engine/region';
import { checkLiveness, checkSafety, snapshot, type Violation } from './chaos-promises';
import { scheduleArbitrary, type ChaosSchedule } from './chaos-schedule';
import { ChaosWorld, CYCLE_MS } from './chaos-world';

/** Rounds of every checker after the faults are lifted, before liveness must hold; then the clock jumps a promotion's length and as many again. */
const HEALING_ROUNDS = 40;

export interface ScheduleResult {
  readonly cycles: number;
  /** What the schedule made the guard do: DNS changes, promotions, region runbooks. */
  readonly exercised: { readonly dnsChanges: number; readonly promotions: number; readonly regionRunbooks: number };
  /** Promises checked (each promise once per event, and liveness once). */
  readonly checks: number;
  readonly violation?: Violation & { readonly at: string };
}

const SAFETY_PROMISES = 9;

export async function runSchedule(schedule: ChaosSchedule): Promise<ScheduleResult> {
  const world = new ChaosWorld(schedule.settings);
  const result = await drive(world, schedule);
  const runbooks = await listRunbooks(world.observer);
  return {
    ...result,
    exercised: {
      dnsChanges: world.exercised.get('changeRecordSets') ?? 0,
      promotions: world.exercised.get('promoteReadReplica') ?? 0,
      regionRunbooks: runbooks.filter((r) => r.value.kind === REGION_FAILOVER_KIND).length,
    },
  };
}

async function drive(world: ChaosWorld, schedule: ChaosSchedule): Promise<Omit<ScheduleResult, 'exercised'>> {
  let checks = 0;
  const step = async (
    label: string,
    act: () => Promise<void>,
    failback = false,
  ): Promise<(Violation & { at: string }) | undefined> => {
    const before = await snapshot(world);
    world.mutations = [];
    await act();
    checks += SAFETY_PROMISES;
    const [broken] = await checkSafety(world, before, failback);
    return broken && { ...broken, at: label };
  };
  for (const [i, event] of schedule.events.entries()) {
    const broken = await step(
      `event ${i} (${JSON.stringify(event)})`,
      () => world.apply(event),
      event.kind === 'failback',
    );
    if (broken) return { cycles: world.cycles, checks, violation: broken };
  }
  const healed = await step('healing', () => world.heal());
  if (healed) return { cycles: world.cycles, checks, violation: healed };
  // A dry run changes nothing, so nothing heals either: only safety is promised there.
  if (schedule.settings.dryRun) return { cycles: world.cycles, checks };
  let unmet: Violation[] = [];
  for (let round = 0; round < 2 * HEALING_ROUNDS; round += 1) {
    if (round === HEALING_ROUNDS) world.cloud.advance(schedule.settings.promotionMs);
    const broken = await step(`healing round ${round}`, () => world.apply({ kind: 'round', count: 1 }));
    if (broken) return { cycles: world.cycles, checks, violation: broken };
    unmet = await checkLiveness(world);
    if (unmet.length === 0) break;
  }
  checks += 1;
  const [stuck] = unmet;
  return {
    cycles: world.cycles,
    checks,
    ...(stuck
      ? {
          violation: {
            ...stuck,
            at: `after ${2 * HEALING_ROUNDS} healing rounds (${(2 * HEALING_ROUNDS * CYCLE_MS) / 1000} s and a promotion's length)`,
          },
        }
      : {}),
  };
}

interface ChaosStats {
  cases: number;
  cycles: number;
  checks: number;
  violations: number;
  /** Cases in which the guard changed DNS, promoted a replica, started a region runbook. */
  casesWithDnsChanges: number;
  casesWithPromotions: number;
  casesWithRegionRunbooks: number;
}

export interface ChaosOutcome {
  readonly stats: ChaosStats;
  /** The shrunk failing schedule and what it broke. */
  readonly failure?: { readonly schedule: ChaosSchedule; readonly violation: Violation & { readonly at: string } };
}

export interface ChaosOptions {
  readonly seed: number;
  readonly cases: number;
  readonly maxEvents: number;
  /** Include promotions slower than the engine's promotionTimeoutSeconds. */
  readonly slowPromotions: boolean;
}

/** `cases` random schedules of up to `maxEvents` events from `seed`; stops at the first broken promise, shrunk. */
export async function runChaos(options: ChaosOptions): Promise<ChaosOutcome> {
  const stats: ChaosStats = {
    cases: 0,
    cycles: 0,
    checks: 0,
    violations: 0,
    casesWithDnsChanges: 0,
    casesWithPromotions: 0,
    casesWithRegionRunbooks: 0,
  };
  let last: { schedule: ChaosSchedule; violation: Violation & { at: string } } | undefined;
  const property = fc.asyncProperty(scheduleArbitrary(options.maxEvents, options.slowPromotions), async (schedule) => {
    const result = await runSchedule(schedule);
    stats.cases += 1;
    stats.cycles += result.cycles;
    stats.checks += result.checks;
    if (result.exercised.dnsChanges > 0) stats.casesWithDnsChanges += 1;
    if (result.exercised.promotions > 0) stats.casesWithPromotions += 1;
    if (result.exercised.regionRunbooks > 0) stats.casesWithRegionRunbooks += 1;
    if (result.violation) last = { schedule, violation: result.violation };
    return result.violation === undefined;
  });
  const details = await fc.check(property, { seed: options.seed, numRuns: options.cases, endOnFailure: false });
  if (!details.failed || !details.counterexample) return { stats };
  const [schedule] = details.counterexample;
  stats.violations = 1;
  const replayed = await runSchedule(schedule);
  const violation = replayed.violation ?? last?.violation;
  return { stats, ...(violation ? { failure: { schedule, violation } } : {}) };
}

/** A failure as a person reads it, with the command that replays it. */
export function describeFailure(failure: NonNullable<ChaosOutcome['failure']>): string {
  return [
    `broken promise: ${failure.violation.promise}`,
    `  ${failure.violation.detail}`,
    `  at ${failure.violation.at}`,
    `replay: npm run chaos -- --replay '${JSON.stringify(failure.schedule)}'`,
  ].join('\n');
}
