// Starts a region failover for a region dark long enough: chooses the standby, decides which records
// and writer names move, and creates the runbook (waiting for approval, or started at once). With no
// fit standby, or region failover off, it alerts and moves nothing.
import { openDatabaseRunbook } from '../planners/database-failover.planner';
import { newRunbook, recordStep } from '../state/runbook';
import { RegionActionKind, type PlannerInput } from '../types';
import { endpointRegions, recordMoves } from './record-moves';
import type { RegionAssessment } from './region-evidence';
import { FAILOVER_STEPS, regionRunbookId } from './region-runbook';
import { runbookSubject, type RegionPlan } from './runbook-actions';
import { planRunbookSteps } from './runbook-steps';
import { chooseStandby } from './standby';
import {
  REGION_FAILOVER_KIND,
  type RecordMove,
  type RegionRunbook,
  type RegionRunbookData,
  RegionStep,
  type Runbook,
} from '../state/runbook-kinds';

/** The runbook as the START action creates it: the announcement is that action's own notification. */
function announced(runbook: RegionRunbook, by: string, at: string): RegionRunbook {
  const done = recordStep(runbook, RegionStep.ANNOUNCE, 'done', at);
  return { ...done, data: { ...done.data, doneBy: { ...done.data.doneBy, [RegionStep.ANNOUNCE]: by } } };
}

function evidenceOf(assessment: RegionAssessment): RegionRunbookData['evidence'] {
  const { endpoints, judges, blindCheckers, staleHeartbeats, darkCycles, reason } = assessment;
  return { endpoints, judges, blindCheckers, staleHeartbeats, darkCycles, reason };
}

/** A new failover runbook for the dark region, or an abort alert when no standby can take it. */
export function planNewFailover(
  input: PlannerInput,
  assessment: RegionAssessment,
  existing: readonly Runbook[],
  out: RegionPlan,
): void {
  const { topology } = input;
  const mode = topology.regionFailover.mode;
  const dark = assessment.region;
  if (mode === 'off') {
    out.alerts.push({
      key: `region.dark:${dark}`,
      eventType: 'region.dark',
      severity: 'critical',
      resource: `region ${dark}`,
      region: dark,
      reason: `${assessment.reason} for ${assessment.darkCycles} cycles; regionFailover.mode is off, so nothing is moved (set it to approval or auto, or fail over by hand)`,
      details: { evidence: evidenceOf(assessment) },
    });
    return;
  }
  const choice = chooseStandby({
    topology,
    darkRegion: dark,
    verdicts: assessment.judgeVerdicts,
    writers: new Map(Object.entries(input.guardState.databasePrimaries)),
    fenced: new Set(Object.keys(input.guardState.fencedMembers)),
    busyDatabases: new Set(
      input.topology.databases.filter((db) => openDatabaseRunbook(input.runbooks, db.id)).map((db) => db.id),
    ),
    databases: input.databases,
  });
  if (!choice.target) {
    const why =
      choice.candidates.length === 0
        ? ['the topology has no standby region']
        : choice.candidates.map((c) => `${c.region}: ${c.problems.join('; ')}`);
    out.alerts.push({
      key: `region.failover.aborted:${dark}`,
      eventType: 'region.failover.aborted',
      severity: 'critical',
      resource: `region ${dark}`,
      region: dark,
      reason: `${dark} is dark but no standby region can take its traffic, so nothing is moved: ${why.join(' | ')}`,
      details: { evidence: evidenceOf(assessment), candidates: choice.candidates },
    });
    return;
  }
  const target = choice.target;
  const regions = endpointRegions(topology);
  const records: RecordMove[] = recordMoves(topology, dark, target.region, assessment.judgeVerdicts, regions);
  const unmoved = topology.dns
    .filter(
      (r) =>
        r.regionMode === 'active-passive' &&
        r.targets.some((t) => regions.get(t.endpoint) === dark) &&
        !records.some((m) => m.recordId === r.id),
    )
    .map((r) => r.name);
  const unmovedNote =
    unmoved.length === 0
      ? ''
      : `; not moved, no target in ${target.region}: ${unmoved.join(', ')} (they keep answering with ${dark}'s targets; add targets in ${target.region} to them)`;
  const id = regionRunbookId(REGION_FAILOVER_KIND, dark, existing);
  const data: RegionRunbookData = {
    fromRegion: dark,
    toRegion: target.region,
    mode: mode === 'approval' ? 'approval' : 'auto',
    createdBy: input.checker,
    evidence: evidenceOf(assessment),
    databases: target.databases,
    promotions: {},
    records,
    writers: target.databases.map((m) => ({
      databaseId: m.databaseId,
      fromMemberId: m.fromMemberId,
      toMemberId: m.toMemberId,
      host: m.toEndpoint.host,
      fenceFrom: true,
    })),
    doneBy: {},
    cannotUndo: [],
  };
  const runbook: RegionRunbook = newRunbook({
    id,
    kind: REGION_FAILOVER_KIND,
    resource: dark,
    region: dark,
    planId: input.planId,
    at: input.now,
    steps: FAILOVER_STEPS,
    data,
    status: mode === 'approval' ? 'pending-approval' : 'running',
  });
  const base = {
    resource: `region ${dark}`,
    region: target.region,
    key: `region:${id}:create`,
    urgent: true,
    runbookId: id,
    before: { activeRegion: dark },
    after: { activeRegion: target.region, promote: target.databases.map((m) => m.toIdentifier) },
  };
  if (mode === 'approval') {
    out.actions.push({
      ...base,
      kind: RegionActionKind.REQUEST_APPROVAL,
      reason: `${assessment.reason} for ${assessment.darkCycles} cycles; failover to ${target.region} waits for approval${unmovedNote}`,
      data: { runbook, ...runbookSubject(runbook, RegionActionKind.REQUEST_APPROVAL) },
    });
    return;
  }
  const started = announced(runbook, input.checker, input.now);
  out.actions.push({
    ...base,
    kind: RegionActionKind.START,
    reason: `${assessment.reason} for ${assessment.darkCycles} cycles; moving to ${target.region}${unmovedNote}`,
    data: { runbook: started, ...runbookSubject(started, RegionActionKind.START) },
  });
  planRunbookSteps(input, started, out);
}
