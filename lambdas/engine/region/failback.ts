// Failback is deliberate: a command, never a cycle's decision. It moves DNS back to a region that
// has been healthy (seen from outside) for failbackHealthyMinutes, moves a writer name back only to
// a healthy standalone primary there, and says what it cannot undo.
import { guardRegions, primaryRegion } from '../../domain/config/targets';
import { executePlan } from '../executor';
import { gatherPlannerInput, newPlanId } from '../plan-cycle';
import { databaseMembers, effectivePrimary } from '../planners/database-failover.planner';
import { activeRegionOf } from '../state/guard-state';
import { createRunbook, newRunbook } from '../state/runbook';
import type { ExecutionReport, GuardContext, Plan, PlannerInput } from '../types';
import { assessRegion } from './region-evidence';
import { planRunbookSteps } from './region-planner';
import { FAILBACK_STEPS, REGION_FAILBACK_KIND, regionRunbookId, regionRunbooks, type RegionRunbook, type RegionRunbookData, type WriterMove } from './region-runbook';
import { endpointRegions, recordMoves } from './record-moves';

export interface FailbackDecision {
  /** Set when failback is refused: why, and when it may be tried. */
  readonly refusal?: string;
  readonly runbook?: RegionRunbook;
}

function writerMoves(input: PlannerInput, region: string, verdicts: ReturnType<typeof assessRegion>['judgeVerdicts']): { writers: WriterMove[]; cannotUndo: string[] } {
  const writers: WriterMove[] = [];
  const cannotUndo: string[] = [];
  const fenced = input.guardState.fencedMembers;
  for (const db of input.topology.databases) {
    const current = effectivePrimary(db, input.guardState);
    if (current.region === region) continue;
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
      writers.push({ databaseId: db.id, fromMemberId: current.id, toMemberId: standalone.id, host: standalone.endpoint.host, fenceFrom: true });
      cannotUndo.push(`${db.id}: ${current.id} stays a standalone instance after the writer moves to ${standalone.id}; it cannot become a replica again (rebuild it as a replica of ${standalone.identifier}, or delete it)`);
      continue;
    }
    cannotUndo.push(
      `${db.id}: the writer stays on ${current.id} (${current.region}). ${current.id} was promoted and cannot become a replica again; ` +
        (fencedThere.length > 0 ? `${fencedThere.map((m) => m.id).join(', ')} in ${region} is fenced (its data diverged at the failover). ` : '') +
        `Rebuild a primary in ${region} (a new read replica of ${current.identifier}, then promote it) and run failback again to move the writer.`,
    );
  }
  return { writers, cannotUndo };
}

/** Whether failback to `region` may run now, and the runbook that does it. Pure. */
export function planFailback(input: PlannerInput, region: string): FailbackDecision {
  const { topology } = input;
  if (!topology.regions.some((r) => r.name === region)) {
    return { refusal: `${region} is not a region of topology "${topology.name}" (${topology.regions.map((r) => r.name).join(', ')})` };
  }
  const active = activeRegionOf(input.guardState, primaryRegion(topology));
  if (active === region) return { refusal: `${region} already serves the traffic (it is the active region); nothing to fail back` };
  const open = regionRunbooks(input.runbooks.map((d) => d.value)).find((r) => r.status === 'running' || r.status === 'pending-approval');
  if (open) return { refusal: `runbook ${open.id} is still ${open.status}; let it finish (failover-guard status <config>) before failing back` };
  const now = new Date(input.now);
  const assessment = assessRegion(topology, region, input.views, now, guardRegions(topology));
  const minutes = topology.regionFailover.failbackHealthyMinutes;
  if (!assessment.healthy || !assessment.healthySince) {
    const unhealthy = assessment.endpoints.filter((e) => e.status !== 'HEALTHY').map((e) => `${e.endpointId}: ${e.status}`);
    return {
      refusal: `${region} is not healthy from outside (${assessment.judges.length > 0 ? unhealthy.join(', ') || assessment.reason : assessment.reason}); failback needs every endpoint HEALTHY for ${minutes} minutes (regionFailover.failbackHealthyMinutes)`,
    };
  }
  const healthyMs = now.getTime() - Date.parse(assessment.healthySince);
  if (healthyMs < minutes * 60_000) {
    const allowedAt = new Date(Date.parse(assessment.healthySince) + minutes * 60_000).toISOString();
    return {
      refusal: `${region} has been healthy only since ${assessment.healthySince} (${Math.floor(healthyMs / 60_000)} of ${minutes} minutes, regionFailover.failbackHealthyMinutes); failback is allowed from ${allowedAt}`,
    };
  }
  const { writers, cannotUndo } = writerMoves(input, region, assessment.judgeVerdicts);
  const data: RegionRunbookData = {
    fromRegion: active,
    toRegion: region,
    mode: 'manual',
    createdBy: input.checker,
    databases: [],
    promotions: {},
    records: recordMoves(topology, active, region, assessment.judgeVerdicts, endpointRegions(topology)),
    writers,
    doneBy: {},
    cannotUndo,
  };
  const runbook: RegionRunbook = newRunbook({
    id: regionRunbookId(REGION_FAILBACK_KIND, region, input.runbooks.map((d) => d.value)),
    kind: REGION_FAILBACK_KIND,
    resource: active,
    region,
    planId: input.planId,
    at: input.now,
    steps: FAILBACK_STEPS,
    data,
  });
  return { runbook };
}

/** What the failback will do, in lines a person checks before running it. */
export function formatFailback(runbook: RegionRunbook): string {
  const { fromRegion, toRegion, records, writers, cannotUndo } = runbook.data;
  const lines = [`failback ${runbook.id}: ${fromRegion} -> ${toRegion}`];
  lines.push(`  active region: ${fromRegion} -> ${toRegion}`);
  for (const r of records) lines.push(`  dns ${r.recordId}: + ${r.in.join(', ') || '-'}   - ${r.out.join(', ') || '-'}`);
  for (const w of writers) lines.push(`  writer ${w.databaseId}: ${w.fromMemberId} -> ${w.toMemberId} (${w.host})`);
  if (writers.length === 0) lines.push('  writer names: unchanged');
  for (const c of cannotUndo) lines.push(`  cannot undo: ${c}`);
  return `${lines.join('\n')}\n`;
}

export interface FailbackOutcome {
  readonly decision: FailbackDecision;
  /** Absent on refusal and on a dry run. */
  readonly execution?: ExecutionReport;
}

/** Plans the failback and, unless dryRun, records the runbook and runs its steps through the engine's executor. */
export async function runFailback(ctx: GuardContext, region: string, options: { dryRun: boolean }): Promise<FailbackOutcome> {
  const input = await gatherPlannerInput(ctx, newPlanId(ctx.now()));
  const decision = planFailback(input, region);
  if (!decision.runbook || options.dryRun) return { decision };
  await createRunbook(ctx.ports.store, decision.runbook);
  const steps = planRunbookSteps(input, decision.runbook);
  const plan: Plan = { id: input.planId, createdAt: input.now, checker: ctx.checker, dryRun: false, actions: steps.actions, alerts: steps.alerts, notes: steps.notes };
  return { decision, execution: await executePlan({ ...ctx, dryRun: false }, plan) };
}
