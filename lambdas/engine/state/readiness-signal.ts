// Whether a checker's ReadinessFailures alarm is known OK (`readiness-signal` namespace, one document
// per checker region): "pending", with the time of the last failure count, from the moment a count is to
// be published until a read of the alarm found it OK ("ok"). A checker whose checks pass asks CloudWatch
// only while it is not "ok", so a ready guard makes no DescribeAlarms call. Shared by the instances of
// one checker, in any order.
import type { StateStorePort } from '../../ports/state-store.port';
import { readinessSignalSchema } from './document-schemas';
import { checkDocument, noteRejection, versioned } from './stored-documents';

const READINESS_SIGNAL_NAMESPACE = 'readiness-signal';

export type ReadinessAlarmKnown = 'pending' | 'ok';

export interface ReadinessSignal {
  /** Undefined while missing or damaged: "not known OK". */
  readonly alarm: ReadinessAlarmKnown | undefined;
  /** When it was written: for "pending", the time of the last failure count. */
  readonly at?: Date;
  /** The stored version, for the compare-and-swap write; 0 when missing. */
  readonly version: number;
}

/** The checker's document; a damaged one reads as not known OK (noted for the next plan to report). */
export async function readReadinessSignal(store: StateStorePort, checker: string): Promise<ReadinessSignal> {
  const stored = await store.get(READINESS_SIGNAL_NAMESPACE, checker);
  if (!stored) return { alarm: undefined, version: 0 };
  const checked = checkDocument(readinessSignalSchema, stored);
  if (checked.ok) return { alarm: checked.value.alarm, at: new Date(checked.value.at), version: stored.version };
  noteRejection(store, checked.rejection);
  return { alarm: undefined, version: stored.version };
}

/** Writes `alarm` over the version read; throws StateConflictError when another instance wrote since. */
export function writeReadinessSignal(
  store: StateStorePort,
  checker: string,
  alarm: ReadinessAlarmKnown,
  read: ReadinessSignal,
  at: Date,
): Promise<number> {
  return store.put(READINESS_SIGNAL_NAMESPACE, checker, versioned({ alarm, at: at.toISOString() }), read.version);
}
