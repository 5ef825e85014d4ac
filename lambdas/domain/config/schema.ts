// The topology config: one JSON document that says what the guard protects and how.
// The zod schema is the single source: types, validation and the editors' JSON Schema come from it.
import { isIP } from 'node:net';
import { z } from 'zod';
import { instanceIdPattern } from './instance-id';
import { nameserverProblem } from './nameserver';

const regionName = z
  .string()
  .regex(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/, 'is not an AWS region name (like "eu-west-1")');

const id = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'is not an id (letters, digits, ".", "_", "-"; at most 63)');

/** Names the family the value looks like it meant: "10.0.0.300" is not an IPv4 address. */
function ipFamilyMeant(value: unknown): string {
  if (typeof value === 'string' && value.includes(':')) return 'IPv6';
  return typeof value === 'string' && /^[\d.]+$/.test(value) ? 'IPv4' : 'IP';
}

const ipAddress = z.string().refine((v) => isIP(v) !== 0, {
  error: (i) => `${JSON.stringify(i.input)} is not an ${ipFamilyMeant(i.input)} address`,
});

const hostname = z
  .string()
  .min(1)
  .max(253)
  .refine(
    (v) =>
      isIP(v) !== 0 ||
      /^(?=.{1,253}$)([A-Za-z0-9_]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9_]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.?$/.test(
        v,
      ),
    {
      error: (i) => `${JSON.stringify(i.input)} is not a host name or IP address`,
    },
  );

const port = z.number().int().min(1).max(65535);

const nameserver = z
  .string()
  .refine((v) => nameserverProblem(v) === undefined, { error: (i) => nameserverProblem(String(i.input)) });

/** Thresholds and timings; every field can be overridden per target. */
const checkSettingsSchema = z.strictObject({
  /** Seconds between two probes of a target (sub-minute probing inside one scheduled invocation). */
  intervalSeconds: z.number().min(1).max(300).default(10),
  /** A probe that has not finished after this many milliseconds fails with ETIMEDOUT. */
  timeoutMs: z.number().int().min(50).max(60_000).default(2_000),
  /** Consecutive failed probes before a target is UNHEALTHY. */
  failureThreshold: z.number().int().min(1).max(100).default(3),
  /** Consecutive successful probes before an UNHEALTHY target is HEALTHY again. */
  recoveryThreshold: z.number().int().min(1).max(100).default(2),
  /** A TLS certificate that expires within this many days is reported as a warning. */
  certificateWarningDays: z.number().int().min(0).max(365).default(14),
});
const checkOverridesSchema = checkSettingsSchema.partial();

const expectedStatus = z.array(z.number().int().min(100).max(599)).min(1);

const httpProbeSchema = z.strictObject({
  type: z.enum(['http', 'https']),
  url: z.url({ protocol: /^https?$/, error: 'is not an http(s) URL' }),
  method: z.enum(['GET', 'HEAD']).default('GET'),
  /** @default - any status from 200 to 399 */
  expectedStatus: expectedStatus.optional(),
  /**
   * Body bytes read: the probe reads the body to its end or to this many bytes, then judges what it read
   * (bodyMatch included); 0 judges on the head alone.
   */
  maxBodyBytes: z
    .number()
    .int()
    .min(0)
    .max(16 * 1024 * 1024)
    .default(64 * 1024),
  /**
   * A redirect (301, 302, 303, 307, 308 with a Location): `follow` it (at most 5 hops, within the one
   * timeout, the same TLS rules) and judge the final answer; `accept` it as the answer; `fail` on it.
   */
  redirects: z.enum(['follow', 'accept', 'fail']).default('follow'),
  /** Checked against the body read (at most maxBodyBytes), decoded when gzip, deflate or br. */
  bodyMatch: z
    .union([z.strictObject({ substring: z.string().min(1) }), z.strictObject({ regex: z.string().min(1) })])
    .optional(),
  /** A response slower than this is a failure (LATENCY_BUDGET_EXCEEDED). */
  latencyBudgetMs: z.number().int().min(1).optional(),
  /** Verify the server certificate (Route 53's own HTTPS checks do not; the guard does by default). */
  verifyTls: z.boolean().default(true),
  /** TLS server name and Host header when the URL names an IP. */
  serverName: z.string().optional(),
  /** PEM bundle of extra trusted CAs (a private CA). */
  caPem: z.string().optional(),
});

