// Readiness: would each failover the guard may have to run succeed now? The vocabulary of the
// rules' answers — a row per rule and resource, ready or not, why, how to fix — and of what the
// guard state keeps of them (the not-ready rows last reported).
import type { CertificateInfo } from '../observation';

export const ReadinessRule = {
  databaseReplica: 'database-replica',
  standbyLoadBalancer: 'standby-load-balancer',
  standbyRecord: 'standby-record',
  certificate: 'certificate',
  recordHealthCheck: 'record-health-check',
  guardHeartbeat: 'guard-heartbeat',
  drift: 'drift',
} as const;
type ReadinessRuleName = (typeof ReadinessRule)[keyof typeof ReadinessRule];

export interface ReadinessRow {
  readonly rule: ReadinessRuleName;
  /** The database, load balancer, record, endpoint or region the row is about. */
  readonly resource: string;
  readonly region?: string;
  readonly ready: boolean;
  readonly why: string;
  /** What to do; set on rows that are not ready. */
  readonly fix?: string;
}

/** What this checker saw this cycle that the stored state does not carry. */
export interface ReadinessEvidence {
  /** Endpoint id → the certificate its HTTPS probe was shown this cycle; endpoints with none seen are absent. */
  readonly certificates: Readonly<Record<string, CertificateInfo>>;
  /**
   * The instances registered in the topology's target groups, as the account inventory (EC2) lists them.
   * @default - not read (a guard with no inventory): the drift rule judges IP targets only
   */
  readonly targetInstances?: TargetInstances;
  /**
   * The guard's own region health checks, found in the account by their tags.
   * @default - not read (no record is marked dataPlaneFailover, or a guard with no directory)
   */
  readonly guardHealthChecks?: GuardHealthCheckIds;
}

/** The addresses of the instances behind the topology's target groups, by region and instance id. */
export interface TargetInstances {
  /** Region → instance id → its private, public and IPv6 addresses; an instance not listed no longer exists. */
  readonly addresses: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
  /** Regions whose instances could not be read, and why (AccessDenied, throttled, unreachable). */
  readonly unread: readonly { readonly region: string; readonly reason: string }[];
}

/** The guard's health check id per region whose record sets carry it, or why they could not be found. */
export type GuardHealthCheckIds =
  | {
      readonly ok: true;
      readonly ids: Readonly<Record<string, string>>;
      /** Regions with more than one candidate check (left without an id rather than guessed). */
      readonly problems: readonly string[];
    }
  | { readonly ok: false; readonly error: string };

/** A not-ready row as the guard state keeps it: what was reported, keyed by rule and resource. */
export interface ReadinessFailure {
  readonly rule: ReadinessRuleName;
  readonly resource: string;
  readonly why: string;
}

export function readinessKey(row: Pick<ReadinessRow, 'rule' | 'resource'>): string {
  return `${row.rule}|${row.resource}`;
}

/** The not-ready rows as failures, sorted by key (so two evaluations compare as lists). */
export function readinessFailures(rows: readonly ReadinessRow[]): ReadinessFailure[] {
  return rows
    .filter((r) => !r.ready)
    .map((r) => ({ rule: r.rule, resource: r.resource, why: r.why }))
    .sort((a, b) => readinessKey(a).localeCompare(readinessKey(b)));
}

/** True when both lists fail the same rules on the same resources (their wording aside). */
export function sameFailures(a: readonly ReadinessFailure[], b: readonly ReadinessFailure[]): boolean {
  return a.length === b.length && a.every((f, i) => b[i] !== undefined && readinessKey(f) === readinessKey(b[i]));
}
