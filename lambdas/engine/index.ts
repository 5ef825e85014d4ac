// The failover engine's public API: observe → plan (pure) → execute idempotent steps → record → notify.
export type {
  CycleReport,
  EngineOptions,
  ExecutionReport,
  GuardContext,
  GuardPorts,
  MemberState,
  Plan,
  PlannerInput,
  Read,
} from './types';
export { observe } from './observe';
export { cycleDeadlineMs, planWithinDeadline, withinDeadline } from './cycle-deadline';
export { planCycle, planCycleWithInput, gatherPlannerInput, newPlanId, DEFAULT_ENGINE_OPTIONS } from './plan-cycle';
export { planFromInput } from './planner';
export { executePlan } from './executor';
export { runCycle } from './run-cycle';
export { evaluateReadiness, readinessRows } from './readiness/evaluate-readiness';
export { cycleReadinessEvidence, readinessEvidence } from './readiness/readiness';
export { withReadinessReads } from './readiness/readiness-reads';
export { formatPlan } from './format-plan';
export { applyDnsEdit, casChanges } from './dns-edit';
export { planDnsRecord } from './planners/dns-healing.planner';
export {
  attachmentChanges,
  describeAttachmentSet,
  planHealthCheckAttachments,
  regionHealthCheckIds,
  type SetAttachment,
} from './health-check-attachments';
export { describeRedundancy, redundancyAfter } from './planners/database-redundancy';
export {
  activeRegionOf,
  alertNoticeKey,
  emptyGuardState,
  pulledTargetKey,
  readGuardState,
  updateGuardState,
  type GuardState,
} from './state/guard-state';
export { isOpen, listRunbooks, newRunbook, updateRunbook } from './state/runbook';
export { StateDocumentRejectedError } from './state/stored-documents';
export { readAllViews, readCheckerViews, readView, viewName, VIEW_NAMESPACE } from './state/views';
export { regionSeenFrom } from './region/region-evidence';
export { readRecords } from './cloud-state.reader';
export { databaseRunbookOf, type Runbook } from './state/runbook-kinds';
export {
  readReadinessSignal,
  writeReadinessSignal,
  type ReadinessAlarmKnown,
  type ReadinessSignal,
} from './state/readiness-signal';
