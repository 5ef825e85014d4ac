// The region-failover sub-planner (pure): watches the active region from outside, starts the region
// runbook when it has been dark long enough, and plans the next undone steps of any open one. Only
// the acting checker plans actions; the others add a note and watch.
import { guardRegions, primaryRegion } from '../../domain/config/targets';
import type { Topology } from '../../domain/config/schema';
import { openDatabaseRunbook } from '../planners/database-failover.planner';
import { activeRegionOf, alertNoticeKey } from '../state/guard-state';
import { isStepDone, newRunbook, nextStep, recordStep, type Runbook } from '../state/runbook';
import type { ExtensionAction, PlanAlert, PlannedAction, PlannerInput } from '../types';
import { chooseActor } from './actor';
import { heartbeats, runningSince } from './heartbeats';
import { assessRegion, type RegionAssessment } from './region-evidence';
import {
  FAILOVER_STEPS,
  REGION_FAILOVER_KIND,
  RegionStep,
  regionRunbooks,
  regionRunbookId,
  type RecordMove,
  type RegionRunbook,
  type RegionRunbookData,
} from './region-runbook';
import { chooseStandby, type DatabaseMove } from './standby';
import { lagProblem, stillChanging } from '../planners/promotion-state';
import { endpointRegions, recordMoves } from './record-moves';

const HEARTBEAT_NOTICE_PREFIX = 'checker.heartbeat.missing:';

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

const STEP_ACTION: Readonly<Record<RegionStep, ExtensionAction['kind']>> = {
  [RegionStep.ANNOUNCE]: RegionActionKind.ANNOUNCE,
  [RegionStep.PROMOTE]: RegionActionKind.PROMOTE,
  [RegionStep.MOVE_DNS]: RegionActionKind.MOVE_DNS,
  [RegionStep.REPOINT_WRITER]: RegionActionKind.REPOINT_WRITER,
  [RegionStep.COMPLETE]: RegionActionKind.COMPLETE,
};

const STEP_OF_ACTION: Readonly<Record<string, RegionStep>> = {
  ...Object.fromEntries(Object.entries(STEP_ACTION).map(([step, kind]) => [kind, step as RegionStep])),
  [RegionActionKind.START]: RegionStep.ANNOUNCE,
};

interface Planned {
  actions: PlannedAction[];
  alerts: PlanAlert[];
  notes: string[];
}

/** The checker that works on a runbook: for a failover, the first live one outside the region it leaves. */
function runbookActor(topology: Topology, runbook: RegionRunbook, live: ReadonlySet<string>): string | undefined {
  const avoid = runbook.kind === REGION_FAILOVER_KIND ? runbook.data.fromRegion : '';
  return chooseActor(guardRegions(topology), live, avoid);
}

/** Whether a database's promotion shows done in the snapshot: the target is a standalone writer, available. */
function promotionDone(input: PlannerInput, move: DatabaseMove): boolean {
  const read = input.databases[move.databaseId]?.members[move.toMemberId];
  if (!read?.ok || !read.value.exists || read.value.status !== 'available') return false;
  return move.engine === 'aurora-global' ? read.value.isWriter === true : read.value.isReplica === false;
}

/**
 * What the notification subject of a runbook action names: failover or failback, from and to which
 * region, and which step of how many (the records or databases a step moves come as subjectNames).
 */
function subjectFacts(runbook: RegionRunbook, kind: ExtensionAction['kind']): Record<string, unknown> {
  const step = STEP_OF_ACTION[kind];
  const index = step ? runbook.steps.findIndex((s) => s.name === step) : -1;
  return {
    flow: runbook.kind === REGION_FAILOVER_KIND ? 'failover' : 'failback',
    fromRegion: runbook.data.fromRegion,
    toRegion: runbook.data.toRegion,
    ...(index >= 0 ? { stepNumber: index + 1, stepCount: runbook.steps.length } : {}),
  };
}

function stepAction(
  kind: ExtensionAction['kind'],
  runbook: RegionRunbook,
  reason: string,
  data: Record<string, unknown> = {},
  extra: Partial<ExtensionAction> = {},
): ExtensionAction {
  return {
    kind,
    resource: `region ${runbook.data.fromRegion}`,
    region: runbook.data.toRegion,
    reason,
    key: `region:${runbook.id}:${kind}`,
    urgent: true,
    runbookId: runbook.id,
    data: { runbookId: runbook.id, ...subjectFacts(runbook, kind), ...data },
    ...extra,
  };
}

