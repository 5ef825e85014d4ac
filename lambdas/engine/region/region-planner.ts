// The region-failover sub-planner (pure): watches the active region from outside, starts the region
// runbook when it has been dark long enough, and plans the next undone steps of any open one. Only
// the acting checker plans actions; the others add a note and watch.
import type { Topology } from '../../domain/config/schema';
import { guardRegions, primaryRegion } from '../../domain/config/targets';
import { activeRegionOf } from '../state/guard-state';
import { isStepDone } from '../state/runbook';
import { RegionActionKind, type PlannerInput } from '../types';
import { chooseActor } from './actor';
import { planHeartbeats } from './heartbeat-notices';
import { planNewFailover } from './new-failover';
import { assessRegion } from './region-evidence';
import { regionRunbooks } from './region-runbook';
import { emptyRegionPlan, stepAction, type RegionPlan } from './runbook-actions';
import { planRunbookSteps } from './runbook-steps';
import { REGION_FAILOVER_KIND, type RegionRunbook, RegionStep } from '../state/runbook-kinds';

/** The checker that works on a runbook: for a failover, the first live one outside the region it leaves. */
function runbookActor(topology: Topology, runbook: RegionRunbook, live: ReadonlySet<string>): string | undefined {
  const avoid = runbook.kind === REGION_FAILOVER_KIND ? runbook.data.fromRegion : '';
  return chooseActor(guardRegions(topology), live, avoid);
}

export function planRegionFailover(input: PlannerInput): RegionPlan {
  const out = emptyRegionPlan();
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
            undefined,
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
    planRunbookSteps(input, runbook, out);
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
