// Failback is deliberate: a command, never a cycle's decision. It moves DNS back to a region that
// has been healthy (seen from outside) for failbackHealthyMinutes, moves a writer name back only to
// a healthy standalone primary there (Aurora global: after a switchover to a healthy secondary
// cluster there), and says what it cannot undo.
import { formatDuration } from '../../domain/audit/failover-time';
import type { Database, DatabaseMember } from '../../domain/config/schema';
import { guardRegions, primaryRegion } from '../../domain/config/targets';
import { executePlan } from '../executor';
import { gatherPlannerInput, newPlanId } from '../plan-cycle';
import { databaseMembers } from '../../domain/config/targets';
import { effectivePrimary } from '../planners/database-failover.planner';
import { activeRegionOf, type GuardState } from '../state/guard-state';
import { createRunbook, isOpen, newRunbook, updateRunbook, withStatus } from '../state/runbook';
import type { ExecutionReport, GuardContext, Plan, PlannerInput } from '../types';
import { assessRegion } from './region-evidence';
import { planRunbookSteps } from './runbook-steps';
import { FAILBACK_STEPS, FAILOVER_STEPS, regionRunbookId, regionRunbooks } from './region-runbook';
import { endpointRegions, recordMoves } from './record-moves';
import {
  type DatabaseMove,
  REGION_FAILBACK_KIND,
  type RegionRunbook,
  type RegionRunbookData,
  type WriterMove,
  regionRunbookOf,
} from '../state/runbook-kinds';

export interface FailbackDecision {
  /** Set when failback is refused: why, and when it may be tried. */
  readonly refusal?: string;
  readonly runbook?: RegionRunbook;
}

interface DatabaseReturns {
  readonly writers: WriterMove[];
  /** aurora-global: planned switchovers back to the recovered region, run as the promote step. */
  readonly switchovers: DatabaseMove[];
  readonly cannotUndo: string[];
}

type Verdicts = ReturnType<typeof assessRegion>['judgeVerdicts'];

/**
 * Why an aurora-global member cannot take the writer back by switchover; undefined when it can. A
 * fence does not count: a cluster the global database lists as a secondary was rebuilt from the
 * writer, so its old writes are gone. Lag does not count either: a switchover waits until it is in sync.
 */
function switchoverProblem(
  input: PlannerInput,
  db: Database,
  member: DatabaseMember,
  verdicts: Verdicts,
): string | undefined {
  const snapshot = input.databases[db.id];
  const global = snapshot?.globalCluster;
  const read = snapshot?.members[member.id];
  if (!global?.ok || !global.value)
    return `global cluster ${db.clusterIdentifier} ${global && !global.ok ? `could not be read: ${global.error}` : 'not found'}`;
  if (global.value.failoverStatus) return `global cluster ${db.clusterIdentifier} is ${global.value.failoverStatus}`;
  if (!read?.ok) return `its state could not be read${read ? `: ${read.error}` : ''}`;
  if (!read.value.exists) return 'not found';
  const arn = read.value.arn;
  if (!global.value.members.some((g) => g.clusterArn === arn && !g.isWriter))
    return `not a secondary of ${db.clusterIdentifier}`;
  if (read.value.status !== 'available') return `it is ${read.value.status ?? 'in an unknown state'}`;
  const probe = verdicts.get(member.id)?.status ?? 'UNKNOWN';
  return probe === 'HEALTHY' ? undefined : `it is ${probe} by probe`;
}

function globalSwitchover(
  input: PlannerInput,
  db: Database,
  current: DatabaseMember,
  region: string,
  verdicts: Verdicts,
  out: DatabaseReturns,
): void {
  const there = databaseMembers(db).filter((m) => m.region === region && m.id !== current.id);
  const problems = there.map((m) => ({ member: m, problem: switchoverProblem(input, db, m, verdicts) }));
  const target = problems.find((p) => p.problem === undefined)?.member;
  const read = target ? input.databases[db.id]?.members[target.id] : undefined;
  const arn = read?.ok ? read.value.arn : undefined;
  if (!target || !arn) {
    const why =
      problems.map((p) => `${p.member.identifier}: ${p.problem}`).join('; ') ||
      `no cluster of ${db.id} is configured in ${region}`;
    out.cannotUndo.push(
      `${db.id}: the writer stays on cluster ${current.identifier} (${current.region}); no cluster of global database ${db.clusterIdentifier} in ${region} is an available, HEALTHY secondary (${why}). ` +
        `Once ${db.clusterIdentifier} lists one as a secondary again (after a failover with data loss Aurora rebuilds the old primary cluster as one when its region is back; otherwise add a secondary cluster in ${region}), run failback again: it switches the writer over with no data loss.`,
    );
    return;
  }
  out.switchovers.push({
    databaseId: db.id,
    engine: db.engine,
    fromMemberId: current.id,
    toMemberId: target.id,
    toIdentifier: target.identifier,
    toRegion: target.region,
    toEndpoint: target.endpoint,
    ...(db.clusterIdentifier ? { globalClusterIdentifier: db.clusterIdentifier } : {}),
    targetClusterArn: arn,
    allowDataLoss: false,
  });
  // The cluster left behind stays a secondary in sync: nothing diverges, nothing to fence.
  out.writers.push({
    databaseId: db.id,
    fromMemberId: current.id,
    toMemberId: target.id,
    host: target.endpoint.host,
    fenceFrom: false,
  });
}

