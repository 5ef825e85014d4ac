// Region-wide failover: dark-region detection from outside, the region runbook (planner + step
// handlers), failback and status. The engine composes planRegionFailover and the step handlers.
export { chooseActor, isActor } from './actor';
export { heartbeats, runningSince, type CheckerHeartbeat } from './heartbeats';
export {
  assessRegion,
  isBlind,
  regionSeenFrom,
  staleCheckers,
  type EndpointEvidence,
  type RegionAssessment,
  type RegionSight,
} from './region-evidence';
export {
  FAILBACK_STEPS,
  FAILBACK_SWITCHOVER_STEPS,
  FAILOVER_STEPS,
  REGION_FAILBACK_KIND,
  REGION_FAILOVER_KIND,
  RegionStep,
  regionRunbookId,
  regionRunbooks,
  type DatabaseMove,
  type RecordMove,
  type RegionEvidence,
  type RegionRunbook,
  type RegionRunbookData,
  type WriterMove,
} from './region-runbook';
export { planRegionFailover } from './region-planner';
export { endpointRegions, leftOutTargets, recordMoveChanges, recordMoves } from './record-moves';
export {
  assessStandby,
  chooseStandby,
  type StandbyChoice,
  type StandbyFitness,
  type StandbyInput,
} from './standby';
export { ApprovalError, approveRunbook } from './approval';
export { formatFailback, planFailback, runFailback, type FailbackDecision, type FailbackOutcome } from './failback';
export { formatRegionStatus, readRegionStatus, type RegionStatus } from './region-status';
