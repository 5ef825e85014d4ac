// Lambda entry of the actor (invoked asynchronously by the checker): wiring only; the work is in actor.ts.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { createAwsPorts } from '../adapters/aws';
import { createActorHandler } from './actor';
import { bundledTopology } from './bundled-topology';
import { guardEnvironment } from './handler-environment';

const env = guardEnvironment();

export const handler = createActorHandler({
  topology: bundledTopology(),
  region: env.region,
  ports: createAwsPorts(env),
  logger: new Logger(),
  metrics: new Metrics(),
  now: () => new Date(),
});
