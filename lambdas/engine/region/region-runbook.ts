// The region runbook as data, on the engine's runbook machinery: ordered steps, each recorded when
// done, so any checker picks up at the next undone step (a later cycle, or another region after
// the actor died). What a step needs is decided when the runbook is created and kept in `data`.
import { isOpen } from '../state/runbook';
import {
  REGION_FAILOVER_KIND,
  RegionStep,
  regionRunbookOf,
  type RegionRunbook,
  type Runbook,
} from '../state/runbook-kinds';

/**
 * Failover steps in order. Failback promotes nothing (a promoted replica cannot become a replica
 * again), except an Aurora global database's planned switchover back, run as the promote step.
 */
export const FAILOVER_STEPS: readonly RegionStep[] = [
  RegionStep.ANNOUNCE,
  RegionStep.PROMOTE,
  RegionStep.MOVE_DNS,
  RegionStep.REPOINT_WRITER,
  RegionStep.COMPLETE,
];
export const FAILBACK_STEPS: readonly RegionStep[] = [
  RegionStep.ANNOUNCE,
  RegionStep.MOVE_DNS,
  RegionStep.REPOINT_WRITER,
  RegionStep.COMPLETE,
];

/** The region runbooks among all runbooks (the database ones share the namespace). */
export function regionRunbooks(all: readonly Runbook[]): RegionRunbook[] {
  return all.flatMap((r) => regionRunbookOf(r) ?? []);
}

/** The open region runbook (waiting for approval or running) that will move or moves this database's writer, if any. */
export function openRegionRunbookFor(all: readonly Runbook[], databaseId: string): RegionRunbook | undefined {
  return regionRunbooks(all).find(
    (r) =>
      isOpen(r) &&
      (r.data.databases.some((m) => m.databaseId === databaseId) ||
        r.data.writers.some((w) => w.databaseId === databaseId)),
  );
}

/**
 * Deterministic id (`failover-<from region>-<n>`, `failback-<to region>-<n>`), so two actors reading
 * the same store name the same runbook and one compare-and-swap create wins.
 */
export function regionRunbookId(kind: string, region: string, existing: readonly Runbook[]): string {
  const prefix = `${kind === REGION_FAILOVER_KIND ? 'failover' : 'failback'}-${region}-`;
  return `${prefix}${existing.filter((r) => r.id.startsWith(prefix)).length + 1}`;
}
