// What each stored document must look like to be acted on: one zod schema per namespace (guard
// state with its fence records, checker and shard views, runbooks by kind, database claims). The
// objects are loose: a field this version does not know is kept, never stripped on a rewrite.
import * as z from 'zod/mini';
import { ReadinessRule } from '../../domain/readiness/readiness-report';
import {
  DATABASE_RUNBOOK_KIND,
  REGION_FAILBACK_KIND,
  REGION_FAILOVER_KIND,
  RegionStep,
  type DatabaseRunbookData,
  type RegionRunbookData,
  type Runbook,
} from './runbook-kinds';

const text = z.string();
const iso = z.string().check(z.minLength(1));
const strings = z.array(z.string());

const recordSet = z.looseObject({
  name: text,
  type: text,
  ttl: z.optional(z.number()),
  values: strings,
  setIdentifier: z.optional(text),
  weight: z.optional(z.number()),
  multiValueAnswer: z.optional(z.boolean()),
  failover: z.optional(z.enum(['PRIMARY', 'SECONDARY'])),
  healthCheckId: z.optional(text),
  aliasTarget: z.optional(z.looseObject({ hostedZoneId: text, dnsName: text, evaluateTargetHealth: z.boolean() })),
});

const fenceRecord = z.looseObject({
  mode: z.enum(['stop', 'isolate']),
  requestedAt: iso,
  confirmedAt: z.optional(iso),
});

export const guardStateSchema = z.looseObject({
  activeRegion: z.optional(text),
  databasePrimaries: z.record(text, text),
  fencedMembers: z.record(
    text,
    z.looseObject({ databaseId: text, at: iso, planId: text, reason: text, fence: z.optional(fenceRecord) }),
  ),
  pulledTargets: z.record(
    text,
    z.looseObject({
      recordId: text,
      endpoint: text,
      at: iso,
      planId: text,
      values: z.optional(strings),
      weight: z.optional(z.number()),
      recordSet: z.optional(recordSet),
    }),
  ),
  cooldowns: z.record(text, iso),
  dnsChanges: z.array(iso),
  dnsWrites: z.optional(z.record(text, z.looseObject({ at: iso, sets: z.array(recordSet) }))),
  notices: z.record(text, z.looseObject({ publishedAt: iso, raisedBy: strings })),
  unsentNotifications: z.optional(
    z.array(
      z.looseObject({
        id: z.string().check(z.minLength(1)),
        notification: z.looseObject({
          eventType: text,
          severity: z.enum(['info', 'warning', 'critical']),
          subject: text,
          resource: text,
          region: z.optional(text),
          reason: text,
          planId: z.optional(text),
          dryRun: z.boolean(),
          at: iso,
          details: z.optional(z.record(text, z.unknown())),
        }),
        failedAt: iso,
        attempts: z.int().check(z.minimum(1)),
      }),
    ),
  ),
  reportedTargetHealth: z.record(text, strings),
  // A guard state written before readiness existed starts with nothing reported.
  readiness: z._default(
    z.looseObject({
      notReady: z.array(z.looseObject({ rule: z.enum(Object.values(ReadinessRule)), resource: text, why: text })),
      since: z.optional(iso),
    }),
    () => ({ notReady: [] }),
  ),
  paused: z.boolean(),
});

const healthStatus = z.enum(['HEALTHY', 'SUSPECT', 'UNHEALTHY', 'RECOVERING']);

export const checkerViewSchema = z.looseObject({
  checker: z.string().check(z.minLength(1)),
  at: iso,
  health: z.record(
    text,
    z.looseObject({
      targetId: text,
      status: healthStatus,
      consecutiveFailures: z.int().check(z.minimum(0)),
      consecutiveSuccesses: z.int().check(z.minimum(0)),
      since: iso,
      recent: z.array(z.looseObject({ at: iso, error: z.optional(text), detail: z.optional(text) })),
      stale: z.optional(z.literal(true)),
    }),
  ),
  shard: z.optional(z.looseObject({ index: z.int().check(z.minimum(0)), count: z.int().check(z.minimum(1)) })),
  staleShards: z.optional(z.array(z.looseObject({ index: z.int(), at: z.optional(iso), targets: z.int() }))),
});

