// Approving a region runbook that waits in approval mode: the next cycle of the acting checker runs it.
// An approval comes minutes after the evidence: it is accepted only while the region is still dark.
import type { Topology } from '../../domain/config/schema';
import { guardRegions } from '../../domain/config/targets';
import type { StateStorePort } from '../../ports/state-store.port';
import { getRunbook, listRunbooks, updateRunbook, withStatus } from '../state/runbook';
import { readAllViews } from '../state/views';
import { assessRegion } from './region-evidence';
import { regionRunbooks } from './region-runbook';
import { REGION_FAILOVER_KIND, type RegionRunbook, regionRunbookOf } from '../state/runbook-kinds';

/** A person-facing refusal: the runbook is unknown or not waiting for approval. */
export class ApprovalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApprovalError';
  }
}

/** The region runbook with this id, or the one created by the plan with this id. */
async function findRunbook(store: StateStorePort, idOrPlanId: string): Promise<RegionRunbook | undefined> {
  const direct = await getRunbook(store, idOrPlanId);
  const region = direct && regionRunbookOf(direct.value);
  if (region) return region;
  return regionRunbooks((await listRunbooks(store)).map((d) => d.value)).find((r) => r.planId === idOrPlanId);
}

/** Ends a failover waiting for approval whose region is no longer dark, as the checkers see it now; throws ApprovalError saying so. */
async function refuseIfRecovered(
  store: StateStorePort,
  topology: Topology,
  runbook: RegionRunbook,
  at: Date,
): Promise<void> {
  if (runbook.kind !== REGION_FAILOVER_KIND) return;
  const region = runbook.data.fromRegion;
  const assessment = assessRegion(topology, region, await readAllViews(store), at, guardRegions(topology));
  if (assessment.dark) return;
  const why = `${region} is no longer dark (${assessment.reason})`;
  await updateRunbook(store, runbook.id, regionRunbookOf, (r) =>
    r.status === 'pending-approval'
      ? withStatus(r, 'aborted', at.toISOString(), `approval refused: ${why}`)
      : undefined,
  );
  throw new ApprovalError(
    `${why}; runbook ${runbook.id} is aborted and nothing was moved. If ${region} goes dark again, the guard asks for approval anew`,
  );
}

/** Marks a pending region runbook approved (running) while its region is still dark; throws ApprovalError naming why it cannot be. */
export async function approveRunbook(
  store: StateStorePort,
  idOrPlanId: string,
  by: string,
  at: Date,
  topology: Topology,
): Promise<RegionRunbook> {
  const found = await findRunbook(store, idOrPlanId);
  if (!found) {
    const pending = regionRunbooks((await listRunbooks(store)).map((d) => d.value)).filter(
      (r) => r.status === 'pending-approval',
    );
    const hint =
      pending.length > 0
        ? `waiting for approval: ${pending.map((r) => r.id).join(', ')}`
        : 'no runbook waits for approval (see `failover-guard status <config>`)';
    throw new ApprovalError(`no region runbook "${idOrPlanId}" in the state table; ${hint}`);
  }
  if (found.status !== 'pending-approval') {
    throw new ApprovalError(`runbook ${found.id} is ${found.status}, not pending-approval; nothing to approve`);
  }
  await refuseIfRecovered(store, topology, found, at);
  const iso = at.toISOString();
  return updateRunbook(store, found.id, regionRunbookOf, (r) => {
    if (r.status !== 'pending-approval')
      throw new ApprovalError(`runbook ${r.id} became ${r.status} while approving; nothing to approve`);
    const approved = withStatus(r, 'running', iso, `approved by ${by}`);
    return { ...approved, data: { ...approved.data, approval: { at: iso, by } } };
  });
}
