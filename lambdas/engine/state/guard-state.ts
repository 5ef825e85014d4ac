// Guard-wide state (`guard` namespace, one document): what the guard has done that the cloud alone
// does not remember — what it pulled and how to put it back, who is fenced, cooldowns, the DNS
// change window, open notices, the pause switch. Read-modify-write with compare-and-swap.
import type { ReadinessFailure } from '../../domain/readiness/readiness-report';
import type { RecordSet } from '../../ports/dns.port';
import type { Notification } from '../../ports/notifier.port';
import { StateConflictError } from '../../ports/errors';
import type { StateStorePort } from '../../ports/state-store.port';
import { guardStateSchema } from './document-schemas';
import { readChecked, versioned, type Migration } from './stored-documents';

const GUARD_NAMESPACE = 'guard';
const GUARD_STATE_NAME = 'state';

/** A DNS target the guard took out of service, with what it needs to bring it back as it was. */
export interface PulledTarget {
  readonly recordId: string;
  readonly endpoint: string;
  readonly at: string;
  readonly planId: string;
  /** ip-set: the values removed from the record set. */
  readonly values?: readonly string[];
  /** weighted: the weight before it was set to 0. */
  readonly weight?: number;
  /** multivalue / failover: the record set deleted, restored exactly. */
  readonly recordSet?: RecordSet;
}

/**
 * How long after the guard's own change a listing of the record that differs from what the change
 * left is taken for a read that predates it: Route 53 may list the old sets until the change is
 * INSYNC, generally within 60 s.
 */
export const ROUTE53_SYNC_SECONDS = 120;

/** A DNS record as the guard's last applied change batch left it. */
interface DnsWrite {
  readonly at: string;
  readonly sets: readonly RecordSet[];
}

/** Where a real fence (stop, isolate) stands; absent until the first call is made. */
export interface FenceRecord {
  readonly mode: 'stop' | 'isolate';
  /** ISO time of the last StopDBInstance / ModifyDBInstance call that went through. */
  readonly requestedAt: string;
  /** ISO time RDS first showed it in effect after that call; unset while it is not (yet). */
  readonly confirmedAt?: string;
}

/** A database member the guard failed over from: never made writer again automatically. */
export interface FencedMember {
  readonly databaseId: string;
  readonly at: string;
  readonly planId: string;
  readonly reason: string;
  readonly fence?: FenceRecord;
}

/** A notice (alert, held action, failure) told once for every checker, and who still raises it. */
export interface NoticeRecord {
  /** ISO time it was last published; the claim to publish it again is a compare-and-swap on this. */
  readonly publishedAt: string;
  /** Checkers whose last execution raised it; it is forgotten once none does. */
  readonly raisedBy: readonly string[];
}

/** An applied action's notification whose publish failed: the next execution publishes it. */
export interface UnsentNotification {
  readonly id: string;
  readonly notification: Notification;
  /** ISO time of the last failed publish. */
  readonly failedAt: string;
  readonly attempts: number;
}

export interface GuardState {
  /** The region traffic is served from (active-passive records); unset = the primary region. */
  readonly activeRegion?: string;
  /** Database id → member id now acting as primary; unset = the configured primary. */
  readonly databasePrimaries: Readonly<Record<string, string>>;
  /** Member id → why it is fenced. */
  readonly fencedMembers: Readonly<Record<string, FencedMember>>;
  /** `recordId|endpoint` → what was pulled. */
  readonly pulledTargets: Readonly<Record<string, PulledTarget>>;
  /** Cooldown key → ISO time of the last action on it. */
  readonly cooldowns: Readonly<Record<string, string>>;
  /** ISO times of the DNS changes applied inside the rate-cap window. */
  readonly dnsChanges: readonly string[];
  /** Record id → the record as the guard's last change left it, kept ROUTE53_SYNC_SECONDS (absent in older documents). */
  readonly dnsWrites?: Readonly<Record<string, DnsWrite>>;
  /** Notice key → when it was published and who raises it (alerts, skipped actions, failures). */
  readonly notices: Readonly<Record<string, NoticeRecord>>;
  /** Applied actions' notifications not yet published, oldest first (absent in older documents). */
  readonly unsentNotifications?: readonly UnsentNotification[];
  /** Target group ARN → the unhealthy targets last reported. */
  readonly reportedTargetHealth: Readonly<Record<string, readonly string[]>>;
  /** Set by an operator (or the region runbook) to stop every action; probing goes on. */
  readonly paused: boolean;
  /** The readiness checks last reported failing (none: ready), and since when that report stands. */
  readonly readiness: ReadinessRecord;
}

export interface ReadinessRecord {
  readonly notReady: readonly ReadinessFailure[];
  /** ISO time of the last readiness report; unset until readiness was first lost. */
  readonly since?: string;
}

export function emptyGuardState(): GuardState {
  return {
    databasePrimaries: {},
    fencedMembers: {},
    pulledTargets: {},
    cooldowns: {},
    dnsChanges: [],
    notices: {},
    reportedTargetHealth: {},
    paused: false,
    readiness: { notReady: [] },
  };
}

/** The notice key of a plan alert: one for every checker, so the alert is published once. */
export function alertNoticeKey(alertKey: string): string {
  return `alert:${alertKey}`;
}

export function pulledTargetKey(recordId: string, endpoint: string): string {
  return `${recordId}|${endpoint}`;
}

// Version 0: fields an older writer did not set take their defaults; a notice kept per checker as a
// bare time string (older still) is dropped.
const migrateGuardState: Migration = (legacy) => {
  const notices = typeof legacy.notices === 'object' && legacy.notices !== null ? legacy.notices : {};
  return {
    ...emptyGuardState(),
    ...legacy,
    notices: Object.fromEntries(Object.entries(notices).filter(([, value]) => typeof value === 'object')),
  };
};

/**
 * The stored guard state (empty when none is stored yet) and its version. A damaged or foreign one
 * throws StateDocumentRejectedError: what was pulled or fenced cannot be guessed, so nothing acts.
 */
export async function readGuardState(store: StateStorePort): Promise<{ state: GuardState; version: number }> {
  const stored = await readChecked(store, guardStateSchema, GUARD_NAMESPACE, GUARD_STATE_NAME, migrateGuardState);
  return { state: stored?.value ?? emptyGuardState(), version: stored?.version ?? 0 };
}

const MAX_CAS_ATTEMPTS = 5;

/**
 * Applies `mutate` to the latest guard state and writes it with compare-and-swap, re-reading and
 * re-applying when another writer got there first. Returns the state written; when `mutate` returns
 * the state it was given unchanged, nothing is written.
 */
export async function updateGuardState(
  store: StateStorePort,
  mutate: (state: GuardState) => GuardState,
): Promise<GuardState> {
  for (let attempt = 1; ; attempt += 1) {
    const { state, version } = await readGuardState(store);
    const next = mutate(state);
    if (next === state) return state;
    try {
      await store.put(GUARD_NAMESPACE, GUARD_STATE_NAME, versioned(next), version);
      return next;
    } catch (error) {
      if (!(error instanceof StateConflictError) || attempt >= MAX_CAS_ATTEMPTS) throw error;
    }
  }
}

/** The region whose targets active-passive records serve. */
export function activeRegionOf(state: GuardState, primaryRegion: string): string {
  return state.activeRegion ?? primaryRegion;
}

/** Returns a copy of `record` without `key`. */
export function without<T>(record: Readonly<Record<string, T>>, key: string): Record<string, T> {
  const { [key]: _removed, ...rest } = record;
  return rest;
}
