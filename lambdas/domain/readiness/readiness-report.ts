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
}

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