function writerMoves(input: PlannerInput, region: string, verdicts: Verdicts): DatabaseReturns {
  const out: DatabaseReturns = { writers: [], switchovers: [], cannotUndo: [] };
  const fenced = input.guardState.fencedMembers;
  for (const db of input.topology.databases) {
    const current = effectivePrimary(db, input.guardState);
    // Only a database whose configured primary lives in the region comes back to it; the others stay as they are.
    if (current.region === region || db.primary.region !== region) continue;
    if (db.engine === 'aurora-global') {
      globalSwitchover(input, db, current, region, verdicts, out);
      continue;
    }
    const standalone = databaseMembers(db).find((m) => {
      const read = input.databases[db.id]?.members[m.id];
      return (
        m.region === region &&
        m.id !== current.id &&
        !fenced[m.id] &&
        db.engine === 'rds-instance' &&
        read?.ok === true &&
        read.value.exists &&
        read.value.status === 'available' &&
        read.value.isReplica === false &&
        verdicts.get(m.id)?.status === 'HEALTHY'
      );
    });
    const fencedThere = databaseMembers(db).filter((m) => m.region === region && fenced[m.id]);
    if (standalone) {
      out.writers.push({
        databaseId: db.id,
        fromMemberId: current.id,
        toMemberId: standalone.id,
        host: standalone.endpoint.host,
        fenceFrom: true,
      });
      out.cannotUndo.push(
        `${db.id}: ${current.id} stays a standalone instance after the writer moves to ${standalone.id}; it cannot become a replica again (rebuild it as a replica of ${standalone.identifier}, or delete it)`,
      );
      continue;
    }
    out.cannotUndo.push(
      `${db.id}: the writer stays on ${current.id} (${current.region}). ${current.id} was promoted and cannot become a replica again; ` +
        (fencedThere.length > 0
          ? `${fencedThere.map((m) => m.id).join(', ')} in ${region} is fenced (its data diverged at the failover). `
          : '') +
        `Rebuild a primary in ${region} (a new read replica of ${current.identifier}, then promote it) and run failback again to move the writer.`,
    );
  }
  return out;
}

/** Whether failback to `region` may run now, and the runbook that does it. Pure. */
export function planFailback(input: PlannerInput, region: string): FailbackDecision {
  const { topology } = input;
  if (!topology.regions.some((r) => r.name === region)) {
    return {
      refusal: `${region} is not a region of topology "${topology.name}" (${topology.regions.map((r) => r.name).join(', ')})`,
    };
  }
  const active = activeRegionOf(input.guardState, primaryRegion(topology));
  if (active === region)
    return { refusal: `${region} already serves the traffic (it is the active region); nothing to fail back` };
  const open = regionRunbooks(input.runbooks.map((d) => d.value)).find(
    (r) => r.status === 'running' || r.status === 'pending-approval',
  );
  if (open)
    return {
      refusal: `runbook ${open.id} is still ${open.status}; let it finish (failover-guard status <config>) before failing back`,
    };
  const now = new Date(input.now);
  const assessment = assessRegion(topology, region, input.views, now, guardRegions(topology));
  const minutes = topology.regionFailover.failbackHealthyMinutes;
  if (!assessment.healthy || !assessment.healthySince) {
    const unhealthy = assessment.endpoints
      .filter((e) => e.status !== 'HEALTHY')
      .map((e) => `${e.endpointId}: ${e.status}`);
    return {
      refusal: `${region} is not healthy from outside (${assessment.judges.length > 0 ? unhealthy.join(', ') || assessment.reason : assessment.reason}); failback needs every endpoint HEALTHY for ${minutes} minutes (regionFailover.failbackHealthyMinutes)`,
    };
  }
  const healthyMs = now.getTime() - Date.parse(assessment.healthySince);
  if (healthyMs < minutes * 60_000) {
    const allowedAt = new Date(Date.parse(assessment.healthySince) + minutes * 60_000).toISOString();
    return {
      refusal: `${region} has been healthy only since ${assessment.healthySince} (${formatDuration(healthyMs / 1000)} of the ${formatDuration(minutes * 60)} regionFailover.failbackHealthyMinutes asks for); failback is allowed from ${allowedAt}`,
    };
  }
  const { writers, switchovers, cannotUndo } = writerMoves(input, region, assessment.judgeVerdicts);
  const data: RegionRunbookData = {
    fromRegion: active,
    toRegion: region,
    mode: 'manual',
    createdBy: input.checker,
    databases: switchovers,
    promotions: {},
    records: recordMoves(topology, active, region, assessment.judgeVerdicts, endpointRegions(topology)),
    writers,
    doneBy: {},
    cannotUndo,
  };
  const runbook: RegionRunbook = newRunbook({
    id: regionRunbookId(
      REGION_FAILBACK_KIND,
      region,
      input.runbooks.map((d) => d.value),
    ),
    kind: REGION_FAILBACK_KIND,
    resource: active,
    region,
    planId: input.planId,
    at: input.now,
    // An Aurora global switchover back runs as the promote step: the failover's steps.
    steps: switchovers.length > 0 ? FAILOVER_STEPS : FAILBACK_STEPS,
    data,
  });
  return { runbook };
}

