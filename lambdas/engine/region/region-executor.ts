// Region runbook steps as engine action handlers. Each handler re-reads the runbook, does its step
// only when it is the next undone one, does it idempotently (the cloud is checked before each call,
// DNS is written by compare-and-swap), and records it done: a second actor, a retried Lambda or a
// later cycle finds the step done and does nothing twice.
import type { Database, DnsRecord } from '../../domain/config/schema';
import { DnsConflictError, StateConflictError } from '../../ports/errors';
import { pointWriter } from '../executors/database.executor';
import {
  sessionTime,
  updateSessionGuard,
  withDnsChange,
  type ActionHandler,
  type ExecutionSession,
  type HandlerResult,
  unhandledAction,
} from '../executors/session';
import { readDatabase } from '../cloud-state.reader';
import { lagProblemNow } from '../executors/promotion-lag';
import { describeRedundancy, redundancyAfter } from '../planners/database-redundancy';
import { alertNoticeKey, without } from '../state/guard-state';
import { claimDatabase } from '../state/database-claim';
import {
  createRunbook,
  getRunbook,
  isStepDone,
  nextStep,
  recordStep,
  updateRunbook,
  withStatus,
} from '../state/runbook';
import {
  RegionActionKind,
  type HeartbeatRestoredAction,
  type RegionCreateAction,
  type RegionPromoteAction,
  type RegionStepAction,
} from '../types';
import { leftOutTargets, recordMoveChanges } from './record-moves';
import { recordAfterBatch } from '../dns-edit';
import { type DatabaseMove, type RegionRunbook, RegionStep, regionRunbookOf } from '../state/runbook-kinds';

async function loadRunbook(session: ExecutionSession, id: string): Promise<RegionRunbook> {
  const stored = await getRunbook(session.ctx.ports.store, id);
  if (!stored)
    throw new Error(`region runbook "${id}" is not in the state store; it may have expired or never been created`);
  const runbook = regionRunbookOf(stored.value);
  if (!runbook) throw new Error(`runbook "${id}" is a ${stored.value.kind} runbook, not a region runbook`);
  return runbook;
}

/** Why this step must not run now (done already, an earlier step undone, not running); undefined: go. */
function notNow(runbook: RegionRunbook, step: RegionStep): HandlerResult | undefined {
  if (isStepDone(runbook, step)) {
    return {
      outcome: 'skipped',
      detail: `step ${step} of ${runbook.id} was already done${runbook.data.doneBy[step] ? ` by ${runbook.data.doneBy[step]}` : ''}; not repeated`,
    };
  }
  if (runbook.status !== 'running')
    return { outcome: 'skipped', detail: `runbook ${runbook.id} is ${runbook.status}, not running` };
  const next = nextStep(runbook);
  if (next?.name !== step)
    return { outcome: 'skipped', detail: `step ${step} of ${runbook.id} waits for step ${next?.name}` };
  return undefined;
}

/** Records a step done (by this checker), re-reading on a lost compare-and-swap. */
async function markDone(
  session: ExecutionSession,
  id: string,
  step: RegionStep,
  status?: 'completed',
): Promise<RegionRunbook> {
  const at = sessionTime(session);
  return updateRunbook(session.ctx.ports.store, id, regionRunbookOf, (r) => {
    if (isStepDone(r, step)) return undefined;
    const done = recordStep(r, step, 'done', at);
    const marked = { ...done, data: { ...done.data, doneBy: { ...done.data.doneBy, [step]: session.ctx.checker } } };
    return status ? withStatus(marked, status, at) : marked;
  });
}

/** Creates the runbook a request-approval or start action carries. */
export const createRegionRunbook: ActionHandler<RegionCreateAction> = async (session, action) => {
  const runbook = action.data.runbook;
  try {
    await createRunbook(session.ctx.ports.store, runbook);
  } catch (error) {
    if (error instanceof StateConflictError)
      return { outcome: 'skipped', detail: `runbook ${runbook.id} was created by another checker first` };
    throw error;
  }
  const approval = runbook.status === 'pending-approval';
  return {
    outcome: 'applied',
    detail: approval
      ? `runbook ${runbook.id} waits for approval: run \`failover-guard approve <config> ${runbook.id}\` to fail over to ${runbook.data.toRegion}`
      : `runbook ${runbook.id} started: failover from ${runbook.data.fromRegion} to ${runbook.data.toRegion}`,
    details: {
      runbookId: runbook.id,
      step: approval ? 'pending-approval' : RegionStep.ANNOUNCE,
      evidence: runbook.data.evidence,
      databases: runbook.data.databases,
      records: runbook.data.records,
    },
  };
};

