// The actions a region runbook is driven by, built from the runbook: each names the runbook, its
// flow and regions, and which step of how many it is, so a notification subject reads on its own.
import type {
  PlanAlert,
  PlannedAction,
  RegionAction,
  RegionPromoteAction,
  RegionStepAction,
  RunbookSubject,
} from '../types';
import { RegionActionKind } from '../types';
import { REGION_FAILOVER_KIND, type RegionRunbook, RegionStep } from '../state/runbook-kinds';

/** What region planning adds to the plan. */
export interface RegionPlan {
  actions: PlannedAction[];
  alerts: PlanAlert[];
  notes: string[];
}

export const emptyRegionPlan = (): RegionPlan => ({ actions: [], alerts: [], notes: [] });

/** The action kind of each step but the promote step (which has its own payload). */
export const STEP_ACTION: Readonly<Record<Exclude<RegionStep, typeof RegionStep.PROMOTE>, RegionStepAction['kind']>> = {
  [RegionStep.ANNOUNCE]: RegionActionKind.ANNOUNCE,
  [RegionStep.MOVE_DNS]: RegionActionKind.MOVE_DNS,
  [RegionStep.REPOINT_WRITER]: RegionActionKind.REPOINT_WRITER,
  [RegionStep.COMPLETE]: RegionActionKind.COMPLETE,
};

const STEP_OF_ACTION: Readonly<Partial<Record<RegionAction['kind'], RegionStep>>> = {
  [RegionActionKind.START]: RegionStep.ANNOUNCE,
  [RegionActionKind.ANNOUNCE]: RegionStep.ANNOUNCE,
  [RegionActionKind.PROMOTE]: RegionStep.PROMOTE,
  [RegionActionKind.MOVE_DNS]: RegionStep.MOVE_DNS,
  [RegionActionKind.REPOINT_WRITER]: RegionStep.REPOINT_WRITER,
  [RegionActionKind.COMPLETE]: RegionStep.COMPLETE,
};

/** What the notification subject of a runbook action names (the records or databases come as subjectNames). */
export function runbookSubject(runbook: RegionRunbook, kind: RegionAction['kind']): RunbookSubject {
  const step = STEP_OF_ACTION[kind];
  const index = step ? runbook.steps.findIndex((s) => s.name === step) : -1;
  return {
    flow: runbook.kind === REGION_FAILOVER_KIND ? 'failover' : 'failback',
    fromRegion: runbook.data.fromRegion,
    toRegion: runbook.data.toRegion,
    ...(index >= 0 ? { stepNumber: index + 1, stepCount: runbook.steps.length } : {}),
  };
}

type ActionExtras = Pick<RegionStepAction, 'before' | 'after' | 'reportOnly' | 'changesDns'>;

function runbookActionBase(kind: RegionAction['kind'], runbook: RegionRunbook, reason: string) {
  return {
    resource: `region ${runbook.data.fromRegion}`,
    region: runbook.data.toRegion,
    reason,
    key: `region:${runbook.id}:${kind}`,
    urgent: true,
    runbookId: runbook.id,
  };
}

/** A step (or the cancel or abort) of a runbook; subjectNames are the records or writer names it moves. */
export function stepAction(
  kind: RegionStepAction['kind'],
  runbook: RegionRunbook,
  reason: string,
  subjectNames?: readonly string[],
  extra: ActionExtras = {},
): RegionStepAction {
  return {
    kind,
    ...runbookActionBase(kind, runbook, reason),
    data: {
      runbookId: runbook.id,
      ...runbookSubject(runbook, kind),
      ...(subjectNames ? { subjectNames } : {}),
    },
    ...extra,
  };
}

/** The promote step: starts the promotions in `start`, or (complete) records that every one is done. */
export function promoteAction(
  runbook: RegionRunbook,
  reason: string,
  payload: Pick<RegionPromoteAction['data'], 'start' | 'complete' | 'subjectNames'>,
  extra: ActionExtras,
): RegionPromoteAction {
  const kind = RegionActionKind.PROMOTE;
  return {
    kind,
    ...runbookActionBase(kind, runbook, reason),
    data: { runbookId: runbook.id, ...runbookSubject(runbook, kind), ...payload },
    ...extra,
  };
}
