// What an idle checker writes to its log, measured from the real handler (docs/cost.md, "Logs
// ingestion"): both guard regions' checkers run on the tick schedule over the in-memory cloud with
// nothing failing; after the settle time of a fresh deployment, the bytes of eu-west-1's lines (each
// JSON line and its newline) are counted. The cost model's figures must stay within 5% of them.
import { describe, expect, it } from 'vitest';
import { regionHealthySettleSeconds } from '../../lambdas/contracts/region-health-signal';
import { LogMessage } from '../../lambdas/contracts/telemetry-names';
import { MEASURED } from '../../lambdas/domain/cost/guard-usage';
import { exampleTopology } from '../fixtures/guard-topologies';
import { minuteAt, runTimeline } from './checker-timeline';

describe('an idle checker’s log', () => {
  it('writes one summary line a cycle (and the drift read’s line) and no metric: as many bytes as the cost model counts', async () => {
    // Prepare: measured from the first minute after the settle time, over whole readiness periods
    const topology = exampleTopology();
    const from = Math.ceil(regionHealthySettleSeconds(topology) / 60) + 1;
    const minutes = 30;
    // Act
    const { lines } = await runTimeline({
      topology,
      minutes: from + minutes,
      readinessAlarmIsOk: () => async () => true,
    });
    // Assess
    const writtenAt = (l: Record<string, unknown>) =>
      '_aws' in l ? (l._aws as { Timestamp: number }).Timestamp : Date.parse(String(l.timestamp));
    const idle = lines.filter((l) => writtenAt(l) >= minuteAt(from));
    expect(idle.filter((l) => '_aws' in l)).toEqual([]);
    const bytes = (some: readonly Record<string, unknown>[]) =>
      some.reduce((n, l) => n + Buffer.byteLength(`${JSON.stringify(l)}\n`), 0);
    const queued = idle.filter((l) => l.message === 'checker.cycles-queued');
    const cycles = idle.filter((l) => l.message === LogMessage.cycle).length;
    expect(cycles).toBe(minutes * 6);
    expect(queued).toHaveLength(minutes);
    const perCycle = (bytes(idle) - bytes(queued)) / cycles;
    const queuedPerMinute = bytes(queued) / minutes;
    expect(perCycle).toBeGreaterThan(MEASURED.cycleLogBytes * 0.95);
    expect(perCycle).toBeLessThan(MEASURED.cycleLogBytes * 1.05);
    expect(queuedPerMinute).toBeGreaterThan(MEASURED.tickLogBytesPerMinute * 0.95);
    expect(queuedPerMinute).toBeLessThan(MEASURED.tickLogBytesPerMinute * 1.05);
  });
});
