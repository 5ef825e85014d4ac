// Database runbook steps: start or resume a promotion, repoint the writer and fence the old
// primary once the promotion is complete, or give up. Each step is recorded in the runbook, and a
// step already done is never repeated (a promoted instance is not promoted again).
import type { Database } from '../../domain/config/schema';
import { DnsConflictError, StateConflictError } from '../../ports/errors';
import { casChanges, writerCnameEdit } from '../dns-edit';
import { DATABASE_RUNBOOK_STEPS, effectivePrimary, openDatabaseRunbook } from '../planners/database-failover.planner';
import { describeRedundancy } from '../planners/database-redundancy';
import { claimDatabase } from '../state/database-claim';
import { lagProblemNow } from './promotion-lag';
import {
  createRunbook,
  isStepDone,
  listRunbooks,
  newRunbook,
  recordStep,
  updateRunbook,
  withStatus,
} from '../state/runbook';
import type { DatabaseAbandonAction, DatabasePromoteAction, DatabaseRepointAction } from '../types';
import { sessionTime, updateSessionGuard, type ExecutionSession, type HandlerResult } from './session';
import { errorMessage } from '../../domain/errors';
import { DATABASE_RUNBOOK_KIND, type DatabaseRunbookData, databaseRunbookOf } from '../state/runbook-kinds';

function databaseOf(session: ExecutionSession, id: string): Database {
  const db = session.ctx.topology.databases.find((d) => d.id === id);
  if (!db) throw new Error(`database "${id}" is not in the topology config`);
  return db;
}

function memberOf(db: Database, id: string) {
  const member = [db.primary, ...db.replicas].find((m) => m.id === id);
  if (!member) throw new Error(`member "${id}" is not a member of database "${db.id}" in the config`);
  return member;
}

/** True when the candidate no longer needs the promotion call (an earlier call went through). */
async function alreadyPromoted(
  session: ExecutionSession,
  db: Database,
  action: DatabasePromoteAction,
): Promise<boolean> {
  if (db.engine !== 'rds-instance') return false;
  const member = memberOf(db, action.candidate);
  const state = await session.ctx.ports.database.describeInstance(member.region, member.identifier);
  return state !== undefined && state.replicaSourceIdentifier === undefined;
}

async function callPromotion(session: ExecutionSession, db: Database, action: DatabasePromoteAction): Promise<string> {
  const member = memberOf(db, action.candidate);
  const database = session.ctx.ports.database;
  if (action.method === 'promote-read-replica') {
    await database.promoteReadReplica(member.region, member.identifier);
    return `PromoteReadReplica ${member.identifier} in ${member.region}`;
  }
  if (action.method === 'failover-cluster') {
    await database.failoverCluster(db.primary.region, db.clusterIdentifier ?? '', member.identifier);
    return `FailoverDBCluster ${db.clusterIdentifier} to ${member.identifier}`;
  }
  if (!action.targetArn) throw new Error(`no cluster ARN for ${member.id}; cannot call FailoverGlobalCluster`);
  await database.failoverGlobalCluster(
    member.region,
    db.clusterIdentifier ?? '',
    action.targetArn,
    action.allowDataLoss,
  );
  return `FailoverGlobalCluster ${db.clusterIdentifier} to ${action.targetArn}${action.allowDataLoss ? ' (AllowDataLoss)' : ''}`;
}

/** Why a plan that starts a runbook is stale under the lease (another invocation failed the database over); undefined: go. */
async function staleStart(
  session: ExecutionSession,
  db: Database,
  action: DatabasePromoteAction,
): Promise<HandlerResult | undefined> {
  const open = openDatabaseRunbook(await listRunbooks(session.ctx.ports.store), db.id);
  if (open) return { outcome: 'skipped', detail: `runbook ${open.id} already fails ${db.id} over; not started twice` };
  if (effectivePrimary(db, session.guard).id !== action.oldPrimary) {
    return {
      outcome: 'skipped',
      detail: `${db.id} was already failed over from ${action.oldPrimary}; the plan is stale`,
    };
  }
  return undefined;
}

async function startRunbook(
  session: ExecutionSession,
  db: Database,
  action: DatabasePromoteAction,
): Promise<HandlerResult | undefined> {
  const data: DatabaseRunbookData = {
    databaseId: db.id,
    oldPrimary: action.oldPrimary,
    candidate: action.candidate,
    method: action.method,
    allowDataLoss: action.allowDataLoss,
    ...(action.targetArn ? { targetArn: action.targetArn } : {}),
    rejected: action.rejected,
  };
  const runbook = newRunbook({
    id: action.runbookId,
    kind: DATABASE_RUNBOOK_KIND,
    resource: db.id,
    region: action.region,
    planId: session.plan.id,
    at: sessionTime(session),
    steps: DATABASE_RUNBOOK_STEPS,
    data,
  });
  try {
    await createRunbook(session.ctx.ports.store, runbook);
    return undefined;
  } catch (error) {
    if (error instanceof StateConflictError)
      return { outcome: 'skipped', detail: `runbook ${action.runbookId} was started by another actor` };
    throw error;
  }
}