const announce: ActionHandler<RegionStepAction> = async (session, action) => {
  const runbook = await loadRunbook(session, action.runbookId);
  const hold = notNow(runbook, RegionStep.ANNOUNCE);
  if (hold) return hold;
  await markDone(session, runbook.id, RegionStep.ANNOUNCE);
  return {
    outcome: 'applied',
    detail: `runbook ${runbook.id}${runbook.data.approval ? `, approved by ${runbook.data.approval.by},` : ''} starts: ${runbook.data.fromRegion} -> ${runbook.data.toRegion}`,
    details: {
      runbookId: runbook.id,
      step: RegionStep.ANNOUNCE,
      evidence: runbook.data.evidence,
      cannotUndo: runbook.data.cannotUndo,
    },
  };
};

/** What the cloud shows of a promotion already started or done (a call not to repeat); undefined when none is. */
async function promotionUnderWay(session: ExecutionSession, move: DatabaseMove): Promise<string | undefined> {
  const database = session.ctx.ports.database;
  if (move.engine === 'aurora-global') {
    if (!move.globalClusterIdentifier || !move.targetClusterArn)
      throw new Error(`no global cluster or target ARN for ${move.databaseId}; cannot call FailoverGlobalCluster`);
    const global = await database.describeGlobalCluster(move.toRegion, move.globalClusterIdentifier);
    const writer = global?.members.find((m) => m.isWriter);
    return global?.failoverStatus || writer?.clusterArn === move.targetClusterArn
      ? `${move.globalClusterIdentifier} already failing over or failed over; not repeated`
      : undefined;
  }
  const state = await database.describeInstance(move.toRegion, move.toIdentifier);
  if (!state) throw new Error(`replica ${move.toIdentifier} of ${move.databaseId} not found in ${move.toRegion}`);
  return state.replicaSourceIdentifier === undefined
    ? `${move.toIdentifier} is no longer a replica; promotion not repeated`
    : undefined;
}

async function callPromotion(session: ExecutionSession, move: DatabaseMove): Promise<string> {
  const database = session.ctx.ports.database;
  if (move.engine === 'aurora-global' && move.globalClusterIdentifier && move.targetClusterArn) {
    await database.failoverGlobalCluster(
      move.toRegion,
      move.globalClusterIdentifier,
      move.targetClusterArn,
      move.allowDataLoss,
    );
    return `FailoverGlobalCluster ${move.globalClusterIdentifier} to ${move.targetClusterArn}${move.allowDataLoss ? ' (AllowDataLoss)' : ' (Switchover)'}`;
  }
  await database.promoteReadReplica(move.toRegion, move.toIdentifier);
  return `PromoteReadReplica ${move.toIdentifier} in ${move.toRegion}`;
}

/** Takes a database out of the runbook: another runbook owns it and moves its writer. */
async function leaveDatabase(
  session: ExecutionSession,
  id: string,
  move: DatabaseMove,
  owner: string,
): Promise<RegionRunbook> {
  const at = sessionTime(session);
  return updateRunbook(session.ctx.ports.store, id, regionRunbookOf, (r) => ({
    ...r,
    updatedAt: at,
    data: {
      ...r.data,
      databases: r.data.databases.filter((m) => m.databaseId !== move.databaseId),
      writers: r.data.writers.filter((w) => w.databaseId !== move.databaseId),
    },
    timeline: [...r.timeline, { at, event: `${move.databaseId} left to runbook ${owner}, which moves its writer` }],
  }));
}

interface PromotionChecks {
  /** Moves whose promotion is to be called now. */
  readonly toCall: DatabaseMove[];
  /** Moves whose promotion the cloud shows started or done: recorded, not called again. */
  readonly underWay: DatabaseMove[];
  /** A lag that forbids one of the promotions: nothing is called. */
  readonly refusal?: string;
  readonly said: string[];
}