/**
 * Why a promotion target can never become the writer (gone, or RDS left it in a terminal state), or,
 * before its promotion starts, why its lag has held it back past promotionTimeoutSeconds (counted from
 * the approval, else the start); undefined while it still can.
 */
function targetLost(input: PlannerInput, runbook: RegionRunbook, move: DatabaseMove): string | undefined {
  const db = input.topology.databases.find((d) => d.id === move.databaseId);
  const snap = input.databases[move.databaseId];
  const read = snap?.members[move.toMemberId];
  if (!db || !snap || !read?.ok) return undefined;
  if (!read.value.exists) return `no longer exists in ${move.toRegion}`;
  if (read.value.status !== 'available' && !stillChanging(db, snap, read.value))
    return `is ${read.value.status} in ${move.toRegion}`;
  if (runbook.data.promotions[move.databaseId] || db.allowDataLoss) return undefined;
  const since = Date.parse(runbook.data.approval?.at ?? runbook.startedAt);
  if (Date.parse(input.now) - since <= input.options.promotionTimeoutSeconds * 1000) return undefined;
  const lag = lagProblem(db, snap.lags[move.toMemberId]);
  return (
    lag &&
    `cannot be promoted: ${lag} for over promotionTimeoutSeconds (${input.options.promotionTimeoutSeconds} s; allowDataLoss is off)`
  );
}

/**
 * Ends a runbook that cannot finish, with a critical notice saying what is done and what to do; the
 * region is assessed anew next cycle, so nothing waits for it any more.
 */
function abortAction(input: PlannerInput, runbook: RegionRunbook, what: string): ExtensionAction {
  const promoted = runbook.data.databases
    .filter((m) => promotionDone(input, m))
    .map((m) => `${m.toIdentifier} (${m.databaseId})`);
  const done =
    promoted.length === 0
      ? 'nothing else was moved'
      : `already promoted, not yet the writer: ${promoted.join(', ')} (point its writer name at it by hand, or rebuild it as a replica)`;
  return stepAction(
    RegionActionKind.ABORT,
    runbook,
    `${what}; runbook ${runbook.id} is aborted: ${done}. DNS and writer names stay as they are. ` +
      `Check the replicas in ${runbook.data.toRegion}: while ${runbook.data.fromRegion} is dark the guard starts a new failover once a standby can take over (or fail over by hand); new failovers and failback are not blocked`,
    {},
  );
}

/** The actions for the next undone steps of a running runbook (what failback runs at once). */
export function planRunbookSteps(input: PlannerInput, runbook: RegionRunbook): Planned {
  const out: Planned = { actions: [], alerts: [], notes: [] };
  planSteps(input, runbook, out);
  return out;
}