const tcpProbeSchema = z.strictObject({
  type: z.literal('tcp'),
  host: hostname,
  port,
});

export const probeSchema = z.discriminatedUnion('type', [httpProbeSchema, tcpProbeSchema]);

const endpointBase = {
  id,
  region: regionName,
  probe: probeSchema,
  checks: checkOverridesSchema.optional(),
};

const serverSchema = z.strictObject({
  ...endpointBase,
  /** The address DNS serves for this server. */
  ip: ipAddress.optional(),
  /**
   * The EC2 instance serving it (`discover` drafts it): readiness knows an instance registered behind a topology
   * load balancer as this server by it, where it cannot read EC2 (the deployed guard).
   */
  instanceId: z.string().regex(instanceIdPattern, 'is not an EC2 instance id (like "i-0123456789abcdef0")').optional(),
});

const loadBalancerSchema = z.strictObject({
  ...endpointBase,
  /** Load balancer ARN, in the topology's account and this load balancer's region. */
  arn: z.string().min(1).optional(),
  /** Target group ARNs whose target health is read and reported. */
  targetGroups: z
    .array(z.string().regex(/^arn:aws[a-z-]*:elasticloadbalancing:/, 'is not a target group ARN'))
    .default([]),
  /** Addresses DNS serves for this load balancer (NLB static IPs / EIPs). */
  ips: z.array(ipAddress).default([]),
  /** Readiness: in a standby region, each of its target groups needs at least this many healthy targets. */
  minHealthyTargets: z.number().int().min(1).default(1),
});

/** One answer of a DNS record: the endpoint that serves it and how it appears in the record. */
const dnsTargetSchema = z.strictObject({
  /** Id of the server or load balancer serving this answer; its probe and region decide its health. */
  endpoint: id,
  /** The address in the record (records of one set holding several IPs). @default - the endpoint's ip */
  ip: ipAddress.optional(),
  /** Record-set identifier (weighted, multivalue or failover records: one record set per target). */
  setIdentifier: z.string().min(1).max(128).optional(),
  /** Weight restored when a pulled weighted target comes back. @default - the weight read before it was pulled */
  weight: z.number().int().min(0).max(255).optional(),
});

const dnsRecordSchema = z.strictObject({
  id,
  hostedZoneId: z.string().regex(/^[A-Z0-9]{1,32}$/, 'is not a Route 53 hosted zone id (like "Z0123456789ABC")'),
  name: hostname,
  type: z.enum(['A', 'AAAA']),
  ttl: z.number().int().min(0).max(604_800).default(60),
  /**
   * `ip-set`: one record set holding every target's IP; `weighted` / `multivalue` / `failover`:
   * one record set per target, told apart by its setIdentifier.
   */
  routing: z.enum(['ip-set', 'weighted', 'multivalue', 'failover']).default('ip-set'),
  /** Never serve fewer healthy answers than this; never an empty record. */
  minHealthy: z.number().int().min(1).default(1),
  /**
   * `active-passive`: only the active region's targets are served (the standby's come in on
   * region failover); `active-active`: every healthy target of every region is served.
   */
  regionMode: z.enum(['active-passive', 'active-active']).default('active-passive'),
  /** Nameservers to query for this record ("ip" or "ip:port"). @default - the hosted zone is not queried directly */
  nameservers: z.array(nameserver).default([]),
  targets: z.array(dnsTargetSchema).min(1, 'needs at least one target'),
  /**
   * Data-plane failover (failover or weighted records): the guard puts each region's Route 53 health check
   * (following that region's RegionDark alarm) on the record's sets of that region, and keeps it there, so
   * Route 53 itself moves traffic off a dark region with no API call. A set carrying another health check is
   * reported, never overwritten.
   * @default - false (the sets' health checks are left as they are)
   */
  dataPlaneFailover: z.boolean().default(false),
});

const databaseMemberSchema = z.strictObject({
  id,
  region: regionName,
  /** DB instance identifier (rds-instance, aurora-cluster) or DB cluster identifier (aurora-global). */
  identifier: z.string().regex(/^[A-Za-z][A-Za-z0-9-]{0,62}$/, 'is not an RDS identifier'),
  /** The host and port the writer name points at; probed with TCP. */
  endpoint: z.strictObject({ host: hostname, port }),
  /** 0 is promoted first (as Aurora's promotion tiers), ties broken by the least lag, then the same region. */
  promotionPriority: z.number().int().min(0).max(15).default(1),
  checks: checkOverridesSchema.optional(),
});