/**
 * Checks under the lease before any call: each database is claimed (one owner per database; one
 * owned by another runbook is left to it), and each replica's lag is read again right before.
 */
async function checkPromotions(
  session: ExecutionSession,
  id: string,
  moves: readonly DatabaseMove[],
): Promise<PromotionChecks> {
  const checks: PromotionChecks = { toCall: [], underWay: [], said: [] };
  for (const move of moves) {
    const owner = await claimDatabase(session.ctx.ports.store, move.databaseId, id, sessionTime(session));
    if (owner) {
      await leaveDatabase(session, id, move, owner);
      checks.said.push(`${move.databaseId} left to runbook ${owner}, which moves its writer`);
      continue;
    }
    const underWay = await promotionUnderWay(session, move);
    if (underWay) {
      checks.underWay.push(move);
      checks.said.push(underWay);
      continue;
    }
    const db = databaseOf(session, move.databaseId);
    const member = [db.primary, ...db.replicas].find((m) => m.id === move.toMemberId);
    // Unknown lag blocks as on the database path: nothing proves the replica is within maxLagSeconds.
    const refusal = member ? await lagProblemNow(session.ctx.ports, db, member, true) : undefined;
    if (refusal) return { ...checks, refusal };
    checks.toCall.push(move);
  }
  return checks;
}

export const promoteStep: ActionHandler<RegionPromoteAction> = async (session, action) => {
  const id = action.runbookId;
  let runbook = await loadRunbook(session, id);
  const hold = notNow(runbook, RegionStep.PROMOTE);
  if (hold) return hold;
  const starts = action.data.start.flatMap((databaseId) =>
    runbook.data.databases.filter((m) => m.databaseId === databaseId && !runbook.data.promotions[databaseId]),
  );
  const checks = await checkPromotions(session, id, starts);
  // The runbook waits at its promote step; the planner ends it once the lag has held it past promotionTimeoutSeconds.
  if (checks.refusal)
    return {
      outcome: 'skipped',
      detail: `${checks.refusal}; nothing promoted, the runbook waits at its promote step`,
      details: { runbookId: id, step: RegionStep.PROMOTE },
    };
  const calls = [...checks.said];
  for (const move of [...checks.underWay, ...checks.toCall]) {
    if (checks.toCall.includes(move)) calls.push(await callPromotion(session, move));
    const at = sessionTime(session);
    runbook = await updateRunbook(session.ctx.ports.store, id, regionRunbookOf, (r) =>
      r.data.promotions[move.databaseId]
        ? undefined
        : {
            ...r,
            updatedAt: at,
            data: {
              ...r.data,
              promotions: { ...r.data.promotions, [move.databaseId]: { at, by: session.ctx.checker } },
            },
            timeline: [...r.timeline, { at, event: `promotion of ${move.toIdentifier} started` }],
          },
    );
  }
  if (action.data.complete) {
    await markDone(session, id, RegionStep.PROMOTE);
    return {
      outcome: 'applied',
      detail: `every promotion of ${id} is complete: ${runbook.data.databases.map((m) => m.toIdentifier).join(', ') || 'no database to move'}`,
      details: { runbookId: id, step: RegionStep.PROMOTE },
    };
  }
  return {
    outcome: 'applied',
    detail: `${calls.join('; ')}; the next steps wait until each is an available writer`,
    details: { runbookId: id, step: RegionStep.PROMOTE, promotions: runbook.data.promotions },
  };
};

