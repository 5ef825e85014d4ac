// The engine's vocabulary: the ports it drives, the context of one cycle, what the planner reads
// and the plan it returns. Plain data throughout, so plans and runbooks can be stored and printed.
import type { RecordSet } from '../ports/dns.port';
import type { DbClusterState, GlobalClusterState } from '../ports/database.port';
import type { LbTargetHealth } from '../ports/load-balancer.port';
import type { Severity } from '../ports/notifier.port';
import type { StoredDocument } from '../ports/state-store.port';
import type { GuardPorts, ReadinessReadPorts } from '../ports/guard-ports';
import type { Topology } from '../domain/config/schema';
import type { ShardRef } from '../domain/config/shards';
import type { Observation } from '../domain/observation';
import type { ReadinessEvidence, ReadinessFailure } from '../domain/readiness/readiness-report';
import type { CheckerView, HealthTransition, Verdict } from '../domain/health/types';
import type { GuardState } from './state/guard-state';
import type { DocumentRejection } from './state/stored-documents';

export type { GuardPorts, ReadinessReadPorts } from '../ports/guard-ports';
import type { PromotionMethod, RegionRunbook, Runbook } from './state/runbook-kinds';

/** Tunables of the engine that the topology config does not carry. */
export interface EngineOptions {
  /** A promotion not finished after this long is given up with a critical alert. @default - 1800 seconds */
  readonly promotionTimeoutSeconds?: number;
  /** Lifetime of the actor lease; an invocation that dies frees it after this. @default - 60 000 ms */
  readonly leaseTtlMs?: number;
  /** Re-reads and re-plans of one record after a lost compare-and-swap. @default - 3 */
  readonly dnsConflictRetries?: number;
  /** A still-open alert (or a still-skipped action) is published again after this long. @default - 3600 seconds */
  readonly noticeRepeatSeconds?: number;
}

export interface GuardContext {
  readonly topology: Topology;
  /** This checker's region; its view is stored under this name. */
  readonly checker: string;
  readonly ports: GuardPorts;
  readonly now: () => Date;
  /** Plan and notify only; nothing in the cloud changes. */
  readonly dryRun: boolean;
  /** Probes the topology's endpoints; `only`, when given, names the ones this shard probes. */
  readonly probe: (topology: Topology, only?: (targetId: string) => boolean) => Promise<Observation[]>;
  /** The shard of this checker region this invocation is, when the region is sharded. @default - the only one */
  readonly shard?: ShardRef;
  readonly log?: (entry: Record<string, unknown>) => void;
  readonly options?: EngineOptions;
  /**
   * `relevant` reads record sets, RDS state and replica lag only when the plan could act on them
   * (and at the drift interval); `everything` reads all of it every cycle (a person's plan, failback).
   * @default - relevant
   */
  readonly cloudReads?: 'relevant' | 'everything';
  /**
   * Starts a deadline of `ms` for the port calls of a cycle: a signal that aborts when it passes.
   * Tests pass the in-memory cloud's clock. @default - a real timer (ports/deadline.ts deadlineAfter)
   */
  readonly startDeadline?: (ms: number, what: string) => AbortSignal;
  /**
   * Route 53 health check id per region whose record sets this guard keeps them on (records marked
   * `dataPlaneFailover`): the construct's FAILOVER_GUARD_REGION_HEALTH_CHECKS.
   * @default - none: no health check is attached
   */
  readonly regionHealthChecks?: Readonly<Record<string, string>>;
  /**
   * What a readiness cycle reads beyond the cycle's own reads (once per guard.readinessCheckSeconds).
   * @default - none: drift judges IP targets only, and record health checks know regionHealthChecks only
   */
  readonly readinessReads?: ReadinessReadPorts;
}

/** A cloud read that may have failed; the planner never acts on what it could not read. */
export type Read<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** One database member as the RDS API shows it, whatever the engine. */
export interface MemberState {
  readonly exists: boolean;
  readonly status?: string;
  /** rds-instance: still replicating from a source. */
  readonly isReplica?: boolean;
  /** rds-instance: the instance it replicates from (RDS names a source in another region by ARN). */
  readonly replicaOf?: { readonly region: string; readonly identifier: string };
  /** rds-instance: the read replicas RDS lists for it (ReadReplicaDBInstanceIdentifiers), named like replicaOf. */
  readonly replicas?: readonly { readonly region: string; readonly identifier: string }[];
  /** Aurora: the member is the writer of its (global) cluster. */
  readonly isWriter?: boolean;
  /** aurora-global: the member cluster's ARN (FailoverGlobalCluster names the target by ARN). */
  readonly arn?: string;
  /** rds-instance: its VPC security groups (what an "isolate" fence replaces). */
  readonly securityGroups?: readonly { readonly id: string; readonly status: string }[];
}

