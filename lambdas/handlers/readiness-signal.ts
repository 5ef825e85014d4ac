// What a readiness cycle publishes as ReadinessFailures, and when it asks CloudWatch about the alarm.
// A failing cycle marks its checker's readiness-signal document "pending" with its time (every count:
// the version moves, so an "ok" written from an older read cannot stand), then publishes the count.
// A passing cycle does nothing while the document says "ok"; otherwise it publishes the zero and, once
// the last count is more than a readiness period and a minute old (its metric period closed and evaluated,
// whichever instance published it), reads the alarm (DescribeAlarms) and writes "ok" if it is OK. The
// zero also goes out in that cycle: the alarm (missing data ignored) is left on a zero before the checker
// falls silent.
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { asError } from '../domain/errors';
import { readReadinessSignal, writeReadinessSignal, type ReadinessAlarmKnown, type ReadinessSignal } from '../engine';
import { StateConflictError } from '../ports/errors';
import type { StateStorePort } from '../ports/state-store.port';
import { GuardMetric } from '../contracts/telemetry-names';

export interface ReadinessSignalDeps {
  readonly store: StateStorePort;
  readonly checker: string;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly now: () => Date;
  /** The topology's guard.readinessCheckSeconds: how often a readiness cycle comes. */
  readonly readinessCheckSeconds: number;
}

/** Beyond a readiness period, how old the last count must be before "ok" may be written: its metric minute closed and evaluated. */
const COUNT_SETTLE_MS = 60_000;

/** Attempts at the "pending" write when other instances of this checker write in between. */
const PENDING_WRITE_ATTEMPTS = 3;

/**
 * Returns what each readiness cycle calls with its failure count and its read of the alarm (false when
 * the alarm cannot be read in time).
 */
export function readinessSignal(
  deps: ReadinessSignalDeps,
): (failures: number, alarmIsOk: () => Promise<boolean>) => Promise<void> {
  const { store, checker, logger } = deps;
  // A count this instance published without marking it pending: the document's "ok" is not trusted here.
  let unmarkedCount = false;

  const publish = (failures: number) => {
    deps.metrics.addMetric(GuardMetric.readinessFailures, MetricUnit.Count, failures);
    deps.metrics.publishStoredMetrics();
  };

  /** The document, or undefined when it cannot be read (a warning says why). */
  async function read(): Promise<ReadinessSignal | undefined> {
    try {
      return await readReadinessSignal(store, checker);
    } catch (error) {
      logger.warn('checker.readiness-signal-unread', { error: asError(error) });
      return undefined;
    }
  }

  async function write(alarm: ReadinessAlarmKnown, over: ReadinessSignal): Promise<void> {
    await writeReadinessSignal(store, checker, alarm, over, deps.now());
  }

  /** Makes the document say "pending" as of now (the count's time); true when it does. */
  async function markPending(first: ReadinessSignal | undefined): Promise<boolean> {
    let signal = first;
    for (let attempt = 1; signal; attempt += 1) {
      try {
        await write('pending', signal);
        return true;
      } catch (error) {
        if (!(error instanceof StateConflictError) || attempt >= PENDING_WRITE_ATTEMPTS) {
          logger.error('checker.readiness-signal-unwritten', { alarm: 'pending', error: asError(error) });
          return false;
        }
      }
      signal = await read();
    }
    return false;
  }

  return async (failures, alarmIsOk) => {
    const signal = await read();
    if (failures > 0) {
      // The count goes out whatever the write did: the alarm must fire.
      if (!(await markPending(signal))) unmarkedCount = true;
      publish(failures);
      return;
    }
    if (signal?.alarm === 'ok' && !unmarkedCount) return;
    const lastCount = signal?.alarm === 'pending' ? signal.at : undefined;
    const settled =
      lastCount === undefined ||
      deps.now().getTime() - lastCount.getTime() > deps.readinessCheckSeconds * 1000 + COUNT_SETTLE_MS;
    if (settled && (await alarmIsOk()) && signal) {
      try {
        await write('ok', signal);
        unmarkedCount = false;
      } catch (error) {
        // Still "not known OK": the next period reads the alarm again.
        logger.warn('checker.readiness-signal-unwritten', { alarm: 'ok', error: asError(error) });
      }
    }
    publish(0);
  };
}