const databaseSchema = z.strictObject({
  id,
  engine: z.enum(['rds-instance', 'aurora-cluster', 'aurora-global']),
  /** Aurora DB cluster identifier (aurora-cluster) or global cluster identifier (aurora-global). */
  clusterIdentifier: z.string().min(1).optional(),
  primary: databaseMemberSchema,
  replicas: z.array(databaseMemberSchema).default([]),
  /** The CNAME applications write to; repointed at the new primary on failover. */
  writerDns: z.strictObject({
    hostedZoneId: z.string().regex(/^[A-Z0-9]{1,32}$/, 'is not a Route 53 hosted zone id'),
    name: hostname,
    ttl: z.number().int().min(0).max(86_400).default(30),
  }),
  /** A replica lagging more than this is never promoted (unless allowDataLoss). */
  maxLagSeconds: z.number().min(0).default(30),
  /** Promote even when every replica lags too far; may lose the writes not yet replicated. */
  allowDataLoss: z.boolean().default(false),
  /**
   * How the old primary is fenced once its region answers (rds-instance only): "stop" (StopDBInstance),
   * "isolate" (its VPC security groups replaced by isolationSecurityGroups), or "none" (recorded only).
   * @default - "stop" for rds-instance, "none" for Aurora (Aurora demotes the old writer itself)
   */
  fence: z.enum(['stop', 'isolate', 'none']).optional(),
  /** fence "isolate": per member region, the security group (no inbound rules) that replaces the old primary's. */
  isolationSecurityGroups: z
    .record(regionName, z.string().regex(/^sg-[0-9a-f]{8,17}$/, 'is not a security group id (sg-…)'))
    .optional(),
});

const regionSchema = z.strictObject({
  name: regionName,
  role: z.enum(['primary', 'standby']),
});

