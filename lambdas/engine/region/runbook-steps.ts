// Plans the next undone steps of a running region runbook, up to the first that has to wait for the
// cloud (a promotion under way); ends the runbook when a promotion target can never become the writer.
import { lagProblem, stillChanging } from '../planners/promotion-state';
import { nextStep } from '../state/runbook';
import { RegionActionKind, type PlannerInput, type RegionStepAction } from '../types';
import { emptyRegionPlan, promoteAction, STEP_ACTION, stepAction, type RegionPlan } from './runbook-actions';
import { type DatabaseMove, type RegionRunbook, RegionStep } from '../state/runbook-kinds';

/** Whether a database's promotion shows done in the snapshot: the target is a standalone writer, available. */
function promotionDone(input: PlannerInput, move: DatabaseMove): boolean {
  const read = input.databases[move.databaseId]?.members[move.toMemberId];
  if (!read?.ok || !read.value.exists || read.value.status !== 'available') return false;
  return move.engine === 'aurora-global' ? read.value.isWriter === true : read.value.isReplica === false;
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
function abortAction(input: PlannerInput, runbook: RegionRunbook, what: string): RegionStepAction {
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
  );
}

/** Plans the promote step; false when the runbook has to wait (or was aborted) before the next step. */
function planPromote(input: PlannerInput, runbook: RegionRunbook, out: RegionPlan): boolean {
  const { toRegion } = runbook.data;
  const pending = runbook.data.databases.filter((m) => !promotionDone(input, m));
  const lost = pending.map((m) => ({ move: m, why: targetLost(input, runbook, m) })).find((l) => l.why !== undefined);
  if (lost) {
    out.actions.push(abortAction(input, runbook, `${lost.move.toIdentifier} (${lost.move.databaseId}) ${lost.why}`));
    return false;
  }
  const unreadable = pending.filter((m) => !input.databases[m.databaseId]?.members[m.toMemberId]?.ok);
  const toStart = pending
    .filter((m) => !runbook.data.promotions[m.databaseId] && !unreadable.includes(m))
    .map((m) => m.databaseId);
  const complete = pending.length === 0;
  if (complete || toStart.length > 0)
    out.actions.push(
      promoteAction(
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
  if (complete) return true;
  out.notes.push(`${runbook.id}: waiting for ${pending.map((m) => m.toIdentifier).join(', ')} to finish promotion`);
  const startedLongAgo = pending.filter((m) => {
    const started = runbook.data.promotions[m.databaseId];
    return started && Date.parse(input.now) - Date.parse(started.at) > input.options.promotionTimeoutSeconds * 1000;
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
  return false;
}

/** The action of a step other than the promote step. */
function otherStepAction(
  input: PlannerInput,
  runbook: RegionRunbook,
  step: Exclude<RegionStep, typeof RegionStep.PROMOTE>,
): RegionStepAction {
  const { fromRegion, toRegion, records, writers } = runbook.data;
  switch (step) {
    case RegionStep.ANNOUNCE:
      return stepAction(
        STEP_ACTION[step],
        runbook,
        `announce the move of traffic from ${fromRegion} to ${toRegion}`,
        [],
      );
    case RegionStep.MOVE_DNS:
      return stepAction(
        STEP_ACTION[step],
        runbook,
        `serve ${toRegion} instead of ${fromRegion} in ${records.length} DNS record(s)`,
        records.map((move) => input.topology.dns.find((r) => r.id === move.recordId)?.name ?? move.recordId),
        { changesDns: true, before: { activeRegion: fromRegion }, after: { activeRegion: toRegion, records } },
      );
    case RegionStep.REPOINT_WRITER:
      return stepAction(
        STEP_ACTION[step],
        runbook,
        `point ${writers.length} writer name(s) at ${toRegion}`,
        writers.map((w) => w.databaseId),
        { changesDns: true, after: writers },
      );
    case RegionStep.COMPLETE:
      return stepAction(STEP_ACTION[step], runbook, `announce the completion with the timeline`, []);
  }
}

/** The actions for the next undone steps of a running runbook (what failback runs at once). */
export function planRunbookSteps(input: PlannerInput, runbook: RegionRunbook, out = emptyRegionPlan()): RegionPlan {
  const first = nextStep(runbook);
  if (!first) return out;
  const remaining = runbook.steps.slice(runbook.steps.indexOf(first)).map((s) => s.name);
  for (const step of remaining) {
    if (step === RegionStep.PROMOTE) {
      if (!planPromote(input, runbook, out)) return out;
      continue;
    }
    out.actions.push(otherStepAction(input, runbook, step));
  }
  return out;
}