/** What the failback will do, in lines a person checks before running it. */
export function formatFailback(runbook: RegionRunbook): string {
  const { fromRegion, toRegion, records, databases, writers, cannotUndo } = runbook.data;
  const lines = [`failback ${runbook.id}: ${fromRegion} -> ${toRegion}`];
  lines.push(`  active region: ${fromRegion} -> ${toRegion}`);
  for (const r of records)
    lines.push(`  dns ${r.recordId}: + ${r.in.join(', ') || '-'}   - ${r.out.join(', ') || '-'}`);
  for (const m of databases)
    lines.push(
      `  switchover ${m.databaseId}: ${m.fromMemberId} -> ${m.toMemberId} (FailoverGlobalCluster ${m.globalClusterIdentifier} with Switchover: no data loss)`,
    );
  for (const w of writers) lines.push(`  writer ${w.databaseId}: ${w.fromMemberId} -> ${w.toMemberId} (${w.host})`);
  if (writers.length === 0) lines.push('  writer names: unchanged');
  for (const c of cannotUndo) lines.push(`  cannot undo: ${c}`);
  return `${lines.join('\n')}\n`;
}

export interface FailbackOutcome {
  readonly decision: FailbackDecision;
  /** True when it was only planned: --dry-run, a dry-run context or guard.dryRun in the config. */
  readonly dryRun: boolean;
  /** Absent on refusal and on a dry run. */
  readonly execution?: ExecutionReport;
}

/** Why the guard is paused, or undefined when it is not. */
function pauseSource(ctx: GuardContext, state: GuardState): string | undefined {
  if (ctx.topology.guard.paused) return 'guard.paused in the config';
  return state.paused ? 'the pause switch in the guard state' : undefined;
}

const pausedRefusal = (source: string) =>
  `the guard is paused (${source}): failback changes nothing and records nothing to run later; unpause it, then run failback again`;

/**
 * Plans the failback and, unless it is a dry run (the option, the context or guard.dryRun), records
 * the runbook and runs its steps through the engine's executor. Refused while the guard is paused:
 * a runbook recorded then would run by itself at unpause.
 */
export async function runFailback(
  ctx: GuardContext,
  region: string,
  options: { dryRun: boolean },
): Promise<FailbackOutcome> {
  // Failback decides on every database and record at once: read all of them.
  const input = await gatherPlannerInput({ ...ctx, cloudReads: 'everything' }, newPlanId(ctx.now()));
  const decision = planFailback(input, region);
  const dryRun = options.dryRun || ctx.dryRun || ctx.topology.guard.dryRun;
  if (!decision.runbook || dryRun) return { decision, dryRun };
  const paused = pauseSource(ctx, input.guardState);
  if (paused) return { decision: { refusal: pausedRefusal(paused) }, dryRun };
  const runbook = decision.runbook;
  await createRunbook(ctx.ports.store, runbook);
  const steps = planRunbookSteps(input, runbook);
  const plan: Plan = {
    id: input.planId,
    createdAt: input.now,
    checker: ctx.checker,
    dryRun: false,
    actions: steps.actions,
    alerts: steps.alerts,
    notes: steps.notes,
  };
  const execution = await executePlan({ ...ctx, dryRun: false }, plan);
  if (execution.paused) {
    // Paused between the check and the execution: every step that changes anything was held. End the runbook, so nothing runs at unpause.
    await updateRunbook(ctx.ports.store, runbook.id, regionRunbookOf, (r) =>
      isOpen(r)
        ? withStatus(
            r,
            'aborted',
            ctx.now().toISOString(),
            'the guard was paused as the failback started; nothing moved',
          )
        : undefined,
    );
    return { decision: { refusal: pausedRefusal('paused as the failback started') }, dryRun, execution };
  }
  return { decision, dryRun, execution };
}
