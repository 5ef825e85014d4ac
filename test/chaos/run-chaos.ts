// npm run chaos -- [--seed N] [--cases M] [--events E] [--no-slow-promotions] [--replay '<schedule JSON>']
// Long chaos runs outside the suite: random schedules against the real engine, figures at the end,
// a broken promise printed with its shrunk, replayable schedule (exit 1).
import { parseArgs } from 'node:util';
import type { ChaosSchedule } from './chaos-schedule';
import { describeFailure, runChaos, runSchedule } from './chaos-run';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: String(Date.now() % 2 ** 31) },
    cases: { type: 'string', default: '200' },
    events: { type: 'string', default: '40' },
    replay: { type: 'string' },
    'no-slow-promotions': { type: 'boolean', default: false },
  },
});

async function main(): Promise<number> {
  if (values.replay) {
    const schedule = JSON.parse(values.replay) as ChaosSchedule;
    const result = await runSchedule(schedule);
    if (!result.violation) {
      process.stdout.write(
        `replayed: every promise held (${result.cycles} cycles, ${result.checks} promises checked)\n`,
      );
      return 0;
    }
    process.stdout.write(`${describeFailure({ schedule, violation: result.violation })}\n`);
    return 1;
  }
  const seed = Number(values.seed);
  const cases = Number(values.cases);
  const maxEvents = Number(values.events);
  const started = Date.now();
  const outcome = await runChaos({ seed, cases, maxEvents, slowPromotions: !values['no-slow-promotions'] });
  const { stats } = outcome;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    `chaos: seed ${seed}, ${stats.cases} cases (up to ${maxEvents} events${values['no-slow-promotions'] ? ', no slow promotions' : ''}), ${stats.cycles} checker cycles, ${stats.checks} promises checked, ${stats.violations} violations, ${seconds} s\n` +
      `  cases in which the guard changed DNS: ${stats.casesWithDnsChanges}, promoted a replica: ${stats.casesWithPromotions}, started a region runbook: ${stats.casesWithRegionRunbooks}\n`,
  );
  if (outcome.failure) {
    process.stdout.write(`${describeFailure(outcome.failure)}\n`);
    return 1;
  }
  return 0;
}

process.exitCode = await main();
