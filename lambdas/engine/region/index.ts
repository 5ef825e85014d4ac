// Region-wide failover as the CLI and the drill use it: the region runbook, approval, failback and
// status. The engine's own modules import the region modules directly (planner, step handlers).
export { assessRegion } from './region-evidence';
export { regionRunbooks } from './region-runbook';
export { recordMoveChanges } from './record-moves';
export { ApprovalError, approveRunbook } from './approval';
export { formatFailback, planFailback, runFailback } from './failback';
export { formatRegionStatus, readRegionStatus } from './region-status';
export {
  REGION_FAILBACK_KIND,
  REGION_FAILOVER_KIND,
  type RegionRunbook,
  type RegionRunbookData,
} from '../state/runbook-kinds';
