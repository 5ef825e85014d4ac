// The region runbook as data: ordered steps, each recorded when done, so any checker can pick up
// at the next undone step (a later cycle, or another region after the actor died).
import type { EndpointEvidence } from './region-evidence';
import type { DatabaseMove } from './standby';

export const RegionRunbookKind = { FAILOVER: 'region-failover', FAILBACK: 'region-failback' } as const;
export type RegionRunbookKind = (typeof RegionRunbookKind)[keyof typeof RegionRunbookKind];

export const RegionStep = {
  ANNOUNCE: 'announce',
  PROMOTE: 'promote-database',
  MOVE_DNS: 'move-dns',
  REPOINT_WRITER: 'repoint-writer',
  COMPLETE: 'announce-completion',
} as const;
export type RegionStep = (typeof RegionStep)[keyof typeof RegionStep];

/** Failover steps in order; failback skips the promotion (a promoted replica cannot become a replica again). */
export const FAILOVER_STEPS: readonly RegionStep[] = [RegionStep.ANNOUNCE, RegionStep.PROMOTE, RegionStep.MOVE_DNS, RegionStep.REPOINT_WRITER, RegionStep.COMPLETE];
export const FAILBACK_STEPS: readonly RegionStep[] = [RegionStep.ANNOUNCE, RegionStep.MOVE_DNS, RegionStep.REPOINT_WRITER, RegionStep.COMPLETE];

export const RunbookStatus = {
  /** approval mode: waits for `failover-guard approve`. */
  PENDING_APPROVAL: 'pending-approval',
  APPROVED: 'approved',
  RUNNING: 'running',
  COMPLETED: 'completed',
  /** The standby could not take over; nothing was moved. */
  ABORTED: 'aborted',
  /** mode off: the outage was alerted, nothing is done. */
  ALERTED: 'alerted',
  /** The region recovered before the runbook was approved. */
  CANCELLED: 'cancelled',
} as const;
export type RunbookStatus = (typeof RunbookStatus)[keyof typeof RunbookStatus];

const CLOSED: ReadonlySet<RunbookStatus> = new Set([RunbookStatus.COMPLETED, RunbookStatus.ABORTED, RunbookStatus.CANCELLED]);

export interface StepRecord {
  readonly step: RegionStep;
  /** pending → (in-progress: a promotion under way) → done. */
  readonly status: 'pending' | 'in-progress' | 'done';
  readonly startedAt?: string;
  readonly doneAt?: string;
  /** The checker region that did it. */
  readonly by?: string;
  readonly detail?: string;
}

export interface RegionEvidence {
  readonly endpoints: readonly EndpointEvidence[];
  readonly judges: readonly string[];
  readonly blindCheckers: readonly string[];
  readonly staleHeartbeats: readonly string[];
  readonly darkCycles: number;
  readonly reason: string;
}

/** A writer name to move, with what it points at before and after (failback may leave it where it is). */
export interface WriterMove {
  readonly databaseId: string;
  readonly fromMemberId: string;
  readonly toMemberId: string;
  readonly toHost: string;
}

export interface RegionRunbook {
  readonly kind: RegionRunbookKind;
  /** The plan id people approve with (`failover-guard approve <config> <id>`). */
  readonly id: string;
  readonly fromRegion: string;
  readonly toRegion: string;
  readonly status: RunbookStatus;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly evidence?: RegionEvidence;
  /** Promotions (failover only). */
  readonly databases: readonly DatabaseMove[];
  readonly writers: readonly WriterMove[];
  readonly steps: readonly StepRecord[];
  readonly approval?: { readonly at: string; readonly by: string };
  /** Why it was aborted, every reason. */
  readonly problems?: readonly string[];
  /** What the runbook cannot undo (failback). */
  readonly cannotUndo?: readonly string[];
}

export function isOpen(runbook: RegionRunbook): boolean {
  return !CLOSED.has(runbook.status);
}

/** Whether the runbook may execute steps now (approved, or never needing approval). */
export function isRunnable(runbook: RegionRunbook): boolean {
  return runbook.status === RunbookStatus.RUNNING || runbook.status === RunbookStatus.APPROVED;
}

/** The first step not yet done; undefined when every step is done. */
export function nextStep(runbook: RegionRunbook): StepRecord | undefined {
  return runbook.steps.find((s) => s.status !== 'done');
}

export function pendingSteps(steps: readonly RegionStep[]): StepRecord[] {
  return steps.map((step) => ({ step, status: 'pending' }));
}

/** A copy with one step's record replaced (steps are immutable data in the store). */
export function withStep(runbook: RegionRunbook, record: StepRecord): RegionRunbook {
  return { ...runbook, steps: runbook.steps.map((s) => (s.step === record.step ? record : s)) };
}

/** Deterministic id, so two actors reading the same store name the same runbook (and one CAS write wins). */
export function runbookId(kind: RegionRunbookKind, fromRegion: string, existing: readonly RegionRunbook[]): string {
  const prefix = kind === RegionRunbookKind.FAILOVER ? 'failover' : 'failback';
  const sequence = existing.filter((r) => r.kind === kind && r.fromRegion === fromRegion).length + 1;
  return `${prefix}-${fromRegion}-${sequence}`;
}

/** Each done step with its time, for the completion announcement. */
export function timeline(runbook: RegionRunbook): { step: RegionStep; startedAt?: string; doneAt?: string; by?: string }[] {
  return runbook.steps.map((s) => ({
    step: s.step,
    ...(s.startedAt ? { startedAt: s.startedAt } : {}),
    ...(s.doneAt ? { doneAt: s.doneAt } : {}),
    ...(s.by ? { by: s.by } : {}),
  }));
}