/** The next undone steps of a running runbook, up to the first that has to wait for the cloud. */
function planSteps(input: PlannerInput, runbook: RegionRunbook, out: Planned): void {
  const first = nextStep(runbook);
  if (!first) return;
  const remaining = runbook.steps.slice(runbook.steps.indexOf(first)).map((s) => s.name as RegionStep);
  const { fromRegion, toRegion } = runbook.data;
  for (const step of remaining) {
    if (step === RegionStep.PROMOTE) {
      const pending = runbook.data.databases.filter((m) => !promotionDone(input, m));
      const lost = pending
        .map((m) => ({ move: m, why: targetLost(input, runbook, m) }))
        .find((l) => l.why !== undefined);
      if (lost) {
        out.actions.push(
          abortAction(input, runbook, `${lost.move.toIdentifier} (${lost.move.databaseId}) ${lost.why}`),
        );
        return;
      }
      const unreadable = pending.filter((m) => !input.databases[m.databaseId]?.members[m.toMemberId]?.ok);
      const toStart = pending
        .filter((m) => !runbook.data.promotions[m.databaseId] && !unreadable.includes(m))
        .map((m) => m.databaseId);
      const complete = pending.length === 0;
      if (complete || toStart.length > 0)
        out.actions.push(
          stepAction(
            RegionActionKind.PROMOTE,
            runbook,
            complete
              ? `every promotion in ${toRegion} is done`
              : `promote ${pending.map((m) => `${m.toIdentifier} (${m.databaseId})`).join(', ')} in ${toRegion}`,
            {
              start: toStart,
              complete,
              subjectNames: complete ? runbook.data.databases.map((m) => m.databaseId) : toStart,
            },
            { before: pending.map((m) => m.fromMemberId), after: runbook.data.databases.map((m) => m.toMemberId) },
          ),
        );
      if (!complete) {
        out.notes.push(
          `${runbook.id}: waiting for ${pending.map((m) => m.toIdentifier).join(', ')} to finish promotion`,
        );
        const startedLongAgo = pending.filter((m) => {
          const started = runbook.data.promotions[m.databaseId];
          return (
            started && Date.parse(input.now) - Date.parse(started.at) > input.options.promotionTimeoutSeconds * 1000
          );
        });
        for (const m of startedLongAgo) {
          out.alerts.push({
            key: `region.promotion.slow:${runbook.id}:${m.databaseId}`,
            eventType: 'region.failover.promotion-slow',
            severity: 'critical',
            resource: m.databaseId,
            region: m.toRegion,
            about: m.toIdentifier,
            reason: `${m.toIdentifier} has been promoting since ${runbook.data.promotions[m.databaseId]?.at}, over ${input.options.promotionTimeoutSeconds} s; check it in the RDS console (runbook ${runbook.id} waits for it)`,
          });
        }
        return;
      }
      continue;
    }
    const reasons: Record<Exclude<RegionStep, 'promote-database'>, string> = {
      [RegionStep.ANNOUNCE]: `announce the move of traffic from ${fromRegion} to ${toRegion}`,
      [RegionStep.MOVE_DNS]: `serve ${toRegion} instead of ${fromRegion} in ${runbook.data.records.length} DNS record(s)`,
      [RegionStep.REPOINT_WRITER]: `point ${runbook.data.writers.length} writer name(s) at ${toRegion}`,
      [RegionStep.COMPLETE]: `announce the completion with the timeline`,
    };
    const extra: Partial<ExtensionAction> =
      step === RegionStep.MOVE_DNS
        ? {
            changesDns: true,
            before: { activeRegion: fromRegion },
            after: { activeRegion: toRegion, records: runbook.data.records },
          }
        : step === RegionStep.REPOINT_WRITER
          ? { changesDns: true, after: runbook.data.writers }
          : {};
    const subjectNames =
      step === RegionStep.MOVE_DNS
        ? runbook.data.records.map(
            (move) => input.topology.dns.find((r) => r.id === move.recordId)?.name ?? move.recordId,
          )
        : step === RegionStep.REPOINT_WRITER
          ? runbook.data.writers.map((w) => w.databaseId)
          : [];
    out.actions.push(stepAction(STEP_ACTION[step], runbook, reasons[step], { subjectNames }, extra));
  }
}

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
function planNewFailover(
  input: PlannerInput,
  assessment: RegionAssessment,
  existing: readonly Runbook<unknown>[],
  out: Planned,
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
      data: { runbook, ...subjectFacts(runbook, RegionActionKind.REQUEST_APPROVAL) },
    });
    return;
  }
  const started = announced(runbook, input.checker, input.now);
  out.actions.push({
    ...base,
    kind: RegionActionKind.START,
    reason: `${assessment.reason} for ${assessment.darkCycles} cycles; moving to ${target.region}${unmovedNote}`,
    data: { runbook: started, ...subjectFacts(started, RegionActionKind.START) },
  });
  planSteps(input, started, out);
}

