// The region runbook as data, on the engine's runbook machinery: ordered steps, each recorded when
// done, so any checker picks up at the next undone step (a later cycle, or another region after
// the actor died). What a step needs is decided when the runbook is created and kept in `data`.
import { isOpen, type Runbook } from '../state/runbook';
import type { EndpointEvidence } from './region-evidence';
import type { Database } from '../../domain/config/schema';

export const REGION_FAILOVER_KIND = 'region-failover';
export const REGION_FAILBACK_KIND = 'region-failback';

export const RegionStep = {
  ANNOUNCE: 'announce',
  PROMOTE: 'promote-database',
  MOVE_DNS: 'move-dns',
  REPOINT_WRITER: 'repoint-writer',
  COMPLETE: 'announce-completion',
} as const;
export type RegionStep = (typeof RegionStep)[keyof typeof RegionStep];

/**
 * Failover steps in order. Failback promotes nothing (a promoted replica cannot become a replica
 * again), except an Aurora global database's planned switchover back, run as the promote step.
 */
export const FAILOVER_STEPS: readonly RegionStep[] = [
  RegionStep.ANNOUNCE,
  RegionStep.PROMOTE,
  RegionStep.MOVE_DNS,
  RegionStep.REPOINT_WRITER,
  RegionStep.COMPLETE,
];
export const FAILBACK_STEPS: readonly RegionStep[] = [
  RegionStep.ANNOUNCE,
  RegionStep.MOVE_DNS,
  RegionStep.REPOINT_WRITER,
  RegionStep.COMPLETE,
];

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

export type RegionRunbook = Runbook<RegionRunbookData>;

/** The region runbooks among all runbooks (the database ones share the namespace). */
export function regionRunbooks(all: readonly Runbook<unknown>[]): RegionRunbook[] {
  return all.filter((r) => r.kind === REGION_FAILOVER_KIND || r.kind === REGION_FAILBACK_KIND) as RegionRunbook[];
}

/** The open region runbook (waiting for approval or running) that will move or moves this database's writer, if any. */
export function openRegionRunbookFor(all: readonly Runbook<unknown>[], databaseId: string): RegionRunbook | undefined {
  return regionRunbooks(all).find(
    (r) =>
      isOpen(r) &&
      (r.data.databases.some((m) => m.databaseId === databaseId) ||
        r.data.writers.some((w) => w.databaseId === databaseId)),
  );
}

/**
 * Deterministic id (`failover-<from region>-<n>`, `failback-<to region>-<n>`), so two actors reading
 * the same store name the same runbook and one compare-and-swap create wins.
 */
export function regionRunbookId(kind: string, region: string, existing: readonly Runbook<unknown>[]): string {
  const prefix = `${kind === REGION_FAILOVER_KIND ? 'failover' : 'failback'}-${region}-`;
  return `${prefix}${existing.filter((r) => r.id.startsWith(prefix)).length + 1}`;
}
