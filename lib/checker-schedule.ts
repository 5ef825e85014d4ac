// What starts the checker: an EventBridge rule every minute, and in the `tick` schedule also the
// queue of the minute's later cycles (delayed SQS messages), whose event source mapping runs one
// cycle per message. `loop` bills the checker for the whole minute; `tick` only for each cycle.
// A sharded checker gets one rule target per shard, its input naming the shard (five targets a
// rule at most, so K shards take ceil(K / 5) rules). With `tick` only shard 0's tick queues the later
// cycles, one message each for the whole region, and shard 0 starts the other shards on each queued
// cycle by invoking the checker itself asynchronously.
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { shardTickInput } from '../lambdas/contracts/checker-shard';
import { GuardEnv, type CheckerScheduleMode } from '../lambdas/contracts/telemetry-names';

export interface CheckerScheduleProps {
  readonly mode: CheckerScheduleMode;
  readonly topologyName: string;
  readonly intervalSeconds: number;
  readonly checker: lambda.Function;
  /** Seconds after which a looping checker starts no cycle. */
  readonly loopSeconds: number;
  /** Failed schedule deliveries and failed queued cycles end up here. */
  readonly deadLetterQueue: sqs.IQueue;
  /** Shards of the checker (shardCount of the topology): one schedule target each. */
  readonly shards: number;
  /** The checker's role: with `tick` and shards, it may invoke the checker (itself). */
  readonly checkerRole: iam.IRole;
}

/** EventBridge allows five targets per rule. */
const TARGETS_PER_RULE = 5;

/** Longer than the checker's timeout (Lambda requires it of an SQS event source). */
const CYCLE_VISIBILITY_TIMEOUT = Duration.seconds(90);
/** A queued cycle older than this is worth nothing: later ones have run since. */
const CYCLE_RETENTION = Duration.minutes(5);

export class CheckerSchedule extends Construct {
  /** The rule starting shard 0 (the only one when the checker is not sharded). */
  readonly rule: events.Rule;
  /** Every rule: one per five shards. */
  readonly rules: readonly events.Rule[];
  /** The queue of the minute's later cycles (tick schedule only). */
  readonly cycleQueue?: sqs.Queue;
  /** The checker's right to invoke itself: shard 0 starts the other shards (tick schedule, sharded only). */
  readonly fanOutPolicy?: iam.Policy;

  constructor(scope: Construct, id: string, props: CheckerScheduleProps) {
    super(scope, id);
    const { checker, mode } = props;
    checker.addEnvironment(GuardEnv.schedule, mode);
    if (mode === 'loop') checker.addEnvironment(GuardEnv.loopSeconds, String(props.loopSeconds));

    const description =
      mode === 'loop'
        ? `Starts the Failover Guard checker of ${props.topologyName} every minute (it probes every ${props.intervalSeconds} s inside)`
        : `Starts the Failover Guard checker of ${props.topologyName} every minute (one cycle; it queues the minute's later cycles)`;
    const target = (shard?: number) =>
      new targets.LambdaFunction(checker, {
        retryAttempts: 2,
        maxEventAge: Duration.minutes(1),
        deadLetterQueue: props.deadLetterQueue,
        ...(shard !== undefined && { event: events.RuleTargetInput.fromObject(shardTickInput(shard)) }),
      });
    const shardIndexes = Array.from({ length: props.shards }, (_, i) => i);
    const ruleTargets = props.shards > 1 ? shardIndexes.map(target) : [target()];
    const rules: events.Rule[] = [];
    for (let start = 0; start < ruleTargets.length; start += TARGETS_PER_RULE) {
      const first = start === 0;
      rules.push(
        new events.Rule(this, first ? 'EveryMinute' : `EveryMinuteShards${start}`, {
          description:
            props.shards > 1
              ? `${description}: shards ${start} … ${Math.min(start + TARGETS_PER_RULE, props.shards) - 1} of ${props.shards}`
              : description,
          schedule: events.Schedule.rate(Duration.minutes(1)),
          targets: ruleTargets.slice(start, start + TARGETS_PER_RULE),
        }),
      );
    }
    this.rules = rules;
    this.rule = rules[0]!;

    if (mode === 'tick') {
      this.cycleQueue = new sqs.Queue(this, 'Cycles', {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        visibilityTimeout: CYCLE_VISIBILITY_TIMEOUT,
        retentionPeriod: CYCLE_RETENTION,
        // A failed or throttled cycle is not retried (the next one is due within an interval);
        // it moves to the dead-letter queue, whose alarm reports it.
        deadLetterQueue: { queue: props.deadLetterQueue, maxReceiveCount: 1 },
      });
      // No maxConcurrency: it would stop Lambda scaling its idle pollers down to two (fewer SQS
      // requests); overlapping cycles are harmless (compare-and-swap writes), and reserved
      // concurrency, when turned on, bounds them.
      checker.addEventSource(new SqsEventSource(this.cycleQueue, { batchSize: 1 }));
      // SendMessageBatch is authorized as sqs:SendMessage; grantSendMessages would add two unused reads.
      checker.addToRolePolicy(
        new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.cycleQueue.queueArn] }),
      );
      checker.addEnvironment(GuardEnv.cycleQueueUrl, this.cycleQueue.queueUrl);
      if (props.shards > 1) this.fanOutPolicy = this.allowFanOut(checker, props.checkerRole);
    }
  }

  /**
   * lambda:InvokeFunction on the checker's own ARN (no ":*" versions), in a policy of its own: the
   * function depends on its role and that role's default policy, so a statement naming the function there
   * would be a circular dependency. Its asynchronous invocations, like EventBridge's, are never retried
   * (retryAttempts 0) and expire after 60 s (maxEventAge, Lambda's least), failed or expired into the
   * dead-letter queue (lib/guard-function.ts), so a lost fanned-out cycle raises FailedInvocations and no
   * cycle runs more than a minute late. The rules wait for the policy, so no tick queues a cycle the
   * checker could not fan out.
   */
  private allowFanOut(checker: lambda.IFunction, role: iam.IRole): iam.Policy {
    const policy = new iam.Policy(this, 'ShardFanOut', {
      roles: [role],
      statements: [new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [checker.functionArn] })],
    });
    for (const rule of this.rules) rule.node.addDependency(policy);
    return policy;
  }
}
