// What a runbook is, by kind: the envelope every runbook shares (ordered steps, status, timeline) and
// the data each kind keeps between cycles. A stored runbook is one of these kinds, checked against
// its kind's schema on read (document-schemas.ts), so code gets the kind's data type from `kind`.
import type { Database } from '../../domain/config/schema';
import type { HealthStatus } from '../../domain/health/types';

export type RunbookStatus = 'pending-approval' | 'running' | 'completed' | 'failed' | 'aborted';
export type StepStatus = 'pending' | 'done' | 'failed';

export interface RunbookStep<S extends string = string> {
  readonly name: S;
  readonly status: StepStatus;
  readonly attempts: number;
  /** ISO time of the last change of this step. */
  readonly at?: string;
  readonly error?: string;
}

interface RunbookEvent {
  readonly at: string;
  readonly event: string;
}

/** A runbook of kind K keeping data D, its steps named S. */
export interface RunbookOf<K extends string, D, S extends string = string> {
  readonly id: string;
  readonly kind: K;
  /** What it is about: a database id, a region. */
  readonly resource: string;
  readonly region: string;
  readonly planId: string;
  readonly status: RunbookStatus;
  readonly startedAt: string;
  readonly updatedAt: string;
  readonly steps: readonly RunbookStep<S>[];
  readonly data: D;
  /** Every step and state change, for the completion notice. */
  readonly timeline: readonly RunbookEvent[];
}

export const DATABASE_RUNBOOK_KIND = 'database-failover';
export const REGION_FAILOVER_KIND = 'region-failover';
export const REGION_FAILBACK_KIND = 'region-failback';

/** The steps of a region runbook (failover and failback). */
export const RegionStep = {
  ANNOUNCE: 'announce',
  PROMOTE: 'promote-database',
  MOVE_DNS: 'move-dns',
  REPOINT_WRITER: 'repoint-writer',
  COMPLETE: 'announce-completion',
} as const;
export type RegionStep = (typeof RegionStep)[keyof typeof RegionStep];

export type PromotionMethod = 'promote-read-replica' | 'failover-cluster' | 'failover-global-cluster';

/** What a database failover runbook remembers between cycles. */
export interface DatabaseRunbookData {
  readonly databaseId: string;
  readonly oldPrimary: string;
  readonly candidate: string;
  readonly method: PromotionMethod;
  readonly allowDataLoss: boolean;
  /** For failover-global-cluster: the candidate cluster's ARN. */
  readonly targetArn?: string;
  /** Why each other replica was not chosen. */
  readonly rejected: readonly { readonly member: string; readonly why: string }[];
}

export interface EndpointEvidence {
  readonly endpointId: string;
  /** The outside checkers' verdict; UNKNOWN when none of them has probed the endpoint yet. */
  readonly status: HealthStatus | 'UNKNOWN';
  readonly unhealthyVotes: readonly string[];
}

interface RegionEvidence {
  readonly endpoints: readonly EndpointEvidence[];
  readonly judges: readonly string[];
  readonly blindCheckers: readonly string[];
  readonly staleHeartbeats: readonly string[];
  readonly darkCycles: number;
  readonly reason: string;
}

/** One database that moves with the region: its writer leaves the dark region for a replica in the standby. */
export interface DatabaseMove {
  readonly databaseId: string;
  readonly engine: Database['engine'];
  readonly fromMemberId: string;
  readonly toMemberId: string;
  readonly toIdentifier: string;
  readonly toRegion: string;
  readonly toEndpoint: { readonly host: string; readonly port: number };
  /** aurora-global: the global cluster to fail over and the target cluster's ARN. */
  readonly globalClusterIdentifier?: string;
  readonly targetClusterArn?: string;
  readonly allowDataLoss: boolean;
  readonly lagSeconds?: number;
}

/** One DNS record's share of the move: which endpoints come in, which go out. */
export interface RecordMove {
  readonly recordId: string;
  readonly in: readonly string[];
  readonly out: readonly string[];
}

/** A writer name to point at another member. */
export interface WriterMove {
  readonly databaseId: string;
  readonly fromMemberId: string;
  readonly toMemberId: string;
  readonly host: string;
  /** Fence the member left behind (failover: the old primary holds writes that diverge from here on). */
  readonly fenceFrom: boolean;
}

export interface RegionRunbookData {
  readonly fromRegion: string;
  readonly toRegion: string;
  readonly mode: 'auto' | 'approval' | 'manual';
  /** The checker (or `cli`) that created it. */
  readonly createdBy: string;
  readonly evidence?: RegionEvidence;
  /** Promotions to run (failover), or Aurora global switchovers (failback). */
  readonly databases: readonly DatabaseMove[];
  /** Database id → when its promotion was started and by whom. */
  readonly promotions: Readonly<Record<string, { readonly at: string; readonly by: string }>>;
  readonly records: readonly RecordMove[];
  readonly writers: readonly WriterMove[];
  /** Step → the checker that did it. */
  readonly doneBy: Readonly<Record<string, string>>;
  readonly approval?: { readonly at: string; readonly by: string };
  /** What the runbook cannot undo (failback): said in the plan and the notifications. */
  readonly cannotUndo: readonly string[];
}

export type DatabaseRunbook = RunbookOf<typeof DATABASE_RUNBOOK_KIND, DatabaseRunbookData>;
export type RegionRunbook = RunbookOf<
  typeof REGION_FAILOVER_KIND | typeof REGION_FAILBACK_KIND,
  RegionRunbookData,
  RegionStep
>;

/** A runbook of any kind this version runs: `kind` says which data it keeps. */
export type Runbook = DatabaseRunbook | RegionRunbook;

/** The runbook when it is a database failover runbook. */
export function databaseRunbookOf(runbook: Runbook): DatabaseRunbook | undefined {
  return runbook.kind === DATABASE_RUNBOOK_KIND ? runbook : undefined;
}

/** The runbook when it is a region (failover or failback) runbook. */
export function regionRunbookOf(runbook: Runbook): RegionRunbook | undefined {
  return runbook.kind === REGION_FAILOVER_KIND || runbook.kind === REGION_FAILBACK_KIND ? runbook : undefined;
}
