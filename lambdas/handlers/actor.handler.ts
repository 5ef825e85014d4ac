// Lambda entry of the actor (invoked asynchronously by the checker): wiring only; the work is in actor.ts.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { awsClientSettings, createAwsPorts } from '../adapters/aws';
import { createActorHandler } from './actor';
import { bundledTopology } from '../contracts/bundled-topology';
import { guardEnvironment } from './handler-environment';

const env = guardEnvironment();
const topology = bundledTopology();

export const handler = createActorHandler({
  topology,
  region: env.region,
  ports: createAwsPorts({ ...env, clientConfig: awsClientSettings(topology) }),
  logger: new Logger(),
  metrics: new Metrics(),
  now: () => new Date(),
  ...(env.regionHealthChecks ? { regionHealthChecks: env.regionHealthChecks } : {}),
});
