// Test helpers: the example topology and variants, and stacks synthesized without bundling.
import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { parseTopology, parseTopologyText } from '../../lambdas/domain/config/load';
import type { Topology, TopologyInput } from '../../lambdas/domain/config/schema';
import { guardRegions } from '../../lambdas/domain/config/targets';
import type { FailoverGuardProps } from '../../lib/failover-guard';
import { FailoverGuardStack, guardStackName } from '../../lib/failover-guard-stack';

export const EXAMPLE_PATH = new URL('../../examples/two-region.json', import.meta.url);

export function exampleInput(): TopologyInput {
  return JSON.parse(readFileSync(EXAMPLE_PATH, 'utf8')) as TopologyInput;
}

export function exampleTopology(): Topology {
  return parseTopologyText(readFileSync(EXAMPLE_PATH, 'utf8'), 'examples/two-region.json');
}

/** The example plus an Aurora global cluster, an Aurora cluster and a VPC for the checker in eu-west-1. */
export function auroraVpcTopology(): Topology {
  const input = exampleInput();
  const endpoint = (host: string) => ({ host, port: 5432 });
  return parseTopology({
    ...input,
    databases: [
      ...(input.databases ?? []),
      {
        id: 'ledger',
        engine: 'aurora-global',
        clusterIdentifier: 'ledger-global',
        primary: {
          id: 'ledger-dub',
          region: 'eu-west-1',
          identifier: 'ledger-dub-cluster',
          endpoint: endpoint('ledger-dub.example.com'),
        },
        replicas: [
          {
            id: 'ledger-fra',
            region: 'eu-central-1',
            identifier: 'ledger-fra-cluster',
            endpoint: endpoint('ledger-fra.example.com'),
          },
        ],
        writerDns: { hostedZoneId: 'ZOTHERZONE123', name: 'Ledger-Writer.shop.example.com.' },
      },
      {
        id: 'sessions',
        engine: 'aurora-cluster',
        clusterIdentifier: 'sessions-cluster',
        primary: {
          id: 'sessions-a',
          region: 'eu-west-1',
          identifier: 'sessions-1',
          endpoint: endpoint('sessions-1.example.com'),
        },
        replicas: [
          {
            id: 'sessions-b',
            region: 'eu-west-1',
            identifier: 'sessions-2',
            endpoint: endpoint('sessions-2.example.com'),
          },
        ],
        writerDns: { hostedZoneId: 'Z0123456789ABCDEFGHIJ', name: 'sessions-writer.shop.example.com' },
      },
    ],
    guard: {
      ...input.guard,
      vpc: {
        'eu-west-1': {
          vpcId: 'vpc-0abc1234',
          subnetIds: ['subnet-0aaa1111', 'subnet-0bbb2222'],
          securityGroupIds: ['sg-0ccc3333'],
        },
      },
    },
  });
}

/** Context that skips asset bundling: CDK stages the source path instead, so a synth takes a second. */
export const SKIP_BUNDLING = { 'aws:cdk:bundling-stacks': [] };

/** One stack per guard region, as createApp builds them, without reading a file or bundling. */
export function guardStacks(topology: Topology, guard?: Omit<FailoverGuardProps, 'topology'>): FailoverGuardStack[] {
  const app = new App({ context: SKIP_BUNDLING });
  return guardRegions(topology).map(
    (region) => new FailoverGuardStack(app, guardStackName(topology, region), { topology, region, guard }),
  );
}
