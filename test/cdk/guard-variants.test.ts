// Aurora engines, a VPC for the checker, and the defaults the construct works out.
import { App, Aws } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseTopology } from '../../lambdas/domain/config/load';
import { judgedRegions } from '../../lambdas/domain/config/targets';
import { regionDarkMinutes } from '../../lambdas/contracts/region-health-signal';
import { ownsStateTableByDefault, reservedConcurrencyFor } from '../../lib/failover-guard';
import { FailoverGuardStack } from '../../lib/failover-guard-stack';
import { databaseScope, normalizeRecordName, zoneChangeScopes } from '../../lib/guard-resources';
import { largeTopologyInput } from '../fixtures/large-topology';
import { auroraVpcTopology, exampleInput, exampleTopology, guardStacks, SKIP_BUNDLING } from './guard-fixtures';

type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown };

function actorStatements(template: Template): Statement[] {
  const [policy] = Object.entries(template.findResources('AWS::IAM::Policy')).filter(([id]) =>
    id.startsWith('GuardActorRole'),
  );
  return (policy![1] as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument
    .Statement;
}

const arn = (text: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, text]] });

describe('a topology with Aurora clusters and a checker VPC', () => {
  const topology = auroraVpcTopology();
  let stacks: FailoverGuardStack[];
  let home: Template;

  beforeAll(() => {
    stacks = guardStacks(topology);
    home = Template.fromStack(stacks[0]!);
  });

  it('allows FailoverDBCluster on the Aurora cluster and FailoverGlobalCluster on the global cluster and its member clusters only', () => {
    const statements = actorStatements(home);
    expect(statements.find((s) => s.Action === 'rds:FailoverDBCluster')?.Resource).toEqual(
      arn(':rds:eu-west-1:123456789012:cluster:sessions-cluster'),
    );
    expect(statements.find((s) => s.Action === 'rds:FailoverGlobalCluster')?.Resource).toEqual([
      arn(':rds::123456789012:global-cluster:ledger-global'),
      arn(':rds:eu-west-1:123456789012:cluster:ledger-dub-cluster'),
      arn(':rds:eu-central-1:123456789012:cluster:ledger-fra-cluster'),
    ]);
    // Aurora members are never promoted with PromoteReadReplica: only the rds-instance replicas are listed.
    expect(statements.find((s) => s.Action === 'rds:PromoteReadReplica')?.Resource).toEqual([
      arn(':rds:eu-west-1:123456789012:db:orders-replica-1'),
      arn(':rds:eu-central-1:123456789012:db:orders-replica-fra'),
    ]);
  });

  it('scopes record changes per hosted zone, with names normalized as IAM compares them', () => {
    const changes = actorStatements(home).filter((s) => s.Action === 'route53:ChangeResourceRecordSets');
    expect(changes.map((s) => [s.Resource, s.Condition])).toEqual([
      [
        arn(':route53:::hostedzone/Z0123456789ABCDEFGHIJ'),
        {
          'ForAllValues:StringEquals': {
            'route53:ChangeResourceRecordSetsNormalizedRecordNames': [
              'db-writer.shop.example.com',
              'origin.shop.example.com',
              'sessions-writer.shop.example.com',
              'www.shop.example.com',
            ],
            'route53:ChangeResourceRecordSetsRecordTypes': ['A', 'CNAME'],
          },
        },
      ],
      [
        arn(':route53:::hostedzone/ZOTHERZONE123'),
        {
          'ForAllValues:StringEquals': {
            'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['ledger-writer.shop.example.com'],
            'route53:ChangeResourceRecordSetsRecordTypes': ['CNAME'],
          },
        },
      ],
    ]);
  });

  it('places only the eu-west-1 checker in the configured subnets and security groups, without lookups', () => {
    home.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('probes'),
      VpcConfig: { SubnetIds: ['subnet-0aaa1111', 'subnet-0bbb2222'], SecurityGroupIds: ['sg-0ccc3333'] },
    });
    home.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('re-plans'),
      VpcConfig: Match.absent(),
    });
    Template.fromStack(stacks[1]!).hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('probes'),
      VpcConfig: Match.absent(),
    });
    expect(
      stacks[0]!.node.root.node.tryGetContext('availability-zones:account=123456789012:region=eu-west-1'),
    ).toBeUndefined();
  });

  it('passes cdk-nag with the VPC execution policy acknowledged', () => {
    for (const stack of stacks) expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
  });
});

