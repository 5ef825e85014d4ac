// What the guard tells people: one notification per action, failure to act or critical condition.

export type Severity = 'info' | 'warning' | 'critical';

export interface Notification {
  /** Machine-readable kind, e.g. dns.target.pulled, database.promoted, region.failover.started. */
  readonly eventType: string;
  readonly severity: Severity;
  /** ASCII, one line, under 100 characters. */
  readonly subject: string;
  /** What it concerns: a record name, a database id, a region. */
  readonly resource: string;
  readonly region?: string;
  readonly reason: string;
  readonly before?: unknown;
  readonly after?: unknown;
  readonly planId?: string;
  readonly dryRun: boolean;
  /** ISO-8601. */
  readonly at: string;
  readonly details?: Readonly<Record<string, unknown>>;
}