export interface DatabaseSnapshot {
  readonly members: Readonly<Record<string, Read<MemberState>>>;
  /** Replica lag in seconds per member id, read only when a promotion could follow; undefined value = unknown. */
  readonly lags: Readonly<Record<string, Read<number | undefined>>>;
  /** The writer CNAME's record sets. */
  readonly writerRecord: Read<RecordSet[]>;
  readonly cluster?: Read<DbClusterState | undefined>;
  readonly globalCluster?: Read<GlobalClusterState | undefined>;
}

/** A member that still replicates from another source than the new primary. */
export interface StrandedReplica {
  readonly member: string;
  /** The member id of its source, or `identifier (region)` when the source is not in the config. */
  readonly source: string;
  readonly sourceFenced: boolean;
}

/** What is left to fail over to after a database failover. */
export interface Redundancy {
  /** Members left that replicate from (or, on Aurora, follow) the new primary. */
  readonly replicas: readonly string[];
  /** RDS replicas of another source: not a fallback for the new primary until rebuilt. */
  readonly stranded: readonly StrandedReplica[];
  /** Members whose RDS state could not be read (a dark region): neither counted nor ruled out. */
  readonly unread: readonly string[];
}

/** Everything the pure planner decides from; it fetches nothing. */
export interface PlannerInput {
  readonly topology: Topology;
  readonly checker: string;
  /** ISO time of this cycle. */
  readonly now: string;
  readonly planId: string;
  readonly views: readonly CheckerView[];
  readonly verdicts: ReadonlyMap<string, Verdict>;
  /** Live checker regions (fresh heartbeat), in no particular order. */
  readonly liveCheckers: readonly string[];
  readonly guardState: GuardState;
  readonly runbooks: readonly StoredDocument<Runbook>[];
  /** Record sets of every configured DNS record, by record id. */
  readonly records: Readonly<Record<string, Read<RecordSet[]>>>;
  readonly databases: Readonly<Record<string, DatabaseSnapshot>>;
  /** Target health per target group ARN. */
  readonly targetGroups: Readonly<Record<string, Read<LbTargetHealth[]>>>;
  /** Stored documents rejected by this cycle's reads (left out of the input above): reported, never acted on. */
  readonly rejectedDocuments?: readonly DocumentRejection[];
  readonly options: Required<EngineOptions>;
  /** Present in the cycles that evaluate readiness (once per guard.readinessCheckSeconds): what this checker saw. */
  readonly readiness?: ReadinessEvidence;
  /** The guard context's regionHealthChecks. @default - none: no health check is attached */
  readonly regionHealthChecks?: Readonly<Record<string, string>>;
}

/** An edit of one DNS record, applied to whatever the record holds when it runs. */
export type DnsEdit =
  | { readonly shape: 'ip-set'; readonly op: 'remove' | 'add'; readonly values: readonly string[] }
  | { readonly shape: 'set'; readonly op: 'weight'; readonly setIdentifier: string; readonly weight: number }
  | { readonly shape: 'set'; readonly op: 'delete'; readonly setIdentifier: string }
  | { readonly shape: 'set'; readonly op: 'create'; readonly recordSet: RecordSet };

interface ActionBase {
  readonly resource: string;
  readonly region: string;
  readonly reason: string;
  readonly before?: unknown;
  readonly after?: unknown;
  /** What cooldowns and notice de-duplication are keyed on, e.g. `dns:www:nlb-dub-1`. */
  readonly key: string;
  /** Needed to keep a record serving or a failover moving: cooldown and the DNS rate cap never hold it. */
  readonly urgent?: boolean;
}

export interface DnsAction extends ActionBase {
  readonly kind: 'dns.pull' | 'dns.restore';
  readonly recordId: string;
  readonly endpoint: string;
  readonly edit: DnsEdit;
  /** The set the edit changes, as read when planned (none for a set it creates). */
  readonly before?: RecordSet;
  /** The set as the edit leaves it (none for a set it deletes). */
  readonly after?: RecordSet;
  /** Every set of the record as this action was planned against: the executor acts only on that record. */
  readonly planned: readonly RecordSet[];
}

export interface DatabasePromoteAction extends ActionBase {
  readonly kind: 'database.promote';
  readonly databaseId: string;
  readonly runbookId: string;
  /** True when this action starts the runbook (first attempt). */
  readonly startsRunbook: boolean;
  readonly oldPrimary: string;
  readonly candidate: string;
  readonly method: PromotionMethod;
  readonly allowDataLoss: boolean;
  /** For failover-global-cluster: the candidate cluster's ARN. */
  readonly targetArn?: string;
  /** Why each other replica was not chosen (kept in the runbook and the notification). */
  readonly rejected: readonly { readonly member: string; readonly why: string }[];
}