/** A view's heartbeat item: the view write it vouches for (its `at` and version) and when it said so. */
export const viewHeartbeatSchema = z.looseObject({
  view: z.string().check(z.minLength(1)),
  at: iso,
  vouchesFor: z.looseObject({ at: iso, version: z.int().check(z.minimum(1)) }),
});

const runbookStep = <S extends z.ZodMiniType<string>>(name: S) =>
  z.looseObject({
    name,
    status: z.enum(['pending', 'done', 'failed']),
    attempts: z.int().check(z.minimum(0)),
    at: z.optional(iso),
    error: z.optional(text),
  });

const runbookEnvelope = {
  id: z.string().check(z.minLength(1)),
  resource: text,
  region: text,
  planId: text,
  status: z.enum(['pending-approval', 'running', 'completed', 'failed', 'aborted']),
  startedAt: iso,
  updatedAt: iso,
  steps: z.array(runbookStep(text)),
  timeline: z.array(z.looseObject({ at: iso, event: text })),
};

const byWhom = z.looseObject({ at: iso, by: text });

// Each kind's data schema is declared as producing that kind's data type: the compiler holds the
// schema to the type, so what passes the check is what the code reads, with no cast between them.
const regionRunbookData: z.ZodMiniType<RegionRunbookData> = z.looseObject({
  fromRegion: z.string().check(z.minLength(1)),
  toRegion: z.string().check(z.minLength(1)),
  mode: z.enum(['auto', 'approval', 'manual']),
  createdBy: text,
  evidence: z.optional(
    z.looseObject({
      endpoints: z.array(
        z.looseObject({
          endpointId: text,
          status: z.union([healthStatus, z.literal('UNKNOWN')]),
          unhealthyVotes: strings,
        }),
      ),
      judges: strings,
      blindCheckers: strings,
      staleHeartbeats: strings,
      darkCycles: z.number(),
      reason: text,
    }),
  ),
  databases: z.array(
    z.looseObject({
      databaseId: text,
      engine: z.enum(['rds-instance', 'aurora-cluster', 'aurora-global']),
      fromMemberId: text,
      toMemberId: text,
      toIdentifier: text,
      toRegion: text,
      toEndpoint: z.looseObject({ host: text, port: z.number() }),
      globalClusterIdentifier: z.optional(text),
      targetClusterArn: z.optional(text),
      allowDataLoss: z.boolean(),
      lagSeconds: z.optional(z.number()),
    }),
  ),
  promotions: z.record(text, byWhom),
  records: z.array(z.looseObject({ recordId: text, in: strings, out: strings })),
  writers: z.array(
    z.looseObject({ databaseId: text, fromMemberId: text, toMemberId: text, host: text, fenceFrom: z.boolean() }),
  ),
  doneBy: z.record(text, text),
  approval: z.optional(byWhom),
  cannotUndo: strings,
});

const databaseRunbookData: z.ZodMiniType<DatabaseRunbookData> = z.looseObject({
  databaseId: z.string().check(z.minLength(1)),
  oldPrimary: text,
  candidate: text,
  method: z.enum(['promote-read-replica', 'failover-cluster', 'failover-global-cluster']),
  allowDataLoss: z.boolean(),
  targetArn: z.optional(text),
  rejected: z.array(z.looseObject({ member: text, why: text })),
});

const regionSteps = z.array(runbookStep(z.enum(Object.values(RegionStep))));

/**
 * A runbook of a kind this version runs, its data checked by its kind's schema; any other kind is
 * foreign, and data its kind refuses is damaged: either is rejected and not acted on.
 */
export const runbookSchema: z.ZodMiniType<Runbook> = z.discriminatedUnion('kind', [
  z.looseObject({
    ...runbookEnvelope,
    kind: z.literal(REGION_FAILOVER_KIND),
    steps: regionSteps,
    data: regionRunbookData,
  }),
  z.looseObject({
    ...runbookEnvelope,
    kind: z.literal(REGION_FAILBACK_KIND),
    steps: regionSteps,
    data: regionRunbookData,
  }),
  z.looseObject({ ...runbookEnvelope, kind: z.literal(DATABASE_RUNBOOK_KIND), data: databaseRunbookData }),
]);

export const databaseClaimSchema = z.looseObject({ runbookId: z.string().check(z.minLength(1)), at: iso });

export const readinessSignalSchema = z.looseObject({ alarm: z.enum(['pending', 'ok']), at: iso });