/** Applies one record's move by compare-and-swap, re-reading when the record changed under us. */
async function moveRecord(
  session: ExecutionSession,
  record: DnsRecord,
  runbook: RegionRunbook,
  recordIndex: number,
): Promise<string> {
  const { dns } = session.ctx.ports;
  const move = runbook.data.records[recordIndex];
  if (!move) return '';
  for (let attempt = 0; ; attempt += 1) {
    const sets = await dns.listRecordSets(record.hostedZoneId, record.name, record.type);
    const changes = recordMoveChanges(session.ctx.topology, record, sets, move, session.guard.pulledTargets);
    if (changes.length === 0) return `${record.name} already serves ${runbook.data.toRegion}`;
    try {
      await dns.changeRecordSets(
        record.hostedZoneId,
        changes,
        `failover-guard ${runbook.id}: ${record.name} to ${runbook.data.toRegion}`,
      );
      const at = sessionTime(session);
      const written = { recordId: record.id, sets: recordAfterBatch(sets, changes) };
      await updateSessionGuard(session, (s) =>
        withDnsChange(s, at, session.ctx.topology.guard.maxDnsChanges.windowSeconds, written),
      );
      return `${record.name}: in ${move.in.join(', ') || '-'}, out ${move.out.join(', ') || '-'}`;
    } catch (error) {
      if (!(error instanceof DnsConflictError) || attempt >= session.options.dnsConflictRetries) throw error;
    }
  }
}

const moveDns: ActionHandler<RegionStepAction> = async (session, action) => {
  const runbook = await loadRunbook(session, action.runbookId);
  const hold = notNow(runbook, RegionStep.MOVE_DNS);
  if (hold) return hold;
  const { fromRegion, toRegion, records } = runbook.data;
  const at = sessionTime(session);
  const leftOut = leftOutTargets(session.ctx.topology, records, toRegion, at, session.plan.id);
  await updateSessionGuard(session, (s) => {
    // Targets of the region left are no longer the healer's to restore; the ones left out of the new one are.
    let pulledTargets = { ...s.pulledTargets };
    for (const move of records)
      for (const endpoint of [...move.out, ...move.in])
        pulledTargets = without(pulledTargets, `${move.recordId}|${endpoint}`);
    return { ...s, activeRegion: toRegion, pulledTargets: { ...pulledTargets, ...leftOut } };
  });
  const done: string[] = [];
  for (const [index, move] of records.entries()) {
    const record = session.ctx.topology.dns.find((r) => r.id === move.recordId);
    if (!record)
      throw new Error(`DNS record "${move.recordId}" of runbook ${runbook.id} is no longer in the topology config`);
    done.push(await moveRecord(session, record, runbook, index));
  }
  await markDone(session, runbook.id, RegionStep.MOVE_DNS);
  return {
    outcome: 'applied',
    detail: `active region ${fromRegion} -> ${toRegion}; ${done.join('; ') || 'no active-passive record to move'}`,
    details: { runbookId: runbook.id, step: RegionStep.MOVE_DNS, activeRegion: toRegion, records },
  };
};

function databaseOf(session: ExecutionSession, id: string): Database {
  const db = session.ctx.topology.databases.find((d) => d.id === id);
  if (!db) throw new Error(`database "${id}" is not in the topology config`);
  return db;
}

const repointWriter: ActionHandler<RegionStepAction> = async (session, action) => {
  const runbook = await loadRunbook(session, action.runbookId);
  const hold = notNow(runbook, RegionStep.REPOINT_WRITER);
  if (hold) return hold;
  const changes: string[] = [];
  const redundancy: string[] = [];
  const replicasLeft: Record<string, number> = {};
  for (const writer of runbook.data.writers) {
    const db = databaseOf(session, writer.databaseId);
    changes.push(await pointWriter(session, db, writer.host));
    const at = sessionTime(session);
    const guard = await updateSessionGuard(session, (s) => ({
      ...s,
      databasePrimaries: { ...s.databasePrimaries, [db.id]: writer.toMemberId },
      // The member that takes the writer name is the writer: a fence on it (an Aurora cluster rebuilt as a secondary) is over.
      fencedMembers: without(
        writer.fenceFrom
          ? {
              ...s.fencedMembers,
              [writer.fromMemberId]: {
                databaseId: db.id,
                at,
                planId: session.plan.id,
                reason: `region ${runbook.data.fromRegion} failed over to ${runbook.data.toRegion} (${runbook.id})`,
              },
            }
          : s.fencedMembers,
        writer.toMemberId,
      ),
    }));
    // Read now: which members replicate from the promoted one decides what is left to fail over to.
    const { members } = await readDatabase(session.ctx.ports, db);
    const left = redundancyAfter(db, writer.toMemberId, new Set(Object.keys(guard.fencedMembers)), members);
    replicasLeft[db.id] = left.replicas.length;
    redundancy.push(`${db.id}: ${describeRedundancy(db, writer.toMemberId, left)}`);
  }
  await markDone(session, runbook.id, RegionStep.REPOINT_WRITER);
  return {
    outcome: 'applied',
    detail: [changes.join('; ') || 'no writer name to move', ...redundancy].join('; '),
    details: {
      runbookId: runbook.id,
      step: RegionStep.REPOINT_WRITER,
      writers: runbook.data.writers,
      replicasLeft,
      redundancy,
    },
  };
};