export const topologySchema = z.strictObject({
  $schema: z.string().optional(),
  /** Notes for the people who edit the file (`failover-guard init` writes what to do next here); ignored by the guard. */
  $comment: z.union([z.string(), z.array(z.string())]).optional(),
  /** A short name, used in resource names and notifications. */
  name: id,
  /** The AWS account of every resource (ARNs for IAM scoping). */
  account: z.string().regex(/^\d{12}$/, 'is not a 12-digit AWS account id'),
  regions: z.array(regionSchema).min(1, 'needs at least one region'),
  checks: checkSettingsSchema.prefault({}),
  servers: z.array(serverSchema).default([]),
  loadBalancers: z.array(loadBalancerSchema).default([]),
  dns: z.array(dnsRecordSchema).default([]),
  databases: z.array(databaseSchema).default([]),
  notifications: z
    .strictObject({
      emails: z.array(z.email({ error: 'is not an e-mail address' })).default([]),
    })
    .prefault({}),
  regionFailover: z
    .strictObject({
      /** `auto` runs the region runbook; `approval` waits for `failover-guard approve <plan-id>`; `off` only alerts. */
      mode: z.enum(['auto', 'approval', 'off']).default('approval'),
      /** Consecutive cycles a region must look dark from outside before the runbook starts. */
      regionFailureThreshold: z.number().int().min(1).default(3),
      /** How long a failed region must be healthy before `failback` is allowed. */
      failbackHealthyMinutes: z.number().min(0).default(30),
    })
    .prefault({}),
  guard: z
    .strictObject({
      /** Regions the guard itself is deployed to. @default - every region of the topology */
      regions: z.array(regionName).optional(),
      /**
       * How the checker runs its sub-minute cycles: `loop` probes every interval inside one
       * invocation a minute (billed for the whole minute); `tick` runs one cycle per invocation,
       * the minute's tick queueing the others as delayed SQS messages (billed per cycle).
       */
      schedule: z.enum(['loop', 'tick']).default('loop'),
      /**
       * One CloudWatch dashboard for the whole guard (in the first guard region's stack): $3 a month at
       * list price, free within an account's first three. Off by default: `failover-guard status` and the
       * alarms show the same health without it.
       */
      dashboard: z.boolean().default(false),
      /** Plan and notify, never change anything. */
      dryRun: z.boolean().default(false),
      /** Stop all actions (probing goes on). */
      paused: z.boolean().default(false),
      /** After acting on a resource, wait this long before acting on it again. */
      cooldownSeconds: z.number().int().min(0).default(120),
      /** At most this many DNS changes per window, across all records. */
      maxDnsChanges: z
        .strictObject({
          count: z.number().int().min(1).default(10),
          windowSeconds: z.number().int().min(1).default(600),
        })
        .prefault({}),
      /** A checker whose heartbeat is older than this is not counted in the quorum. */
      heartbeatStaleSeconds: z.number().int().min(10).default(120),
      /** Regions newer than the AWS SDK this guard was built with: accepted though its partition data does not list them. */
      extraRegions: z.array(regionName).optional(),
      /**
       * Endpoints one checker invocation (a shard) probes: a region's checker fans out over
       * ceil(endpoints / shardCapacity) shards. At most 1,000: what one small invocation probes well
       * inside an interval, and a shard's view item (at most about 215 KB as JSON, far less
       * compressed) stays well under DynamoDB's 400 KB.
       */
      shardCapacity: z.number().int().min(1).max(1000).default(1000),
      /** Shards per checker region, instead of deriving them from shardCapacity. */
      shards: z.number().int().min(1).max(100).optional(),
      /**
       * While every endpoint is HEALTHY, nothing is pulled and no runbook is open, record sets, RDS
       * state and replica lag are read only this often (once per period, clock-aligned), to catch
       * drift and read failures; otherwise they are read in every cycle the plan could act on them.
       */
      driftCheckSeconds: z.number().int().min(60).max(3600).default(300),
      /**
       * How often the guard checks that each failover it may have to run would succeed now (readiness:
       * replicas, the standby's load balancers, records and certificates, health checks, heartbeats,
       * drift). The cycle that does reads everything, as the drift read does: at the same period both
       * share that read (once per period, clock-aligned).
       */
      readinessCheckSeconds: z.number().int().min(60).max(3600).default(300),
      /**
       * Bounds on every AWS call: an attempt's TCP connect and whole request, the SDK's retries, and the
       * deadline of a cycle's cloud calls (checker) and of an actor invocation. In a regional event control
       * planes hang rather than fail; a call that runs out is a failed read, and nothing acts on it.
       */
      aws: z
        .strictObject({
          connectTimeoutSeconds: z.number().positive().max(30).default(3),
          requestTimeoutSeconds: z.number().positive().max(60).default(5),
          /** @default - AWS_MAX_ATTEMPTS, else the SDK's 3 (Route 53: 5) */
          maxAttempts: z.number().int().min(1).max(10).optional(),
          retryMode: z.enum(['standard', 'adaptive']).default('standard'),
          /** The checker's cloud calls after the probes (view, plan reads, actor hand-off); also `plan` and `run --once`. */
          cycleDeadlineSeconds: z.number().positive().max(40).default(10),
          /** An actor invocation: re-plan and execute (the actor function times out at 60 s). */
          actorDeadlineSeconds: z.number().positive().max(55).default(45),
        })
        .prefault({}),
      /** Probe private endpoints from inside a VPC (ids only, no lookups). */
      vpc: z
        .record(
          regionName,
          z.strictObject({
            vpcId: z.string().regex(/^vpc-[0-9a-f]+$/, 'is not a VPC id'),
            subnetIds: z.array(z.string().regex(/^subnet-[0-9a-f]+$/, 'is not a subnet id')).min(1),
            securityGroupIds: z.array(z.string().regex(/^sg-[0-9a-f]+$/, 'is not a security group id')).default([]),
          }),
        )
        .optional(),
    })
    .prefault({}),
});

export type Topology = z.output<typeof topologySchema>;
export type TopologyInput = z.input<typeof topologySchema>;
export type CheckSettings = z.output<typeof checkSettingsSchema>;
export type Probe = z.output<typeof probeSchema>;
export type HttpProbe = z.output<typeof httpProbeSchema>;
export type TcpProbe = z.output<typeof tcpProbeSchema>;
export type Server = z.output<typeof serverSchema>;
export type LoadBalancer = z.output<typeof loadBalancerSchema>;
export type DnsRecord = z.output<typeof dnsRecordSchema>;
export type DnsTarget = z.output<typeof dnsTargetSchema>;
export type Database = z.output<typeof databaseSchema>;
export type DatabaseMember = z.output<typeof databaseMemberSchema>;