export interface DatabaseRepointAction extends ActionBase {
  readonly kind: 'database.repoint-writer';
  readonly databaseId: string;
  readonly runbookId: string;
  readonly oldPrimary: string;
  readonly newPrimary: string;
  readonly host: string;
  /** What is left to fail over to after this failover (on RDS, only replicas of the new primary count). */
  readonly redundancy: Redundancy;
}

export interface DatabaseAbandonAction extends ActionBase {
  readonly kind: 'database.abandon';
  readonly databaseId: string;
  readonly runbookId: string;
  /** The given-up candidate, when a promotion may have reached it: fenced before another is tried. */
  readonly fence?: string;
}

/**
 * A real fence on an old primary: make the call (apply), record that RDS shows it in effect (confirm),
 * or lift it once the member is a replica of the current writer (lift).
 */
export interface DatabaseFenceAction extends ActionBase {
  readonly kind: 'database.fence';
  readonly databaseId: string;
  readonly member: string;
  readonly identifier: string;
  readonly mode: 'stop' | 'isolate' | 'none';
  readonly step: 'apply' | 'confirm' | 'lift';
  /** isolate: the security group that replaces the member's. */
  readonly securityGroupId?: string;
}

export interface LoadBalancerReportAction extends ActionBase {
  readonly kind: 'load-balancer.targets-unhealthy' | 'load-balancer.targets-recovered';
  readonly targetGroupArn: string;
  /** The unhealthy targets now, as `id:port state (reason)`, sorted. */
  readonly unhealthy: readonly string[];
  /** The unhealthy targets last reported when this was planned: the report is claimed only while they still are. */
  readonly reported: readonly string[];
}

/** Readiness lost (some check fails; also when the failing set changes) or back (every check passes). */
export interface ReadinessReportAction extends ActionBase {
  readonly kind: 'readiness.lost' | 'readiness.restored';
  /** The checks that fail now, sorted by rule and resource. */
  readonly notReady: readonly ReadinessFailure[];
  /** The failing checks last reported when this was planned: the report is claimed only while they still are. */
  readonly reported: readonly ReadinessFailure[];
}

/** Puts a region's health check on one set of a `dataPlaneFailover` record: DELETE the set read, CREATE it with the check. */
export interface HealthCheckAttachAction extends ActionBase {
  readonly kind: 'dns.attach-health-check';
  readonly recordId: string;
  readonly setIdentifier: string;
  readonly healthCheckId: string;
  /** The set as read, which the compare-and-swap batch deletes. */
  readonly before: RecordSet;
  /** The same set with the health check. */
  readonly after: RecordSet;
}

/** The region runbook steps and notices, by action kind. */
export const RegionActionKind = {
  REQUEST_APPROVAL: 'region.failover.request-approval',
  START: 'region.failover.start',
  CANCEL: 'region.failover.cancel',
  ABORT: 'region.runbook.abort',
  ANNOUNCE: 'region.runbook.announce',
  PROMOTE: 'region.runbook.promote',
  MOVE_DNS: 'region.runbook.move-dns',
  REPOINT_WRITER: 'region.runbook.repoint-writer',
  COMPLETE: 'region.runbook.complete',
  HEARTBEAT_RESTORED: 'region.heartbeat.restored',
} as const;

/**
 * What a runbook action's notification subject names: failover or failback, from and to which
 * region, and (for a step) which step of how many.
 */
export interface RunbookSubject {
  readonly flow: 'failover' | 'failback';
  readonly fromRegion: string;
  readonly toRegion: string;
  readonly stepNumber?: number;
  readonly stepCount?: number;
}

interface RunbookActionBase extends ActionBase {
  readonly runbookId: string;
  /** True when it changes nothing in the cloud (a cancel): pause and dry-run do not hold it. */
  readonly reportOnly?: boolean;
  /** Counts against the DNS rate cap (moving records or writer names). */
  readonly changesDns?: boolean;
}

/** Creates a region failover runbook: waiting for approval, or started (its announcement is this action's notice). */
export interface RegionCreateAction extends RunbookActionBase {
  readonly kind: typeof RegionActionKind.REQUEST_APPROVAL | typeof RegionActionKind.START;
  readonly data: RunbookSubject & { readonly runbook: RegionRunbook };
}

/** A step of a running region runbook, or its end (cancel before any move, abort). */
export interface RegionStepAction extends RunbookActionBase {
  readonly kind:
    | typeof RegionActionKind.CANCEL
    | typeof RegionActionKind.ABORT
    | typeof RegionActionKind.ANNOUNCE
    | typeof RegionActionKind.MOVE_DNS
    | typeof RegionActionKind.REPOINT_WRITER
    | typeof RegionActionKind.COMPLETE;
  /** subjectNames: the records or writer names the step moves, for the subject. */
  readonly data: RunbookSubject & { readonly runbookId: string; readonly subjectNames?: readonly string[] };
}

