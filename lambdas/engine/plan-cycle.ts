// planCycle: gather every input the pure planner needs (views, quorum verdicts, guard state,
// runbooks, cloud state), then call it. This is the only place the plan's inputs are fetched.
import { randomUUID } from 'node:crypto';
import { liveCheckers, quorumVerdicts } from '../domain/health/quorum';
import { cloudReadScope, everythingScope, type CloudReadScope } from './cloud-read-scope';
import { readDatabase, readRecords, readTargetGroups } from './cloud-state.reader';
import type { ReadinessEvidence } from '../domain/readiness/readiness-report';
import { planFromInput } from './planner';
import { withReadinessReads } from './readiness/readiness-reads';
import { readGuardState } from './state/guard-state';
import { listRunbooks } from './state/runbook';
import { takeRejections } from './state/stored-documents';
import { readCheckerViews } from './state/views';
import type { EngineOptions, GuardContext, Plan, PlannerInput, Read } from './types';

export const DEFAULT_ENGINE_OPTIONS: Required<EngineOptions> = {
  promotionTimeoutSeconds: 1800,
  leaseTtlMs: 60_000,
  dnsConflictRetries: 3,
  noticeRepeatSeconds: 3600,
};

export function engineOptions(ctx: Pick<GuardContext, 'options'>): Required<EngineOptions> {
  return { ...DEFAULT_ENGINE_OPTIONS, ...ctx.options };
}

/** A sortable, unique plan id: `plan-<UTC time>-<8 hex>`. */
export function newPlanId(now: Date): string {
  return `plan-${now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}-${randomUUID().slice(0, 8)}`;
}

/**
 * Reads the stored state first, then the cloud state the read scope names: `scope` overrides it
 * (a re-plan that must see one record), else the context's `cloudReads` policy decides. With
 * readiness `evidence` everything is read (the readiness rules need it), with the readiness reads
 * (ctx.readinessReads) the evidence does not carry yet, and the input carries it.
 */
export async function gatherPlannerInput(
  ctx: GuardContext,
  planId: string,
  scope?: CloudReadScope,
  evidence?: ReadinessEvidence,
): Promise<PlannerInput> {
  const now = ctx.now();
  const staleSeconds = ctx.topology.guard.heartbeatStaleSeconds;
  const { ports, topology } = ctx;
  const [views, guard, runbooks, targetGroups] = await Promise.all([
    // A sharded checker region is one checker to quorum and the planners: its shards' views merged.
    readCheckerViews(ports.store, topology, now),
    readGuardState(ports.store),
    listRunbooks(ports.store),
    readTargetGroups(ports, topology),
  ]);
  const reads =
    scope ??
    (ctx.cloudReads === 'everything' || evidence
      ? everythingScope(topology, guard.state, evidence ? 'readiness' : 'everything')
      : cloudReadScope({ topology, views, guardState: guard.state, runbooks, now }));
  if (reads.reason !== 'idle')
    ctx.log?.({
      event: 'cloud.reads',
      reason: reads.reason,
      records: reads.records.size,
      databases: reads.databases.size,
      lags: [...reads.lags.values()].reduce((n, m) => n + m.length, 0),
    });
  const [records, databases, readiness] = await Promise.all([
    readRecords(ports, topology, reads.records),
    Promise.all(
      topology.databases
        .filter((db) => reads.databases.has(db.id))
        .map(async (db) => [db.id, await readDatabase(ports, db, reads.lags.get(db.id))] as const),
    ),
    evidence ? withReadinessReads(ctx.readinessReads, topology, evidence, targetGroups) : undefined,
  ]);
  const failed = failedReads({ records, targetGroups, databases: Object.fromEntries(databases) });
  if (failed.length > 0) ctx.log?.({ event: 'cloud.read-failed', level: 'warn', failed });
  return {
    topology,
    checker: ctx.checker,
    now: now.toISOString(),
    planId,
    views,
    verdicts: quorumVerdicts(views, now, staleSeconds),
    liveCheckers: liveCheckers(views, now, staleSeconds).map((v) => v.checker),
    guardState: guard.state,
    runbooks,
    records,
    databases: Object.fromEntries(databases),
    targetGroups,
    rejectedDocuments: takeRejections(ports.store),
    options: engineOptions(ctx),
    ...(readiness ? { readiness } : {}),
    ...(ctx.regionHealthChecks ? { regionHealthChecks: ctx.regionHealthChecks } : {}),
  };
}

/** Every cloud read of the cycle that failed, as `what: error` (the planner acts on none of them). */
function failedReads(input: Pick<PlannerInput, 'records' | 'targetGroups' | 'databases'>): string[] {
  const failures = (prefix: string, reads: Readonly<Record<string, Read<unknown> | undefined>>) =>
    Object.entries(reads).flatMap(([id, read]) => (read && !read.ok ? [`${prefix}${id}: ${read.error}`] : []));
  return [
    ...failures('dns ', input.records),
    ...failures('target group ', input.targetGroups),
    ...Object.entries(input.databases).flatMap(([id, snap]) => [
      ...failures(`database ${id} `, snap.members),
      ...failures(`database ${id} lag of `, snap.lags),
      ...failures(`database ${id} `, {
        'writer record': snap.writerRecord,
        cluster: snap.cluster,
        'global cluster': snap.globalCluster,
      }),
    ]),
  ];
}

/**
 * Plans one cycle; also returns what the plan was made from (the checker's figures read the merged
 * views). With readiness `evidence` the plan evaluates readiness too.
 */
export async function planCycleWithInput(
  ctx: GuardContext,
  evidence?: ReadinessEvidence,
): Promise<{ plan: Plan; input: PlannerInput }> {
  const input = await gatherPlannerInput(ctx, newPlanId(ctx.now()), undefined, evidence);
  return { plan: planFromInput(input, ctx.dryRun || ctx.topology.guard.dryRun), input };
}

export async function planCycle(ctx: GuardContext, evidence?: ReadinessEvidence): Promise<Plan> {
  return (await planCycleWithInput(ctx, evidence)).plan;
}
