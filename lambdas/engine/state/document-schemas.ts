// What each stored document must look like to be acted on: one zod schema per namespace (guard
// state with its fence records, checker and shard views, runbooks by kind, database claims). The
// objects are loose: a field this version does not know is kept, never stripped on a rewrite.
import { z } from 'zod';

const text = z.string();
const iso = z.string().min(1);
const strings = z.array(z.string());

const recordSet = z.looseObject({
  name: text,
  type: text,
  ttl: z.number().optional(),
  values: strings,
  setIdentifier: text.optional(),
  weight: z.number().optional(),
  multiValueAnswer: z.boolean().optional(),
  failover: z.enum(['PRIMARY', 'SECONDARY']).optional(),
  healthCheckId: text.optional(),
  aliasTarget: z.looseObject({ hostedZoneId: text, dnsName: text, evaluateTargetHealth: z.boolean() }).optional(),
});

const fenceRecord = z.looseObject({
  mode: z.enum(['stop', 'isolate']),
  requestedAt: iso,
  confirmedAt: iso.optional(),
});

export const guardStateSchema = z.looseObject({
  activeRegion: text.optional(),
  databasePrimaries: z.record(text, text),
  fencedMembers: z.record(
    text,
    z.looseObject({ databaseId: text, at: iso, planId: text, reason: text, fence: fenceRecord.optional() }),
  ),
  pulledTargets: z.record(
    text,
    z.looseObject({
      recordId: text,
      endpoint: text,
      at: iso,
      planId: text,
      values: strings.optional(),
      weight: z.number().optional(),
      recordSet: recordSet.optional(),
    }),
  ),
  cooldowns: z.record(text, iso),
  dnsChanges: z.array(iso),
  notices: z.record(text, z.looseObject({ publishedAt: iso, raisedBy: strings })),
  reportedTargetHealth: z.record(text, strings),
  paused: z.boolean(),
});

const healthStatus = z.enum(['HEALTHY', 'SUSPECT', 'UNHEALTHY', 'RECOVERING']);

export const checkerViewSchema = z.looseObject({
  checker: text.min(1),
  at: iso,
  health: z.record(
    text,
    z.looseObject({
      targetId: text,
      status: healthStatus,
      consecutiveFailures: z.number().int().min(0),
      consecutiveSuccesses: z.number().int().min(0),
      since: iso,
      recent: z.array(z.looseObject({ at: iso, error: text.optional(), detail: text.optional() })),
      stale: z.literal(true).optional(),
    }),
  ),
  shard: z.looseObject({ index: z.number().int().min(0), count: z.number().int().min(1) }).optional(),
  staleShards: z
    .array(z.looseObject({ index: z.number().int(), at: iso.optional(), targets: z.number().int() }))
    .optional(),
});

const runbookEnvelope = {
  id: text.min(1),
  resource: text,
  region: text,
  planId: text,
  status: z.enum(['pending-approval', 'running', 'completed', 'failed', 'aborted']),
  startedAt: iso,
  updatedAt: iso,
  steps: z.array(
    z.looseObject({
      name: text,
      status: z.enum(['pending', 'done', 'failed']),
      attempts: z.number().int().min(0),
      at: iso.optional(),
      error: text.optional(),
    }),
  ),
  timeline: z.array(z.looseObject({ at: iso, event: text })),
};

const byWhom = z.looseObject({ at: iso, by: text });

const regionRunbookData = z.looseObject({
  fromRegion: text.min(1),
  toRegion: text.min(1),
  mode: z.enum(['auto', 'approval', 'manual']),
  createdBy: text,
  evidence: z.looseObject({ reason: text, darkCycles: z.number() }).optional(),
  databases: z.array(
    z.looseObject({
      databaseId: text,
      engine: z.enum(['rds-instance', 'aurora-cluster', 'aurora-global']),
      fromMemberId: text,
      toMemberId: text,
      toIdentifier: text,
      toRegion: text,
      toEndpoint: z.looseObject({ host: text, port: z.number() }),
      globalClusterIdentifier: text.optional(),
      targetClusterArn: text.optional(),
      allowDataLoss: z.boolean(),
    }),
  ),
  promotions: z.record(text, byWhom),
  records: z.array(z.looseObject({ recordId: text, in: strings, out: strings })),
  writers: z.array(
    z.looseObject({ databaseId: text, fromMemberId: text, toMemberId: text, host: text, fenceFrom: z.boolean() }),
  ),
  doneBy: z.record(text, text),
  approval: byWhom.optional(),
  cannotUndo: strings,
});

const databaseRunbookData = z.looseObject({
  databaseId: text.min(1),
  oldPrimary: text,
  candidate: text,
  method: z.enum(['promote-read-replica', 'failover-cluster', 'failover-global-cluster']),
  allowDataLoss: z.boolean(),
  targetArn: text.optional(),
  rejected: z.array(z.looseObject({ member: text, why: text })),
});

/** A runbook of a kind this version runs; any other kind is foreign and is not acted on. */
export const runbookSchema = z.discriminatedUnion('kind', [
  z.looseObject({ ...runbookEnvelope, kind: z.literal('region-failover'), data: regionRunbookData }),
  z.looseObject({ ...runbookEnvelope, kind: z.literal('region-failback'), data: regionRunbookData }),
  z.looseObject({ ...runbookEnvelope, kind: z.literal('database-failover'), data: databaseRunbookData }),
]);

export const databaseClaimSchema = z.looseObject({ runbookId: text.min(1), at: iso });