/** The promote step: start the promotions not yet started, or (complete) record every one done. */
export interface RegionPromoteAction extends RunbookActionBase {
  readonly kind: typeof RegionActionKind.PROMOTE;
  readonly data: RunbookSubject & {
    readonly runbookId: string;
    /** Database ids whose promotion this action starts. */
    readonly start: readonly string[];
    readonly complete: boolean;
    readonly subjectNames: readonly string[];
  };
}

/** A checker whose missing heartbeat was told writes again: announced, and the notice cleared. */
export interface HeartbeatRestoredAction extends ActionBase {
  readonly kind: typeof RegionActionKind.HEARTBEAT_RESTORED;
  readonly reportOnly: true;
  readonly data: { readonly checker: string; readonly lastSeen?: string; readonly noticeKey: string };
}

export type RegionAction = RegionCreateAction | RegionStepAction | RegionPromoteAction | HeartbeatRestoredAction;

export type PlannedAction =
  | DnsAction
  | DatabasePromoteAction
  | DatabaseRepointAction
  | DatabaseAbandonAction
  | DatabaseFenceAction
  | LoadBalancerReportAction
  | ReadinessReportAction
  | HealthCheckAttachAction
  | RegionAction;

/** Every alert the planners raise; each has a subject in engine/notification-subjects. */
export type AlertEventType =
  | 'dns.all-targets-down'
  | 'dns.edit-refused'
  | 'dns.cannot-restore'
  | 'dns.min-healthy-held'
  | 'dns.read-failed'
  | 'dns.health-check-foreign'
  | 'load-balancer.read-failed'
  | 'database.unconfirmed'
  | 'database.probe-disagrees'
  | 'database.primary-busy'
  | 'database.no-candidate'
  | 'database.promotion-slow'
  | 'region.failover.promotion-slow'
  | 'region.dark'
  | 'region.failover.aborted'
  | 'checker.heartbeat.missing'
  | 'checker.shard.stale'
  | 'state.document-rejected';

/** A critical (or warning) condition the guard cannot or will not act on. */
export interface PlanAlert {
  /** Stable while the condition lasts: alerts are published when new and repeated only after noticeRepeatSeconds. */
  readonly key: string;
  readonly eventType: AlertEventType;
  readonly severity: Severity;
  readonly resource: string;
  readonly region?: string;
  /** The endpoint, member or load balancer the alert is about, named in the subject (not published otherwise). */
  readonly about?: string;
  readonly reason: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface Plan {
  readonly id: string;
  readonly createdAt: string;
  readonly checker: string;
  readonly dryRun: boolean;
  readonly actions: readonly PlannedAction[];
  readonly alerts: readonly PlanAlert[];
  /** Things the planner chose to wait for, worth a line in the plan (a promotion in progress). */
  readonly notes: readonly string[];
  /** Applied actions' notifications earlier executions could not publish (set when there are some): execute to publish them. */
  readonly unsentNotifications?: number;
}

/** A pure sub-planner: one concern of the plan. */
export type SubPlanner = (input: PlannerInput) => { actions: PlannedAction[]; alerts: PlanAlert[]; notes?: string[] };

export type ActionOutcome = 'applied' | 'planned' | 'skipped' | 'failed';

export interface ActionResult {
  readonly action: PlannedAction;
  readonly outcome: ActionOutcome;
  readonly detail: string;
  /**
   * Audited, not published: re-planned within the same execution (a lost compare-and-swap; the
   * re-plan's result is published), or told already by a checker that won the claim to tell it.
   */
  readonly superseded?: boolean;
}

export interface ExecutionReport {
  readonly planId: string;
  readonly dryRun: boolean;
  /** False when another invocation held the actor lease: nothing was done. */
  readonly leaseHeld: boolean;
  readonly paused: boolean;
  readonly results: readonly ActionResult[];
  /** SNS notifications that went out (actions and alerts). */
  readonly notificationsPublished: number;
  /** Publishes that failed (logged at error); an alert's or a repeat's claim is released, so it is told next cycle. */
  readonly notificationsFailed: number;
}

export interface ObserveResult {
  readonly observations: readonly Observation[];
  readonly transitions: readonly HealthTransition[];
  readonly view: CheckerView;
}

export interface CycleReport {
  readonly checker: string;
  readonly at: string;
  readonly observations: { readonly total: number; readonly failed: number };
  readonly transitions: readonly HealthTransition[];
  readonly plan: Plan;
  readonly execution: ExecutionReport;
}