export async function executePromote(session: ExecutionSession, action: DatabasePromoteAction): Promise<HandlerResult> {
  const db = databaseOf(session, action.databaseId);
  const store = session.ctx.ports.store;
  // The plan may predate another invocation's failover of this database: re-check under the lease.
  const stale = action.startsRunbook ? await staleStart(session, db, action) : undefined;
  if (stale) return stale;
  if (!action.startsRunbook && (await alreadyPromoted(session, db, action))) {
    await updateRunbook(store, action.runbookId, databaseRunbookOf, (r) =>
      isStepDone(r, 'promote') ? undefined : recordStep(r, 'promote', 'done', sessionTime(session)),
    );
    return {
      outcome: 'skipped',
      detail: `${action.candidate} is no longer a read replica; promotion already under way, not repeated`,
    };
  }
  const lagRefusal = await lagProblemNow(session.ctx.ports, db, memberOf(db, action.candidate), true);
  if (lagRefusal)
    return {
      outcome: 'skipped',
      detail: `${lagRefusal}; not promoted, ${action.startsRunbook ? 'no runbook started, the next cycle chooses again' : 'retried next cycle'}`,
    };
  const notStarted = action.startsRunbook ? await startRunbook(session, db, action) : undefined;
  if (notStarted) return notStarted;
  const owner = await claimDatabase(store, db.id, action.runbookId, sessionTime(session));
  if (owner) {
    const why = `database ${db.id} is owned by runbook ${owner}, which moves its writer`;
    await updateRunbook(store, action.runbookId, databaseRunbookOf, (r) =>
      withStatus(r, 'aborted', sessionTime(session), why),
    );
    return {
      outcome: 'skipped',
      detail: `${why}; runbook ${action.runbookId} ended without promoting ${action.candidate}`,
    };
  }
  let call: string;
  try {
    call = await callPromotion(session, db, action);
  } catch (error) {
    await updateRunbook(store, action.runbookId, databaseRunbookOf, (r) =>
      recordStep(r, 'promote', 'failed', sessionTime(session), errorMessage(error)),
    );
    throw error;
  }
  await updateRunbook(store, action.runbookId, databaseRunbookOf, (r) =>
    recordStep(r, 'promote', 'done', sessionTime(session)),
  );
  return {
    outcome: 'applied',
    detail: `${call}; the writer name moves once the promotion completes`,
    details: { runbookId: action.runbookId, rejected: action.rejected },
  };
}

/** Points the writer CNAME at `host` by compare-and-swap, re-reading when another writer got in first. */
export async function pointWriter(session: ExecutionSession, db: Database, host: string): Promise<string> {
  const dns = session.ctx.ports.dns;
  for (let attempt = 0; ; attempt += 1) {
    const current = await dns.listRecordSets(db.writerDns.hostedZoneId, db.writerDns.name, 'CNAME');
    const edit = writerCnameEdit(current, db.writerDns.name, db.writerDns.ttl, host);
    if (!edit) return `${db.writerDns.name} already points at ${host}`;
    try {
      await dns.changeRecordSets(
        db.writerDns.hostedZoneId,
        casChanges(edit),
        `failover-guard ${session.plan.id}: writer of ${db.id}`,
      );
      return `${db.writerDns.name} CNAME ${edit.before?.values.join(',') ?? '(none)'} -> ${host}`;
    } catch (error) {
      if (!(error instanceof DnsConflictError) || attempt >= session.options.dnsConflictRetries) throw error;
    }
  }
}

export async function executeRepoint(session: ExecutionSession, action: DatabaseRepointAction): Promise<HandlerResult> {
  const db = databaseOf(session, action.databaseId);
  const store = session.ctx.ports.store;
  let change: string;
  try {
    change = await pointWriter(session, db, action.host);
  } catch (error) {
    await updateRunbook(store, action.runbookId, databaseRunbookOf, (r) =>
      recordStep(r, 'repoint-writer', 'failed', sessionTime(session), errorMessage(error)),
    );
    throw error;
  }
  const at = sessionTime(session);
  await updateSessionGuard(session, (s) => ({
    ...s,
    databasePrimaries: { ...s.databasePrimaries, [db.id]: action.newPrimary },
    fencedMembers: {
      ...s.fencedMembers,
      [action.oldPrimary]: {
        databaseId: db.id,
        at,
        planId: session.plan.id,
        reason: `failed over to ${action.newPrimary}`,
      },
    },
  }));
  await updateRunbook(store, action.runbookId, databaseRunbookOf, (r) => {
    const promoted = isStepDone(r, 'promote') ? r : recordStep(r, 'promote', 'done', at);
    return withStatus(recordStep(promoted, 'repoint-writer', 'done', at), 'completed', at);
  });
  const redundancy = describeRedundancy(db, action.newPrimary, action.redundancy);
  return {
    outcome: 'applied',
    detail: `${change}; ${action.oldPrimary} fenced; ${redundancy}`,
    details: {
      runbookId: action.runbookId,
      newPrimary: action.newPrimary,
      fenced: action.oldPrimary,
      replicasLeft: action.redundancy.replicas.length,
      strandedReplicas: action.redundancy.stranded,
      redundancy,
    },
  };
}

export async function executeAbandon(session: ExecutionSession, action: DatabaseAbandonAction): Promise<HandlerResult> {
  const at = sessionTime(session);
  const fence = action.fence;
  // Fenced before the runbook ends: the next runbook must never choose a member RDS may still be promoting.
  if (fence) {
    await updateSessionGuard(session, (s) => ({
      ...s,
      fencedMembers: {
        ...s.fencedMembers,
        [fence]: {
          databaseId: action.databaseId,
          at,
          planId: session.plan.id,
          reason: `promotion given up (runbook ${action.runbookId}): ${action.reason}`,
        },
      },
    }));
  }
  await updateRunbook(session.ctx.ports.store, action.runbookId, databaseRunbookOf, (r) =>
    withStatus(r, 'failed', at, action.reason),
  );
  return {
    outcome: 'applied',
    detail: `runbook ${action.runbookId} given up: ${action.reason}${fence ? `; ${fence} fenced (never made writer automatically)` : ''}; the next cycle re-evaluates the primary and the replicas`,
    ...(fence ? { details: { fenced: fence } } : {}),
  };
}
