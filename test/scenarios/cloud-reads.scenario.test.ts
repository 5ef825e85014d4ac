// Reading the cloud only when it matters must not slow a failover down: the same failures, run once
// with every cloud read in every cycle and once with the read scope, act in the same cycles. And the
// idle cycles between drift reads read nothing billable.
import { vi } from 'vitest';
import { describe, expect, it } from 'vitest';
import type { GuardContext } from '../../lambdas/engine';
import { WRITER, twoReplicaDb } from './database-fixtures';
import { harness, ipSetRecord, webTopology, type Harness } from './engine-harness';

type Reads = NonNullable<GuardContext['cloudReads']>;

interface CycleLog {
  readonly applied: string[];
  readonly recordReads: number;
  readonly lagReads: number;
}

/** Runs `cycles` cycles (10 s apart from 12:00:00, a drift read at the first), calling `script(i)` before cycle i. */
async function run(h: Harness, reads: Reads, cycles: number, script: (i: number) => void): Promise<CycleLog[]> {
  const recordReads = vi.spyOn(h.cloud.dns, 'listRecordSets');
  const lagReads = vi.spyOn(h.cloud.database, 'replicaLagSeconds');
  const log: CycleLog[] = [];
  for (let i = 0; i < cycles; i += 1) {
    script(i);
    recordReads.mockClear();
    lagReads.mockClear();
    const report = await h.cycles(1, { cloudReads: reads });
    log.push({
      // Failover actions only: a readiness report (this world has no replica in the standby region) is not one.
      applied: report.execution.results
        .filter((r) => r.outcome === 'applied' && !r.action.kind.startsWith('readiness.'))
        .map((r) => r.action.kind),
      recordReads: recordReads.mock.calls.length,
      lagReads: lagReads.mock.calls.length,
    });
  }
  return log;
}

const appliedByCycle = (log: readonly CycleLog[]) => log.flatMap((c, i) => c.applied.map((kind) => `${i}:${kind}`));

describe('cloud reads only when they matter', () => {
  it('pulls and restores a dead server in the same cycles as reading everything every cycle, reading nothing while idle', async () => {
    // Prepare: web-b dies before cycle 3 and comes back before cycle 8
    const script = (h: Harness) => (i: number) => {
      if (i === 3) h.probe.fail('web-b');
      if (i === 8) h.probe.recover('web-b');
    };
    const everything = harness(webTopology({ dns: [ipSetRecord()] }));
    const relevant = harness(webTopology({ dns: [ipSetRecord()] }));
    // Act
    const baseline = await run(everything, 'everything', 12, script(everything));
    const scoped = await run(relevant, 'relevant', 12, script(relevant));
    // Assess: pulled at the third failed cycle, restored at the second good one, in both
    expect(appliedByCycle(baseline)).toEqual(['5:dns.pull', '9:dns.restore']);
    expect(appliedByCycle(scoped)).toEqual(appliedByCycle(baseline));
    // Cycle 0 is the drift read; cycles 1-2 idle; from the first failure until after the restore the record is read every cycle
    expect(scoped.map((c) => c.recordReads)).toEqual([1, 0, 0, 1, 1, 2, 1, 1, 1, 2, 0, 0]);
    expect(relevant.cloud.resolve('www.shop.example.com', 'A').sort()).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3']);
  });

  it('promotes and repoints the writer in the same cycles as reading everything, reading lag only once the primary is suspect', async () => {
    // Prepare: the primary dies before cycle 2; RDS finishes the promotion after 60 s
    const script = (h: Harness) => (i: number) => {
      if (i !== 2) return;
      h.probe.fail('orders-primary', 'ECONNREFUSED');
      h.cloud.failInstance('orders-primary', 'failed');
    };
    const everything = harness(webTopology({ databases: [twoReplicaDb()] }));
    const relevant = harness(webTopology({ databases: [twoReplicaDb()] }));
    // Act
    const baseline = await run(everything, 'everything', 12, script(everything));
    const scoped = await run(relevant, 'relevant', 12, script(relevant));
    // Assess
    expect(appliedByCycle(baseline)).toEqual(['4:database.promote', '10:database.repoint-writer']);
    expect(appliedByCycle(scoped)).toEqual(appliedByCycle(baseline));
    expect(relevant.cloud.resolve(WRITER, 'CNAME')).toEqual(['orders-r1.abc.eu-west-1.rds.amazonaws.com']);
    // Lag of the two replicas: at the drift read (0), not while idle (1), then from the first failed
    // probe (2) while a promotion could follow and its runbook is open (4-10), and the candidate's once more
    // right before the promotion call (4); none once the writer moved (11)
    expect(scoped.map((c) => c.lagReads)).toEqual([2, 0, 2, 2, 3, 2, 2, 2, 2, 2, 2, 0]);
    // Reading everything reads both replicas' lag in every cycle
    expect(baseline.every((c) => c.lagReads >= 2)).toBe(true);
  });
});
