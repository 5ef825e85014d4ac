// Test helpers: stacks synthesized without bundling, over the example topology and its variants
// (test/fixtures/guard-topologies.ts, re-exported here for the CDK tests).
import { App } from 'aws-cdk-lib';
import type { Topology } from '../../lambdas/domain/config/schema';
import { guardRegions } from '../../lambdas/domain/config/targets';
import type { FailoverGuardProps } from '../../lib/failover-guard';
import { FailoverGuardStack, guardStackName } from '../../lib/failover-guard-stack';

export { auroraVpcTopology, EXAMPLE_PATH, exampleInput, exampleTopology } from '../fixtures/guard-topologies';

/** Context that skips asset bundling: CDK stages the source path instead, so a synth takes a second. */
export const SKIP_BUNDLING = { 'aws:cdk:bundling-stacks': [] };

/** One stack per guard region, as createApp builds them, without reading a file or bundling. */
export function guardStacks(topology: Topology, guard?: Omit<FailoverGuardProps, 'topology'>): FailoverGuardStack[] {
  const app = new App({ context: SKIP_BUNDLING });
  return guardRegions(topology).map(
    (region) => new FailoverGuardStack(app, guardStackName(topology, region), { topology, region, guard }),
  );
}