describe('the construct’s defaults', () => {
  it.each([
    ['eu-west-1', true],
    ['eu-central-1', false],
  ])('owns the state table in %s: %s (the first guard region creates it)', (region, owns) => {
    expect(ownsStateTableByDefault(exampleTopology(), region)).toBe(owns);
  });

  it.each([
    [3, 10, 2],
    [3, 30, 2],
    [6, 30, 3],
    [1, 300, 5],
  ])('raises the region alarm after %i dark cycles of %i s in %i minutes', (threshold, interval, minutes) => {
    const input = exampleInput();
    const topology = parseTopology({
      ...input,
      checks: { ...input.checks, intervalSeconds: interval },
      regionFailover: { ...input.regionFailover, regionFailureThreshold: threshold },
    });
    expect(regionDarkMinutes(topology)).toBe(minutes);
  });

  it.each([
    [true, 2],
    [false, undefined],
  ])('reserves concurrency %s → %s', (reserve, expected) => {
    expect(reservedConcurrencyFor(reserve)).toBe(expected);
  });

  it.each([
    ['eu-west-1', ['eu-central-1']],
    ['eu-central-1', ['eu-west-1']],
  ])('judges every region but its own from %s', (region, judged) => {
    expect(judgedRegions(exampleTopology(), region)).toEqual(judged);
  });

  it('judges every region, its own included, when the guard runs in one region only', () => {
    const input = exampleInput();
    const topology = parseTopology({ ...input, guard: { ...input.guard, regions: ['eu-central-1'] } });
    expect(judgedRegions(topology, 'eu-central-1')).toEqual(['eu-west-1', 'eu-central-1']);
  });

  it.each([
    ['WWW.Shop.Example.COM.', 'www.shop.example.com'],
    ['api.example.com', 'api.example.com'],
    // Route 53 DG, "Normalizing Route 53 condition key values": any other character as a backslash and three octal digits.
    ['*.Shop.example.com', '\\052.shop.example.com'],
    ['\\052.shop.example.com.', '\\052.shop.example.com'],
    ['_dmarc.shop.example.com', '_dmarc.shop.example.com'],
    ['a/b.example.com', 'a\\057b.example.com'],
  ])('normalizes record name %s to %s', (name, normalized) => {
    expect(normalizeRecordName(name)).toBe(normalized);
  });

  it('lists no zone and no database for a topology without DNS records or databases, and grants no change right', () => {
    const topology = parseTopology({ ...exampleInput(), dns: [], databases: [] });
    expect(zoneChangeScopes(topology)).toEqual([]);
    expect(databaseScope(topology)).toEqual({
      instances: [],
      promotableInstances: [],
      stoppableInstances: [],
      isolatableInstances: [],
      failoverClusters: [],
      globalClusters: [],
    });
    const statements = actorStatements(Template.fromStack(guardStacks(topology)[0]!));
    expect(statements.flatMap((s) => s.Action).filter((a) => /route53:Change|rds:(Promote|Failover)/.test(a))).toEqual(
      [],
    );
  });

  it('sizes the checker for its largest slice: 128 MB for the example, more for a shard of 1,000 endpoints', () => {
    const memory = (template: Template) =>
      Object.values(template.findResources('AWS::Lambda::Function'))
        .map((f) => (f as { Properties: { Description: string; MemorySize: number } }).Properties)
        .find((p) => p.Description.includes('probes every endpoint'))?.MemorySize;
    expect(memory(Template.fromStack(guardStacks(exampleTopology())[0]!))).toBe(128);
    const big = parseTopology(largeTopologyInput(1000));
    expect(memory(Template.fromStack(guardStacks(big)[0]!))).toBe(576);
  });

  it('warns at synth when loop would bill a checker sized past 128 MB for its whole minute, with what tick costs', () => {
    const big = parseTopology(largeTopologyInput(1000));
    const [loop] = guardStacks(big);
    Annotations.fromStack(loop!).hasWarning(
      '*',
      Match.stringLikeRegexp(
        'loop bills every checker for its whole minute at 576 MB \\(sized for 1,000 endpoints\\).*where tick \\(guard.schedule: "tick"\\) would cost',
      ),
    );
    const [tick] = guardStacks(big, { schedule: 'tick' });
    Annotations.fromStack(tick!).hasNoWarning('*', Match.stringLikeRegexp('loop bills'));
    Annotations.fromStack(guardStacks(exampleTopology())[0]!).hasNoWarning('*', Match.stringLikeRegexp('loop bills'));
  });

  it('warns at synth when checkerMemorySize is below what the largest slice needs', () => {
    const [stack] = guardStacks(exampleTopology(), { checkerMemorySize: 64 });
    Annotations.fromStack(stack!).hasWarning(
      '*',
      Match.stringLikeRegexp(
        'checkerMemorySize 64 MiB is below the 128 MiB a checker shard of 11 endpoints needs.*Raise it, or lower guard.shardCapacity',
      ),
    );
  });

  it('refuses a stack without an explicit region, naming the construct and the fix', () => {
    const app = new App({ context: SKIP_BUNDLING });
    expect(() => new FailoverGuardStack(app, 'NoRegion', { topology: exampleTopology(), region: Aws.REGION })).toThrow(
      /Guard" needs a stack with an explicit env.region/,
    );
  });
});
