// The state table's cross-region consistency: the default mode with the home replica deciding, or
// multi-Region strong consistency where DynamoDB offers it.
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { FailoverGuardStack } from '../../lib/failover-guard-stack';
import { decidingStateRegions, strongConsistencyProblem } from '../../lib/state-table';
import { exampleTopology, guardStacks, SKIP_BUNDLING } from './guard-fixtures';

type Statement = { Action: string | string[]; Resource: unknown };

function tableResources(template: Template): unknown {
  const [policy] = Object.entries(template.findResources('AWS::IAM::Policy')).filter(([id]) =>
    id.startsWith('GuardCheckerRole'),
  );
  const statements = (policy![1] as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties
    .PolicyDocument.Statement;
  // The checker writes only its views: one PutItem statement (a lone action renders as a string).
  return statements.find((s) => [s.Action].flat().includes('dynamodb:PutItem'))?.Resource;
}

const tableArn = (region: string) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:dynamodb:${region}:123456789012:table/failover-guard-shop`]],
});

describe('a strongly consistent state table (two replicas and a witness in the EU region set)', () => {
  let home: Template;
  let other: Template;

  beforeAll(() => {
    const [a, b] = guardStacks(exampleTopology(), { stateConsistency: 'strong', stateWitnessRegion: 'eu-west-2' });
    home = Template.fromStack(a!);
    other = Template.fromStack(b!);
  });

  it('creates the table with multi-Region strong consistency and the witness', () => {
    home.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      MultiRegionConsistency: 'STRONG',
      GlobalTableWitnesses: [{ Region: 'eu-west-2' }],
      Replicas: Match.arrayWith([
        Match.objectLike({ Region: 'eu-central-1' }),
        Match.objectLike({ Region: 'eu-west-1' }),
      ]),
    });
    other.resourceCountIs('AWS::DynamoDB::GlobalTable', 0);
  });

  it('lets each region decide in its local replica alone', () => {
    for (const [template, region] of [
      [home, 'eu-west-1'],
      [other, 'eu-central-1'],
    ] as const) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: Match.stringLikeRegexp('probes every endpoint'),
        Environment: { Variables: Match.objectLike({ FAILOVER_GUARD_STATE_REGIONS: region }) },
      });
      expect(tableResources(template)).toEqual(tableArn(region));
    }
  });
});

describe('refused state table settings', () => {
  const stack = (guard: ConstructorParameters<typeof FailoverGuardStack>[2]['guard']) =>
    new FailoverGuardStack(new App({ context: SKIP_BUNDLING }), 'Guard', {
      topology: exampleTopology(),
      region: 'eu-west-1',
      guard,
    });

  it('refuses strong consistency with two regions and no witness, naming what it needs', () => {
    expect(() => stack({ stateConsistency: 'strong' })).toThrow(
      /stateConsistency 'strong' is not possible: it needs three replica regions, or two and a witness region; got 2 replica\(s\) \(eu-west-1, eu-central-1\)/,
    );
  });

  it('refuses a witness outside the replicas’ region set', () => {
    expect(() => stack({ stateConsistency: 'strong', stateWitnessRegion: 'us-east-1' })).toThrow(
      /eu-west-1, eu-central-1, us-east-1 are not all in one region set where DynamoDB offers it \(US: us-east-1, us-east-2, us-west-2; EU:/,
    );
  });

  it('refuses a witness without strong consistency', () => {
    expect(() => stack({ stateWitnessRegion: 'eu-west-2' })).toThrow(
      /a witness region \(eu-west-2\) needs stateConsistency 'strong'/,
    );
  });
});

describe('strongConsistencyProblem', () => {
  it.each([
    [['us-east-1', 'us-east-2', 'us-west-2'], undefined, undefined],
    [['ap-northeast-1', 'ap-northeast-3'], 'ap-northeast-2', undefined],
    [['eu-west-1', 'eu-west-1'], 'eu-west-1', 'the witness eu-west-1 is also a replica region'],
    [
      ['us-east-1', 'eu-west-1', 'us-west-2'],
      undefined,
      'us-east-1, eu-west-1, us-west-2 are not all in one region set',
    ],
  ] as const)('%j with witness %s', (replicas, witness, problem) => {
    const found = strongConsistencyProblem(replicas, witness);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });
});

describe('decidingStateRegions', () => {
  it('is the guard order (home first) with eventual consistency, the local replica with strong', () => {
    expect(decidingStateRegions('eventual', ['eu-west-1', 'eu-central-1'], 'eu-central-1')).toEqual([
      'eu-west-1',
      'eu-central-1',
    ]);
    expect(decidingStateRegions('strong', ['eu-west-1', 'eu-central-1'], 'eu-central-1')).toEqual(['eu-central-1']);
  });
});
