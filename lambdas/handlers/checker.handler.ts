// Lambda entry of the checker (EventBridge every minute; in the tick schedule also SQS): wiring
// only; the work is in checker.ts.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import {
  awsClientConfig,
  awsClientSettings,
  createAwsHealthCheckDirectory,
  createAwsPorts,
  followDeadline,
} from '../adapters/aws';
import { probeTopology } from '../probes/probe-engine';
import { asyncInvoker } from './async-invoker';
import { readinessAlarmIsOk } from './readiness-alarm';
import { bundledTopology } from '../contracts/bundled-topology';
import { createCheckerHandler, type CheckerSchedule } from './checker';
import { systemClock } from './checker-loop';
import { sqsCycleQueue } from './cycle-queue';
import { checkerScheduleMode, guardEnvironment, requiredEnv } from './handler-environment';
import { GuardEnv } from '../contracts/telemetry-names';
import { shardCycleEvent } from '../contracts/checker-shard';

const env = guardEnvironment();
const topology = bundledTopology();
const clientConfig = awsClientSettings(topology);
const sdkConfig = { region: env.region, ...awsClientConfig(clientConfig) };
// One client for both hand-offs: plans to the actor, queued cycles to this function's other shards.
const lambda = followDeadline(new LambdaClient(sdkConfig));

function schedule(): CheckerSchedule {
  if (checkerScheduleMode() === 'loop') return { mode: 'loop', loopSeconds: Number(requiredEnv(GuardEnv.loopSeconds)) };
  // Lambda sets the function's own name in every instance's environment.
  const startSelf = asyncInvoker(lambda, requiredEnv('AWS_LAMBDA_FUNCTION_NAME'));
  return {
    mode: 'tick',
    queueCycles: sqsCycleQueue(followDeadline(new SQSClient(sdkConfig)), requiredEnv(GuardEnv.cycleQueueUrl)),
    startShardCycle: (shard, delaySeconds) => startSelf(shardCycleEvent(delaySeconds, shard)),
  };
}

export const handler = createCheckerHandler({
  topology,
  region: env.region,
  ports: createAwsPorts({ ...env, clientConfig }),
  probe: (t, only) => probeTopology(t, { checker: env.region, only }),
  invokeActor: asyncInvoker(lambda, requiredEnv(GuardEnv.actorFunction)),
  logger: new Logger(),
  metrics: new Metrics(),
  clock: systemClock,
  schedule: schedule(),
  ...(env.regionHealthChecks ? { regionHealthChecks: env.regionHealthChecks } : {}),
  // No account inventory: the EC2 client would take this bundle over 1 MB (instance targets are judged by the CLI).
  readinessReads: { healthChecks: createAwsHealthCheckDirectory(clientConfig) },
  readinessAlarmIsOk: readinessAlarmIsOk(
    followDeadline(new CloudWatchClient(sdkConfig)),
    requiredEnv(GuardEnv.readinessAlarm),
  ),
});
