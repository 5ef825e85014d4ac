// The construct's side of data-plane failover: the health checks tagged so `attach` finds them, each stack's
// share of them handed to its functions, and nothing more in IAM than the record changes it already had.
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { GuardEnv } from '../../lambdas/contracts/telemetry-names';
import { parseTopology } from '../../lambdas/domain/config/load';
import { exampleInput, guardStacks } from './guard-fixtures';

/** The example with its weighted record "origin" marked for data-plane failover. */
function markedTopology() {
  const input = exampleInput();
  const dns = (input.dns ?? []).map((d) => (d.id === 'origin' ? { ...d, dataPlaneFailover: true } : d));
  return parseTopology({ ...input, dns });
}

type PolicyStatement = { Action: unknown; Resource: unknown; Condition?: unknown };

/** The statements of the policy of the role whose logical id starts with `rolePrefix`. */
function policyStatements(template: Template, rolePrefix: string): PolicyStatement[] {
  return Object.entries(template.findResources('AWS::IAM::Policy'))
    .filter(([id]) => id.startsWith(rolePrefix))
    .flatMap(
      ([, p]) =>
        (p as { Properties: { PolicyDocument: { Statement: PolicyStatement[] } } }).Properties.PolicyDocument.Statement,
    );
}

type FunctionProps = { Description: string; Environment: { Variables: Record<string, unknown> } };

function guardFunctions(template: Template): FunctionProps[] {
  return Object.values(template.findResources('AWS::Lambda::Function'))
    .map((f) => (f as { Properties: FunctionProps }).Properties)
    .filter((p) => p.Description?.startsWith('Failover Guard'));
}

describe('data-plane failover in the construct', () => {
  const stacks = guardStacks(markedTopology());
  const [home, other] = stacks.map((s) => Template.fromStack(s)) as [Template, Template];

  it('creates a CLOUDWATCH_METRIC health check per region the marked record has sets in, in the stack judging it, following the alarm there and keeping its last status without data', () => {
    // The eu-west-1 stack judges eu-central-1 (and the other way round): never a region judging itself.
    home.resourceCountIs('AWS::Route53::HealthCheck', 1);
    home.hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: {
        Type: 'CLOUDWATCH_METRIC',
        AlarmIdentifier: { Region: 'eu-west-1', Name: { Ref: Match.stringLikeRegexp('AlarmsRegionDarkeucentral1') } },
        InsufficientDataHealthStatus: 'LastKnownStatus',
      },
      HealthCheckTags: Match.arrayWith([
        { Key: 'Name', Value: 'failover-guard-shop eu-central-1 up (judged from eu-west-1)' },
      ]),
    });
    other.resourceCountIs('AWS::Route53::HealthCheck', 1);
    other.hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: Match.objectLike({
        AlarmIdentifier: { Region: 'eu-central-1', Name: { Ref: Match.stringLikeRegexp('AlarmsRegionDarkeuwest1') } },
      }),
    });
  });

  it('outputs each health check id from the stack that holds it', () => {
    home.hasOutput('RegionHealthCheckeucentral1', {
      Value: { Ref: Match.stringLikeRegexp('RegionHealthChecksRegionUpeucentral1') },
    });
    other.hasOutput('RegionHealthCheckeuwest1', Match.objectLike({}));
  });

  it('tags each region health check with the topology, the region it judges and the region that judges it', () => {
    home.hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckTags: Match.arrayWith([
        { Key: 'failover-guard:checker-region', Value: 'eu-west-1' },
        { Key: 'failover-guard:judged-region', Value: 'eu-central-1' },
        { Key: 'failover-guard:topology', Value: 'shop' },
      ]),
    });
    other.hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckTags: Match.arrayWith([
        { Key: 'failover-guard:checker-region', Value: 'eu-central-1' },
        { Key: 'failover-guard:judged-region', Value: 'eu-west-1' },
      ]),
    });
  });

  it("hands both functions of each stack the checks it keeps on the records' sets: its own, of the regions it judges first", () => {
    for (const [template, judged] of [
      [home, 'eu-central-1'],
      [other, 'eu-west-1'],
    ] as const) {
      const functions = guardFunctions(template);
      expect(functions).toHaveLength(2);
      for (const fn of functions) {
        expect(fn.Environment.Variables[GuardEnv.regionHealthChecks]).toEqual({
          'Fn::Join': [
            '',
            [`${judged}=`, { Ref: expect.stringMatching(`RegionHealthChecksRegionUp${judged.replace(/-/g, '')}`) }],
          ],
        });
      }
    }
  });

  it('gives the functions no health checks when no record is marked', () => {
    const [plain] = guardStacks(parseTopology(exampleInput()));
    for (const fn of guardFunctions(Template.fromStack(plain!)))
      expect(fn.Environment.Variables[GuardEnv.regionHealthChecks]).toBeUndefined();
  });

  it('adds no permission: attaching is a record change on the hosted zone, scoped to the record names as before', () => {
    const policies = Object.entries(home.findResources('AWS::IAM::Policy')).filter(([id]) => id.includes('Actor'));
    const statements = policies.flatMap(
      ([, p]) =>
        (
          p as {
            Properties: {
              PolicyDocument: { Statement: { Action: unknown; Resource: unknown; Condition?: unknown }[] };
            };
          }
        ).Properties.PolicyDocument.Statement,
    );
    const route53 = statements.filter((s) => JSON.stringify(s.Action).includes('route53:'));
    expect(route53.map((s) => s.Action).sort()).toEqual([
      'route53:ChangeResourceRecordSets',
      'route53:ListResourceRecordSets',
    ]);
    const change = route53.find((s) => s.Action === 'route53:ChangeResourceRecordSets');
    expect(JSON.stringify(change?.Resource)).toContain(':route53:::hostedzone/Z0123456789ABCDEFGHIJ');
    expect(change?.Condition).toMatchObject({
      'ForAllValues:StringEquals': {
        'route53:ChangeResourceRecordSetsNormalizedRecordNames': expect.arrayContaining(['origin.shop.example.com']),
      },
    });
  });

  it("lets each checker list the guard's health checks for readiness (ListHealthChecks on *, ListTagsForResources on health checks) — and the unmarked topology's checker not", () => {
    const route53Reads = (template: Template) =>
      policyStatements(template, 'GuardCheckerRole')
        .filter((s) => JSON.stringify(s.Action).includes('route53:'))
        .map((s) => ({ Action: s.Action, Resource: s.Resource }));
    const healthChecks = {
      Action: 'route53:ListTagsForResources',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':route53:::healthcheck/*']] },
    };
    for (const template of [home, other])
      expect(route53Reads(template)).toEqual([
        { Action: 'route53:ListResourceRecordSets', Resource: expect.anything() },
        { Action: 'route53:ListHealthChecks', Resource: '*' },
        healthChecks,
      ]);
    const [plain] = guardStacks(parseTopology(exampleInput()));
    expect(route53Reads(Template.fromStack(plain!)).map((s) => s.Action)).toEqual(['route53:ListResourceRecordSets']);
    expect(
      policyStatements(home, 'GuardActorRole').filter((s) => JSON.stringify(s.Action).includes('route53:List')),
    ).toEqual([expect.objectContaining({ Action: 'route53:ListResourceRecordSets' })]);
  });

  it.each([0, 1])('passes the cdk-nag AwsSolutions checks with zero unacknowledged findings (stack %i)', (index) => {
    const report = new AwsSolutionsChecks().validateScope(guardStacks(markedTopology())[index]!);
    expect(
      report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`),
    ).toEqual([]);
  });
});
