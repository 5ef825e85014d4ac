// The failover engine's public API: observe → plan (pure) → execute idempotent steps → record → notify.
export type {
  ActionOutcome,
  ActionResult,
  CycleReport,
  DatabaseAbandonAction,
  DatabasePromoteAction,
  DatabaseRepointAction,
  DatabaseSnapshot,
  DnsAction,
  DnsEdit,
  EngineOptions,
  ExecutionReport,
  HealthCheckAttachAction,
  GuardContext,
  GuardPorts,
  LoadBalancerReportAction,
  MemberState,
  ObserveResult,
  Plan,
  PlanAlert,
  PlannedAction,
  PlannerInput,
  PromotionMethod,
  Read,
  ReadinessReportAction,
  Redundancy,
  StrandedReplica,
  SubPlanner,
} from './types';
export { observe, thresholdsLookup, type ObserveOptions } from './observe';
export { cycleDeadlineMs, planWithinDeadline, withinDeadline } from './cycle-deadline';
export {
  planCycle,
  planCycleWithInput,
  gatherPlannerInput,
  newPlanId,
  engineOptions,
  DEFAULT_ENGINE_OPTIONS,
} from './plan-cycle';
export { planFromInput, composePlanners, subPlanners } from './planner';
export { executePlan, actorLeaseName } from './executor';
export { runCycle } from './run-cycle';
export { evaluateReadiness, readinessRows } from './readiness/evaluate-readiness';
export { cycleReadinessEvidence, readinessEvidence } from './readiness/readiness';
export { formatPlan, formatAction } from './format-plan';
export { applyDnsEdit, casChanges, setsAfter, writerCnameEdit, type EditResult } from './dns-edit';
export {
  attachmentChanges,
  describeAttachmentSet,
  planHealthCheckAttachments,
  regionHealthCheckIds,
  type HealthCheckAttachmentInput,
  type SetAttachment,
} from './health-check-attachments';
export { readSafely, readRecords, readDatabase, readTargetGroups } from './cloud-state.reader';
export { planDnsRecord, dnsHealingPlanner, targetValues, endpointRegion } from './planners/dns-healing.planner';
export {
  databaseFailoverPlanner,
  databaseRunbookId,
  designatedActor,
  effectivePrimary,
  openDatabaseRunbook,
  DATABASE_RUNBOOK_KIND,
  DATABASE_RUNBOOK_STEPS,
  type DatabaseRunbookData,
} from './planners/database-failover.planner';
export { describeRedundancy, redundancyAfter } from './planners/database-redundancy';
export { loadBalancerHealthPlanner, describeUnhealthyTargets } from './planners/load-balancer-health.planner';
export { describeVerdict, verdictStatus } from './planners/evidence';
export {
  activeRegionOf,
  alertNoticeKey,
  emptyGuardState,
  pulledTargetKey,
  readGuardState,
  updateGuardState,
  GUARD_NAMESPACE,
  GUARD_STATE_NAME,
  type FencedMember,
  type GuardState,
  type NoticeRecord,
  type PulledTarget,
} from './state/guard-state';
export {
  createRunbook,
  getRunbook,
  isOpen,
  isStepDone,
  listRunbooks,
  newRunbook,
  nextStep,
  recordStep,
  stepOf,
  updateRunbook,
  withStatus,
  RUNBOOK_NAMESPACE,
  type Runbook,
  type RunbookEvent,
  type RunbookStatus,
  type RunbookStep,
  type StepStatus,
} from './state/runbook';
export {
  heartbeatRefreshSeconds,
  readAllViews,
  readCheckerViews,
  readView,
  saveView,
  viewName,
  VIEW_NAMESPACE,
} from './state/views';
export { SCHEMA_VERSION, StateDocumentRejectedError, type DocumentRejection } from './state/stored-documents';
export {
  railFor,
  sessionTime,
  updateSessionGuard,
  isReportOnly,
  changesDns,
  type ActionHandler,
  type ExecutionSession,
  type HandlerResult,
} from './executors/session';