/** Missing heartbeats become warnings (once per outage, by one reporter); a returning one is announced. */
function planHeartbeats(input: PlannerInput, out: Planned): void {
  const { topology } = input;
  const order = guardRegions(topology);
  const staleSeconds = topology.guard.heartbeatStaleSeconds;
  const now = new Date(input.now);
  const live = new Set(input.liveCheckers);
  const ownStart = runningSince(input.views.find((v) => v.checker === input.checker));
  const runningLongEnough = ownStart !== undefined && now.getTime() - ownStart.getTime() >= staleSeconds * 1000;
  for (const beat of heartbeats(order, input.views, now, staleSeconds)) {
    const key = `${HEARTBEAT_NOTICE_PREFIX}${beat.checker}`;
    if (chooseActor(order, live, beat.checker) !== input.checker) continue;
    // Raised by whichever checker reports; the engine publishes it once for all of them.
    const told = input.guardState.notices[alertNoticeKey(key)] !== undefined;
    if (!beat.live && (beat.lastSeen !== undefined || runningLongEnough)) {
      out.alerts.push({
        key,
        eventType: 'checker.heartbeat.missing',
        severity: 'warning',
        resource: `checker ${beat.checker}`,
        region: beat.checker,
        reason: beat.lastSeen
          ? `the ${beat.checker} checker has not written a heartbeat for ${beat.ageSeconds} s (last ${beat.lastSeen}, stale after ${staleSeconds} s); its votes no longer count. Check its Lambda's errors and logs in ${beat.checker}`
          : `the ${beat.checker} checker has never written a heartbeat; check that the guard is deployed there and its schedule runs`,
        details: {
          checker: beat.checker,
          ...(beat.lastSeen ? { lastSeen: beat.lastSeen, ageSeconds: beat.ageSeconds } : {}),
        },
      });
    } else if (beat.live && told) {
      out.actions.push({
        kind: RegionActionKind.HEARTBEAT_RESTORED,
        resource: `checker ${beat.checker}`,
        region: beat.checker,
        reason: `the ${beat.checker} checker writes heartbeats again (last ${beat.lastSeen})`,
        key,
        reportOnly: true,
        data: { checker: beat.checker, lastSeen: beat.lastSeen, noticeKey: key },
      });
    }
  }
}

export function planRegionFailover(input: PlannerInput): {
  actions: PlannedAction[];
  alerts: PlanAlert[];
  notes: string[];
} {
  const out: Planned = { actions: [], alerts: [], notes: [] };
  const { topology } = input;
  planHeartbeats(input, out);
  const order = guardRegions(topology);
  const live = new Set(input.liveCheckers);
  const now = new Date(input.now);
  const all = input.runbooks.map((d) => d.value);
  const open = regionRunbooks(all).filter((r) => r.status === 'running' || r.status === 'pending-approval');
  for (const runbook of open) {
    const actor = runbookActor(topology, runbook, live);
    if (actor !== input.checker) {
      out.notes.push(
        `${runbook.id} (${runbook.status}): ${actor ?? 'no live checker'} works on it; ${input.checker} watches`,
      );
      continue;
    }
    const unannounced = runbook.kind === REGION_FAILOVER_KIND && !isStepDone(runbook, RegionStep.ANNOUNCE);
    if (unannounced) {
      // Approval comes minutes after the evidence: a region back by then is not failed over.
      const assessment = assessRegion(topology, runbook.data.fromRegion, input.views, now, order);
      if (!assessment.dark) {
        out.actions.push(
          stepAction(
            RegionActionKind.CANCEL,
            runbook,
            `${runbook.data.fromRegion} is no longer dark (${assessment.reason}); the failover not yet started is cancelled`,
            {},
            { reportOnly: true },
          ),
        );
        continue;
      }
    }
    if (runbook.status === 'pending-approval') {
      out.notes.push(`${runbook.id}: waiting for approval (failover-guard approve <config> ${runbook.id})`);
      continue;
    }
    planSteps(input, runbook, out);
  }
  if (open.length > 0 || order.length < 2) return out;

  const active = activeRegionOf(input.guardState, primaryRegion(topology));
  const assessment = assessRegion(topology, active, input.views, now, order);
  if (!assessment.dark) return out;
  const threshold = topology.regionFailover.regionFailureThreshold;
  if (assessment.darkCycles < threshold) {
    out.notes.push(
      `${active} looks dark from outside (${assessment.darkCycles} of ${threshold} cycles): ${assessment.reason}`,
    );
    return out;
  }
  const actor = chooseActor(order, live, active);
  if (actor !== input.checker) {
    out.notes.push(`${active} is dark; ${actor ?? 'no live checker outside it'} acts, ${input.checker} watches`);
    return out;
  }
  planNewFailover(input, assessment, all, out);
  return out;
}
