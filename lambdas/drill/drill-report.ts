// The drill's verdict: one row per expectation (the fault, what should happen, how fast it was
// detected and acted on, pass or fail), as a table for people and as JSON for scripts.
import type { Notification } from '../ports/notifier.port';
import type { TimelineEvent } from './timeline';

export interface ExpectationResult {
  readonly scenario: string;
  /** The fault injected, in a few words. */
  readonly fault: string;
  /** The outcome expected, in a few words. */
  readonly expected: string;
  readonly passed: boolean;
  /** From the fault to the first checker that saw the target UNHEALTHY (or healthy again). */
  readonly detectMs?: number;
  /** From the fault to the outcome seen from outside (a real DNS query, the database API). */
  readonly actMs?: number;
  /** What was seen; on failure, what was seen instead. */
  readonly detail: string;
}

export interface DrillReport {
  readonly topology: string;
  readonly speed: number;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly passed: boolean;
  readonly results: readonly ExpectationResult[];
  readonly notifications: readonly Notification[];
  readonly timeline: readonly TimelineEvent[];
}

const seconds = (ms: number | undefined) => (ms === undefined ? '-' : `${(ms / 1000).toFixed(1)} s`);

/** The summary table printed at the end of the drill. */
export function formatSummary(report: DrillReport): string {
  const header = ['scenario', 'fault', 'expected', 'detect', 'act', 'result'];
  const rows = report.results.map((r) => [
    r.scenario,
    r.fault,
    r.expected,
    seconds(r.detectMs),
    seconds(r.actMs),
    r.passed ? 'PASS' : 'FAIL',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const failures = report.results
    .filter((r) => !r.passed)
    .map((r) => `  FAIL ${r.scenario}: ${r.expected} — ${r.detail}`);
  const passedCount = report.results.filter((r) => r.passed).length;
  return [
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    ...failures,
    `${passedCount}/${report.results.length} expectations met in ${seconds(report.durationMs)} (speed ${report.speed}): ${report.passed ? 'PASS' : 'FAIL'}`,
    '',
  ].join('\n');
}
