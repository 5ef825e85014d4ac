// What starts the checker: an EventBridge rule every minute, and in the `tick` schedule also the
// queue of the minute's later cycles (delayed SQS messages), whose event source mapping runs one
// cycle per message. `loop` bills the checker for the whole minute; `tick` only for each cycle.
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { GuardEnv, type CheckerScheduleMode } from '../lambdas/handlers/telemetry-names';

export interface CheckerScheduleProps {
  readonly mode: CheckerScheduleMode;
  readonly topologyName: string;
  readonly intervalSeconds: number;
  readonly checker: lambda.Function;
  /** Seconds after which a looping checker starts no cycle. */
  readonly loopSeconds: number;
  /** Failed schedule deliveries and failed queued cycles end up here. */
  readonly deadLetterQueue: sqs.IQueue;
}

/** Longer than the checker's timeout (Lambda requires it of an SQS event source). */
const CYCLE_VISIBILITY_TIMEOUT = Duration.seconds(90);
/** A queued cycle older than this is worth nothing: later ones have run since. */
const CYCLE_RETENTION = Duration.minutes(5);

export class CheckerSchedule extends Construct {
  readonly rule: events.Rule;
  /** The queue of the minute's later cycles (tick schedule only). */
  readonly cycleQueue?: sqs.Queue;

  constructor(scope: Construct, id: string, props: CheckerScheduleProps) {
    super(scope, id);
    const { checker, mode } = props;
    checker.addEnvironment(GuardEnv.schedule, mode);
    if (mode === 'loop') checker.addEnvironment(GuardEnv.loopSeconds, String(props.loopSeconds));

    this.rule = new events.Rule(this, 'EveryMinute', {
      description:
        mode === 'loop'
          ? `Starts the Failover Guard checker of ${props.topologyName} every minute (it probes every ${props.intervalSeconds} s inside)`
          : `Starts the Failover Guard checker of ${props.topologyName} every minute (one cycle; it queues the minute's later cycles)`,
      schedule: events.Schedule.rate(Duration.minutes(1)),
      targets: [
        new targets.LambdaFunction(checker, {
          retryAttempts: 2,
          maxEventAge: Duration.minutes(1),
          deadLetterQueue: props.deadLetterQueue,
        }),
      ],
    });

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
      checker.addToRolePolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.cycleQueue.queueArn] }));
      checker.addEnvironment(GuardEnv.cycleQueueUrl, this.cycleQueue.queueUrl);
    }
  }
}
