// The L3 construct: everything the guard needs in one region — the checker (probe, plan; reads
// only), the actor (changes DNS, promotes databases; nothing else), their schedule, dead-letter
// queue, state table, notification topic, alarms, Route 53 health checks, and (in the first guard
// region only) the guard's one dashboard.
import { Annotations, Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { Topology } from '../lambdas/domain/config/schema';
import { checkerMemoryMb, largestSlice } from '../lambdas/domain/config/checker-sizing';
import { healthChecksKeptBy } from '../lambdas/domain/config/data-plane';
import { shardCount } from '../lambdas/domain/config/shards';
import { loopCostWarning } from '../lambdas/domain/cost/cost-estimate';
import { defaultStateTableName, guardRegions, judgedRegions } from '../lambdas/domain/config/targets';
import { regionDarkMinutes } from '../lambdas/contracts/region-health-signal';
import {
  GuardEnv,
  METRIC_NAMESPACE,
  serviceName,
  type CheckerScheduleMode,
} from '../lambdas/contracts/telemetry-names';
import { GuardAlarmId, guardAlarmArn, guardAlarmName } from './alarm-names';
import { CheckerSchedule } from './checker-schedule';
import { GuardAlarms } from './guard-alarms';
import { GuardDashboard } from './guard-dashboard';
import { GuardFunction, vpcPlacementFromIds } from './guard-function';
import {
  changeDnsStatements,
  checkerStateStatements,
  promoteDatabaseStatements,
  readCloudStatements,
  readinessReadStatements,
  STATE_TABLE_ACTIONS,
  STATE_TABLE_READ_ACTIONS,
} from './guard-policies';
import { NotificationTopic } from './notification-topic';
import { RegionHealthChecks } from './region-health-checks';
import { StaleShardsAlarm } from './shard-alarms';
import { decidingStateRegions, StateTable, type StateConsistency } from './state-table';

export interface FailoverGuardProps {
  /** The validated topology (the output of `parseTopology` / `parseTopologyText`, defaults applied). */
  readonly topology: Topology;
  /**
   * Create the DynamoDB global table here, with a replica in every other guard region.
   * @default - true in the first guard region, false in the others (they use their local replica)
   */
  readonly ownsStateTable?: boolean;
  /**
   * Name of the state table (the same in every region: it is one global table).
   * @default - `failover-guard-<topology name>`
   */
  readonly stateTableName?: string;
  /**
   * How the state table stays consistent across regions. 'eventual': DynamoDB's default mode (last
   * writer wins); every checker sends its deciding reads and writes to the home replica (the first
   * guard region's), taken over in guard-region order while it cannot be reached. 'strong': multi-Region
   * strong consistency; each checker decides in its local replica. Needs three guard regions, or two
   * and `stateWitnessRegion`, in one region set where DynamoDB offers it (US, EU or AP).
   * Every stack of the guard must say the same.
   * @default 'eventual'
   */
  readonly stateConsistency?: StateConsistency;
  /** With 'strong' consistency and two guard regions: the witness region (same region set). */
  readonly stateWitnessRegion?: string;
  /**
   * How the checker runs its sub-minute cycles. `loop`: one invocation a minute probes every
   * interval inside and is billed for about 51 s of every minute. `tick`: the minute's invocation
   * runs one cycle and queues the minute's later cycles as delayed SQS messages, each invoking the
   * checker for one cycle, so only the cycles' own time is billed (an SQS queue is added).
   * @default - the topology's `guard.schedule`, which defaults to 'loop'
   */
  readonly schedule?: CheckerScheduleMode;
  /**
   * Memory of the checker in MiB. CPU share grows with it (1,769 MiB = 1 vCPU), and a cycle's probes
   * are CPU-bound: below what its largest slice needs, probes that answered wait behind their own
   * timeouts (synth warns). A looping checker is billed for most of every minute at this size.
   * @default - enough for the largest shard's cycle CPU in one second of wall time, at least 128 MiB
   */
  readonly checkerMemorySize?: number;
  /**
   * Memory of the actor in MiB (it runs only when there is something to do).
   * @default - 256 MiB
   */
  readonly actorMemorySize?: number;
  /**
   * Reserve concurrency for both functions (two each: one duplicate schedule tick or one
   * overlapping actor; the lease decides which acts). Reserving guarantees the guard can run when
   * other functions use up the account's concurrency, and caps overlapping runs. Lambda keeps at
   * least 100 executions unreserved, so an account whose quota is below 102 (new accounts often
   * have 10) cannot reserve any and the deployment fails. Also `cdk deploy -c reserveConcurrency=true`.
   * @default - false (no reserved concurrency: overlapping runs are harmless, writes are compare-and-swap)
   */
  readonly reserveConcurrency?: boolean;
  /**
   * How long the functions' logs (per-target health, every action) are kept.
   * @default - one month
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Minutes without a checker invocation before the heartbeat alarm fires.
   * @default - 3 minutes
   */
  readonly heartbeatMissingMinutes?: number;
}

/** What other constructs may rely on. */
interface IFailoverGuard {
  readonly topic: sns.ITopic;
  readonly stateTable: dynamodb.ITableV2;
  readonly checker: lambda.IFunction;
  readonly actor: lambda.IFunction;
  readonly deadLetterQueue: sqs.IQueue;
  /** The alarm a Route 53 CLOUDWATCH_METRIC health check can follow, per region judged from here. */
  readonly regionHealthAlarms: Readonly<Record<string, cloudwatch.IAlarm>>;
  /**
   * Route 53 health check id per region judged from here whose record sets carry it (a region a record
   * marked `dataPlaneFailover` has sets in): healthy unless its RegionDark alarm fires.
   */
  readonly regionHealthCheckIds: Readonly<Record<string, string>>;
  /** Reading the guard's state (views, runbooks, audit log): `failover-guard status` and the like. */
  grantReadState(grantee: iam.IGrantable): iam.Grant;
  /** Reading and writing the guard's state: `failover-guard approve`, pause switch. */
  grantReadWriteState(grantee: iam.IGrantable): iam.Grant;
  /** Publishing to the notification topic (sns:Publish and the key's encrypt rights). */
  grantPublish(grantee: iam.IGrantable): iam.Grant;
}

export function ownsStateTableByDefault(topology: Topology, region: string): boolean {
  return guardRegions(topology)[0] === region;
}

export function defaultCheckerMemorySize(topology: Topology): number {
  return checkerMemoryMb(largestSlice(topology));
}

function defaultActorMemorySize(): number {
  return 256;
}

/** Reserved concurrency of a function when reserving: room for one overlap of each of its shards, no more. */
export function reservedConcurrencyFor(reserve: boolean, shards = 1): number | undefined {
  return reserve ? 2 * shards : undefined;
}

function defaultHeartbeatMissingMinutes(): number {
  return 3;
}

/** The checker stops starting cycles after this many seconds, before the next tick's invocation. */
export const CHECKER_LOOP_SECONDS = 55;
const CHECKER_TIMEOUT = Duration.seconds(70);
const ACTOR_TIMEOUT = Duration.seconds(60);

export class FailoverGuard extends Construct implements IFailoverGuard {
  readonly topic: sns.ITopic;
  readonly stateTable: dynamodb.ITableV2;
  readonly checker: lambda.IFunction;
  readonly actor: lambda.IFunction;
  readonly deadLetterQueue: sqs.Queue;
  readonly regionHealthAlarms: Readonly<Record<string, cloudwatch.IAlarm>>;
  readonly regionHealthCheckIds: Readonly<Record<string, string>>;
  readonly alarms: GuardAlarms;
  readonly schedule: CheckerSchedule;
  /** The stale-shards alarm of a sharded checker (none when the checker is not sharded). */
  readonly shardAlarms: readonly cloudwatch.Alarm[];
  /** The guard's one dashboard (`guard.dashboard`): in the first guard region's stack only. */
  readonly dashboard?: cloudwatch.Dashboard;
  /** The state table's replicas this guard decides in (and the local one). */
  private readonly stateTableArns: string[];

  constructor(scope: Construct, id: string, props: FailoverGuardProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const region = stack.region;
    if (Token.isUnresolved(region)) {
      throw new Error(
        `FailoverGuard "${this.node.path}" needs a stack with an explicit env.region: the guard acts per region. Set env: { account, region } on the stack.`,
      );
    }
    const { topology } = props;
    const topologyRegions = guardRegions(topology);
    const tableName = props.stateTableName ?? defaultStateTableName(topology);
    const ownsTable = props.ownsStateTable ?? ownsStateTableByDefault(topology, region);
    const reserved = reservedConcurrencyFor(props.reserveConcurrency ?? false);
    const shards = shardCount(topology);
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;

    const table = new StateTable(this, 'State', {
      tableName,
      create: ownsTable,
      replicaRegions: topologyRegions.filter((r) => r !== region),
      consistency: props.stateConsistency ?? 'eventual',
      ...(props.stateWitnessRegion ? { witnessRegion: props.stateWitnessRegion } : {}),
    });
    this.stateTable = table.table;
    const stateRegions = decidingStateRegions(props.stateConsistency ?? 'eventual', topologyRegions, region);
    // The replicas, named rather than referenced: the same ARNs whether this stack owns the table or not.
    this.stateTableArns = [...new Set([region, ...stateRegions])].map((r) =>
      stack.formatArn({ service: 'dynamodb', region: r, resource: 'table', resourceName: tableName }),
    );

    const notifications = new NotificationTopic(this, 'Notifications', {
      topologyName: topology.name,
      emails: topology.notifications.emails,
    });
    this.topic = notifications.topic;

    this.deadLetterQueue = new sqs.Queue(this, 'FailedInvocations', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter (on-failure) destination of the guard functions and of the schedule; a queue behind it would only move the same messages.',
    });

    const vpcIds = topology.guard.vpc?.[region];
    const powertools = {
      POWERTOOLS_SERVICE_NAME: serviceName(topology.name),
      POWERTOOLS_METRICS_NAMESPACE: METRIC_NAMESPACE,
      POWERTOOLS_LOG_LEVEL: 'INFO',
      // Stack traces point into the TypeScript sources through the bundled source map.
      NODE_OPTIONS: '--enable-source-maps',
    };
    const common = { topology, logRetention, deadLetterQueue: this.deadLetterQueue, reservedConcurrency: reserved };

    const actor = new GuardFunction(this, 'Actor', {
      ...common,
      handler: 'actor',
      description: `Failover Guard ${topology.name}: re-plans from the stored evidence and acts (Route 53 changes, RDS promotion)`,
      memorySize: props.actorMemorySize ?? defaultActorMemorySize(),
      timeout: ACTOR_TIMEOUT,
      // The checker re-sends a still-needed plan every cycle: an old event is worth nothing.
      maxEventAge: Duration.seconds(60),
      environment: {
        ...powertools,
        [GuardEnv.tableName]: tableName,
        [GuardEnv.stateRegions]: stateRegions.join(','),
        [GuardEnv.topicArn]: this.topic.topicArn,
      },
    });
    const checker = new GuardFunction(this, 'Checker', {
      ...common,
      handler: 'checker',
      description: `Failover Guard ${topology.name}: probes every endpoint each ${topology.checks.intervalSeconds} s${shards > 1 ? ` (${shards} shards)` : ''}, plans, hands non-empty plans to the actor`,
      memorySize: this.checkerMemorySize(props),
      timeout: CHECKER_TIMEOUT,
      reservedConcurrency: reservedConcurrencyFor(props.reserveConcurrency ?? false, shards),
      maxEventAge: Duration.seconds(60),
      // Only the checker probes, so only it needs the VPC; the actor talks to AWS APIs alone.
      ...(vpcIds && { vpcPlacement: vpcPlacementFromIds(this, vpcIds) }),
      environment: {
        ...powertools,
        [GuardEnv.tableName]: tableName,
        [GuardEnv.stateRegions]: stateRegions.join(','),
        [GuardEnv.topicArn]: this.topic.topicArn,
        [GuardEnv.actorFunction]: actor.function.functionName,
        // By name, not by reference: the alarms reference the function, so a reference back would be a cycle.
        [GuardEnv.readinessAlarm]: guardAlarmName(topology.name, region, GuardAlarmId.readinessFailures),
      },
    });
    this.checker = checker.function;
    this.actor = actor.function;
    for (const fn of [checker, actor]) fn.node.addDependency(table);

    this.grantCheckerRights(checker, actor, topology);
    this.grantActorRights(actor, topology);

    const scheduleMode = props.schedule ?? topology.guard.schedule;
    const loopCost = loopCostWarning(topology, scheduleMode);
    if (loopCost !== undefined) Annotations.of(this).addWarningV2('failover-guard:loopCost', loopCost);
    this.schedule = new CheckerSchedule(this, 'Schedule', {
      mode: scheduleMode,
      topologyName: topology.name,
      intervalSeconds: topology.checks.intervalSeconds,
      checker: checker.function,
      loopSeconds: CHECKER_LOOP_SECONDS,
      deadLetterQueue: this.deadLetterQueue,
      shards,
      checkerRole: checker.role,
    });

    const judged = judgedRegions(topology, region);
    this.alarms = new GuardAlarms(this, 'Alarms', {
      topologyName: topology.name,
      checkerRegion: region,
      judgedRegions: judged,
      checker: this.checker,
      deadLetterQueue: this.deadLetterQueue,
      topic: this.topic,
      heartbeatMissingMinutes: props.heartbeatMissingMinutes ?? defaultHeartbeatMissingMinutes(),
      regionDarkMinutes: regionDarkMinutes(topology),
      readinessCheckSeconds: topology.guard.readinessCheckSeconds,
    });
    const heartbeatMissingMinutes = props.heartbeatMissingMinutes ?? defaultHeartbeatMissingMinutes();
    this.shardAlarms =
      shards > 1
        ? [
            new StaleShardsAlarm(this, 'ShardAlarms', {
              topologyName: topology.name,
              checkerRegion: region,
              shards,
              topic: this.topic,
              heartbeatMissingMinutes,
            }).alarm,
          ]
        : [];
    this.regionHealthAlarms = this.alarms.regionHealth;
    // The checks this stack keeps on the data-plane records' sets: of the regions it judges first that a
    // marked record has sets in. Only those are made: nothing would follow another.
    const kept = new Set(healthChecksKeptBy(topology, region));
    const healthChecks = new RegionHealthChecks(this, 'RegionHealthChecks', {
      topologyName: topology.name,
      checkerRegion: region,
      regionDarkAlarms: Object.fromEntries(Object.entries(this.alarms.regionHealth).filter(([r]) => kept.has(r))),
    });
    this.regionHealthCheckIds = Object.fromEntries(
      Object.entries(healthChecks.healthChecks).map(([r, hc]) => [r, hc.healthCheckId]),
    );
    const attached = Object.entries(this.regionHealthCheckIds).map(([r, id]) => `${r}=${id}`);
    if (attached.length > 0) {
      for (const fn of [checker, actor]) fn.function.addEnvironment(GuardEnv.regionHealthChecks, attached.join(','));
    }

    // One dashboard for the whole guard, in the first guard region's stack, when the topology asks for it.
    if (topology.guard.dashboard && topologyRegions[0] === region) {
      this.dashboard = new GuardDashboard(this, 'Dashboard', {
        topologyName: topology.name,
        regions: topologyRegions.map((r) => ({ region: r, judgedRegions: judgedRegions(topology, r), shards })),
        readinessCheckSeconds: topology.guard.readinessCheckSeconds,
      }).dashboard;
    }
  }

  grantReadState(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: [...STATE_TABLE_READ_ACTIONS],
      resourceArns: this.stateTableArns,
    });
  }

  grantReadWriteState(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: [...STATE_TABLE_ACTIONS], resourceArns: this.stateTableArns });
  }

  grantPublish(grantee: iam.IGrantable): iam.Grant {
    return this.topic.grantPublish(grantee);
  }

  private checkerMemorySize(props: FailoverGuardProps): number {
    const needed = defaultCheckerMemorySize(props.topology);
    const chosen = props.checkerMemorySize ?? needed;
    if (chosen < needed) {
      Annotations.of(this).addWarningV2(
        'failover-guard:checkerMemorySize',
        `checkerMemorySize ${chosen} MiB is below the ${needed} MiB a checker shard of ${largestSlice(props.topology)} endpoints needs: its cycle's CPU would take over a second, and probes that answered may time out. Raise it, or lower guard.shardCapacity.`,
      );
    }
    return chosen;
  }

  private grantCheckerRights(checker: GuardFunction, actor: GuardFunction, topology: Topology): void {
    // Reads, its own views, the actor: the checker publishes nothing (alerts go out through the actor).
    const readinessReads = readinessReadStatements(topology);
    for (const statement of [
      ...readCloudStatements(Stack.of(this), topology),
      ...readinessReads,
      ...checkerStateStatements(this.stateTableArns),
    ]) {
      checker.role.addToPrincipalPolicy(statement);
    }
    if (readinessReads.length > 0)
      Validations.of(checker.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:route53:::healthcheck/*]',
        reason:
          "route53:ListTagsForResources on any health check: readiness finds the guard's own region health checks by their tags, among every health check of the account. Read-only.",
      });
    // Its own readiness alarm's state: it publishes a passing readiness only while that alarm is not OK.
    checker.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['cloudwatch:DescribeAlarms'],
        resources: [
          guardAlarmArn(Stack.of(this), topology.name, Stack.of(this).region, GuardAlarmId.readinessFailures),
        ],
      }),
    );
    // The function ARN only: CDK's grantInvoke would add "<arn>:*" (every version and alias).
    checker.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [actor.function.functionArn] }),
    );
    acknowledgeUnscopableReads(checker.role);
  }

  private grantActorRights(actor: GuardFunction, topology: Topology): void {
    const stack = Stack.of(this);
    for (const statement of [
      ...readCloudStatements(stack, topology),
      ...changeDnsStatements(topology),
      ...promoteDatabaseStatements(stack, topology),
    ]) {
      actor.role.addToPrincipalPolicy(statement);
    }
    this.grantReadWriteState(actor.role);
    this.grantPublish(actor.role);
    acknowledgeUnscopableReads(actor.role);
    Validations.of(actor.role).acknowledge({
      id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      reason:
        'Publishing to the KMS-encrypted topic needs kms:GenerateDataKey* on the topic key (one key, named by ARN); the wildcard covers the WithoutPlaintext variant SNS may call.',
    });
  }
}

function acknowledgeUnscopableReads(role: iam.Role): void {
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'Only cloudwatch:GetMetricData (replica lag), elasticloadbalancing:DescribeTargetHealth and, on the checker of a topology with dataPlaneFailover records, route53:ListHealthChecks (readiness) use "*": none supports resource-level permissions. All are read-only.',
  });
}