const complete: ActionHandler<RegionStepAction> = async (session, action) => {
  const runbook = await loadRunbook(session, action.runbookId);
  const hold = notNow(runbook, RegionStep.COMPLETE);
  if (hold) return hold;
  const finished = await markDone(session, runbook.id, RegionStep.COMPLETE, 'completed');
  const steps = finished.steps.map((s) => ({ step: s.name, at: s.at, by: finished.data.doneBy[s.name] }));
  return {
    outcome: 'applied',
    detail: `runbook ${runbook.id} completed: traffic is served from ${runbook.data.toRegion}${runbook.data.cannotUndo.length > 0 ? `; not undone: ${runbook.data.cannotUndo.join('; ')}` : ''}`,
    details: {
      runbookId: runbook.id,
      step: RegionStep.COMPLETE,
      startedAt: finished.startedAt,
      steps,
      timeline: finished.timeline,
    },
  };
};

const cancel: ActionHandler<RegionStepAction> = async (session, action) => {
  const id = action.runbookId;
  const at = sessionTime(session);
  // Only before anything moved: waiting for approval, or approved and not yet announced.
  const cancellable = (r: RegionRunbook) =>
    r.status === 'pending-approval' || (r.status === 'running' && !isStepDone(r, RegionStep.ANNOUNCE));
  await updateRunbook(session.ctx.ports.store, id, regionRunbookOf, (r) =>
    cancellable(r) ? withStatus(r, 'aborted', at, action.reason) : undefined,
  );
  return {
    outcome: 'applied',
    detail: `runbook ${id} cancelled before it started; nothing was moved`,
    details: { runbookId: id },
  };
};

const abort: ActionHandler<RegionStepAction> = async (session, action) => {
  const id = action.runbookId;
  const at = sessionTime(session);
  const ended = await updateRunbook(session.ctx.ports.store, id, regionRunbookOf, (r) =>
    r.status === 'running' ? withStatus(r, 'aborted', at, action.reason) : undefined,
  );
  if (ended.status !== 'aborted')
    return { outcome: 'skipped', detail: `runbook ${id} is ${ended.status}, not running; not aborted` };
  return { outcome: 'applied', detail: `runbook ${id} aborted`, details: { runbookId: id, timeline: ended.timeline } };
};

export const heartbeatRestored: ActionHandler<HeartbeatRestoredAction> = async (session, action) => {
  const key = action.data.noticeKey;
  // The outage is over for every checker: the notice goes, so a new outage is told anew.
  await updateSessionGuard(session, (s) => ({ ...s, notices: without(s.notices, alertNoticeKey(key)) }));
  return {
    outcome: 'applied',
    detail: `heartbeat of ${action.data.checker} is fresh again (${action.data.lastSeen})`,
    details: { checker: action.data.checker },
  };
};

/** Runs a step of a region runbook (or its cancel or abort). */
export function runRegionStep(session: ExecutionSession, action: RegionStepAction): Promise<HandlerResult> {
  switch (action.kind) {
    case RegionActionKind.CANCEL:
      return cancel(session, action);
    case RegionActionKind.ABORT:
      return abort(session, action);
    case RegionActionKind.ANNOUNCE:
      return announce(session, action);
    case RegionActionKind.MOVE_DNS:
      return moveDns(session, action);
    case RegionActionKind.REPOINT_WRITER:
      return repointWriter(session, action);
    case RegionActionKind.COMPLETE:
      return complete(session, action);
    default:
      return unhandledAction(action.kind);
  }
}
