// Configs that used to pass `validate` and then misbehaved once probed or deployed: each is refused
// with its path and a message that says what to change.
import { describe, expect, it } from 'vitest';
import { sdkRegionCatalog } from '../../../lambdas/adapters/aws/region-catalog';
import { parseTopology, parseTopologyText } from '../../../lambdas/domain/config/load';
import { ConfigError, type ConfigIssue } from '../../../lambdas/domain/errors';
import { exampleTopology, type EditableTopology } from './example-topology';

function issuesOf(parse: () => unknown): readonly ConfigIssue[] {
  try {
    parse();
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error('the config was accepted');
}

/** The issues the example with one edit is refused with, region names checked against the SDK's. */
function issuesAfter(edit: (topology: EditableTopology) => void): readonly ConfigIssue[] {
  const topology = exampleTopology();
  edit(topology);
  return issuesOf(() => parseTopology(topology, 'topology.json', sdkRegionCatalog));
}

const elbArn = (kind: string, region: string, account: string) =>
  `arn:aws:elasticloadbalancing:${region}:${account}:${kind}/net/shop/0123456789abcdef`;

describe('validation of configs that cannot work', () => {
  it.each([
    {
      problem: 'a body regex that does not compile (every probe would fail and pull a healthy server)',
      edit: (t: EditableTopology) => (t.servers[0].probe.bodyMatch = { regex: '(unclosed' }),
      issue: {
        path: 'servers[0].probe.bodyMatch.regex',
        message: 'does not compile: Invalid regular expression: /(unclosed/: Unterminated group',
      },
    },
    {
      problem: 'an https:// URL on an http probe',
      edit: (t: EditableTopology) => (t.servers[0].probe.url = 'https://10.10.1.11/healthz'),
      issue: {
        path: 'servers[0].probe.url',
        message: 'is an https:// URL but the probe type is "http"; make them agree',
      },
    },
    {
      problem: 'port 0 in a probe URL',
      edit: (t: EditableTopology) => (t.servers[0].probe.url = 'http://10.10.1.11:0/healthz'),
      issue: {
        path: 'servers[0].probe.url',
        message: 'port 0 cannot be probed; name the port the endpoint listens on',
      },
    },
    {
      problem: 'a region AWS does not have',
      edit: (t: EditableTopology) => {
        const json = JSON.stringify(t).replaceAll('eu-central-1', 'us-east-9');
        Object.assign(t, JSON.parse(json));
      },
      issue: {
        path: 'regions[1].name',
        message:
          '"us-east-9" is not an AWS region this SDK knows (did you mean "us-east-1"?); a region newer than the SDK goes in guard.extraRegions',
      },
    },
    {
      problem: 'two entries for one record name and type',
      edit: (t: EditableTopology) => t.dns.push({ ...t.dns[0], id: 'www-again', name: 'WWW.shop.example.com.' }),
      issue: {
        path: 'dns[2]',
        message: 'A WWW.shop.example.com. is already described by dns[0]; two entries would fight over one record',
      },
    },
    {
      problem: 'a load balancer "arn" that is not an ARN',
      edit: (t: EditableTopology) => (t.loadBalancers[0].arn = 'not-an-arn'),
      issue: {
        path: 'loadBalancers[0].arn',
        message:
          '"not-an-arn" is not an Elastic Load Balancing loadbalancer ARN (arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/…)',
      },
    },
    {
      problem: 'a load balancer ARN of another account',
      edit: (t: EditableTopology) => (t.loadBalancers[0].arn = elbArn('loadbalancer', 'eu-west-1', '999999999999')),
      issue: {
        path: 'loadBalancers[0].arn',
        message: "belongs to account 999999999999, not the topology's account 123456789012",
      },
    },
    {
      problem: 'a target group ARN of another region',
      edit: (t: EditableTopology) =>
        (t.loadBalancers[0].targetGroups = [elbArn('targetgroup', 'us-east-1', '123456789012')]),
      issue: {
        path: 'loadBalancers[0].targetGroups[0]',
        message: 'is in us-east-1, but load balancer "nlb-dub-1" is in eu-west-1',
      },
    },
    {
      problem: 'an ARN of another partition',
      edit: (t: EditableTopology) =>
        (t.loadBalancers[0].arn = elbArn('loadbalancer', 'eu-west-1', '123456789012').replace(
          'arn:aws:',
          'arn:aws-cn:',
        )),
      issue: { path: 'loadBalancers[0].arn', message: 'is in partition "aws-cn", but eu-west-1 is in "aws"' },
    },
    {
      problem: 'a misspelt field',
      edit: (t: EditableTopology) => (t.checks = { ...t.checks, intervalSecond: 5 }),
      issue: { path: 'checks', message: 'unknown field "intervalSecond" (did you mean "intervalSeconds"?)' },
    },
  ])('refuses $problem', ({ edit, issue }) => {
    expect(issuesAfter(edit)).toEqual([issue]);
  });

  it('accepts a region newer than the SDK when guard.extraRegions names it', () => {
    const topology = exampleTopology();
    Object.assign(topology, JSON.parse(JSON.stringify(topology).replaceAll('eu-central-1', 'eu-future-7')));
    topology.guard.extraRegions = ['eu-future-7'];
    expect(parseTopology(topology, 'topology.json', sdkRegionCatalog).regions.map((r) => r.name)).toEqual([
      'eu-west-1',
      'eu-future-7',
    ]);
  });

  it('reports a region the topology does not list once, naming the other places that use it, not once per use', () => {
    const issues = issuesAfter((t) => (t.regions[0].name = 'eu-west'));
    expect(issues).toEqual([
      { path: 'regions[0].name', message: 'is not an AWS region name (like "eu-west-1")' },
      {
        path: 'servers[0].region',
        message:
          'region "eu-west-1" is not one of the topology\'s regions (eu-west, eu-central-1) (and 6 more: servers[1].region, loadBalancers[0].region, loadBalancers[1].region, …)',
      },
    ]);
  });

  it('names the line and column of a JSON syntax error', () => {
    const text = '{\n  "name": "x",\n  "account": "123456789012"\n  "regions": []\n}';
    expect(issuesOf(() => parseTopologyText(text, 'topology.json'))).toEqual([
      { path: '', message: "is not JSON at line 4, column 3: Expected ',' or '}' after property value" },
    ]);
  });

  it('reads a file that starts with a UTF-8 byte-order mark as if it did not', () => {
    const text = `\uFEFF${JSON.stringify(exampleTopology())}`;
    expect(parseTopologyText(text, 'topology.json').name).toBe('shop');
  });
});
