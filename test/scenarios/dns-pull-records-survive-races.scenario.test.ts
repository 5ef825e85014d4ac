// A pulled target is never forgotten: when two checkers pull the same target at once and one loses
// Route 53's compare-and-swap, the loser's clean-up must not delete the winner's record of the pull.
import { describe, expect, it } from 'vitest';
import { executePlan, observe, planCycle, readGuardState, runCycle } from '../../lambdas/engine';
import { sameRecord } from '../../lambdas/engine/dns-edit';
import {
  CYCLE_MS,
  dnsInterleaved,
  harness,
  ipSetRecord,
  setRecord,
  webTopology,
  ZONE,
  type Harness,
} from './engine-harness';

const CHECKERS = ['eu-west-1', 'eu-central-1'] as const;
const RECORDS = [
  { routing: 'ip-set', record: ipSetRecord(), recordId: 'www' },
  { routing: 'weighted', record: setRecord('weighted'), recordId: 'origin' },
  { routing: 'multivalue', record: setRecord('multivalue'), recordId: 'origin' },
];

async function racingCycles(h: Harness, n: number): Promise<void> {
  for (let i = 0; i < n; i += 1) {
    await Promise.all(CHECKERS.map((checker) => runCycle(h.context({ checker }))));
    h.cloud.advance(CYCLE_MS);
  }
}

/** web-a just confirmed UNHEALTHY; both checkers have planned to pull it, neither has executed. */
async function bothPlanToPullWebA(record: (typeof RECORDS)[number]['record']) {
  const h = harness(webTopology({ dns: [record] }));
  h.probe.fail('web-a');
  await h.cycles(2);
  await observe(h.context());
  const [first, second] = CHECKERS.map((checker) => h.context({ checker }));
  const plans = await Promise.all([planCycle(first!), planCycle(second!)]);
  return { h, first: first!, second: second!, plans };
}

async function pulledKeys(h: Harness): Promise<string[]> {
  return Object.keys((await readGuardState(h.cloud.store)).state.pulledTargets);
}

describe('DNS healing: pull records survive lost races', () => {
  it.each(RECORDS)(
    'keeps the pull record of $routing web-a when two checkers pull it together, and restores it once HEALTHY',
    async ({ record, recordId }) => {
      // Prepare
      const h = harness(webTopology({ dns: [record] }));
      const before = await h.cloud.dns.listRecordSets(ZONE, record.name, 'A');
      h.probe.fail('web-a');
      // Act
      await racingCycles(h, 4);
      const pulled = await pulledKeys(h);
      h.probe.recover('web-a');
      await racingCycles(h, 3);
      // Assess
      expect(pulled).toEqual([`${recordId}|web-a`]);
      expect(sameRecord(await h.cloud.dns.listRecordSets(ZONE, record.name, 'A'), before)).toBe(true);
    },
  );

  it.each(RECORDS)(
    "keeps the winner's pull record of $routing web-a when the loser wrote its own first and then lost the compare-and-swap",
    async ({ record, recordId }) => {
      // Prepare: the loser writes its pull record, then the winner runs whole before the loser's batch
      const { h, first, second, plans } = await bothPlanToPullWebA(record);
      const loser = {
        ...second,
        ports: { ...second.ports, dns: dnsInterleaved(second.ports.dns, () => executePlan(first, plans[0]!)) },
      };
      // Act
      const report = await executePlan(loser, plans[1]!);
      // Assess
      expect(report.results.map((r) => [r.outcome, r.superseded ?? false])).toEqual([['skipped', true]]);
      expect(await pulledKeys(h)).toEqual([`${recordId}|web-a`]);
    },
  );

  it.each(RECORDS)(
    "keeps the pull record of $routing web-a when a checker whose batch failed cleans up just before the winner's batch lands",
    async ({ record, recordId }) => {
      // Prepare: between the winner's write-ahead and its batch, the other checker's batch fails (throttled) and it cleans up
      const { h, first, second, plans } = await bothPlanToPullWebA(record);
      const failing = async () => {
        h.cloud.failNext('changeRecordSets', 1);
        return executePlan(second, plans[1]!);
      };
      const winner = { ...first, ports: { ...first.ports, dns: dnsInterleaved(first.ports.dns, failing) } };
      // Act
      const report = await executePlan(winner, plans[0]!);
      // Assess
      expect(report.results.map((r) => r.outcome)).toEqual(['applied']);
      expect(await pulledKeys(h)).toEqual([`${recordId}|web-a`]);
    },
  );
});
