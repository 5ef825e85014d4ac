import { describe, expect, it } from 'vitest';
import { parseTopology, parseTopologyText } from '../../../lambdas/domain/config/load';
import { ConfigError, type ConfigIssue } from '../../../lambdas/domain/errors';
import { exampleTopology, type EditableTopology } from './example-topology';

/** The issues a config with one edit applied is rejected with. */
function issuesAfter(edit: (topology: EditableTopology) => void): readonly ConfigIssue[] {
  const topology = exampleTopology();
  edit(topology);
  try {
    parseTopology(topology, 'topology.json');
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error('the edited config was accepted');
}

describe('parseTopology', () => {
  it('accepts the two-region example and fills in the defaults', () => {
    // Act
    const topology = parseTopology(exampleTopology());
    // Assess
    expect(topology.servers).toHaveLength(4);
    expect(topology.dns[0]?.nameservers).toEqual([]);
    expect(topology.guard).toMatchObject({ dryRun: false, paused: false, heartbeatStaleSeconds: 120 });
    expect(topology.checks.certificateWarningDays).toBe(14);
  });

  it.each([
    {
      problem: 'an IPv4 address with an octet over 255',
      edit: (t: EditableTopology) => (t.dns[0].targets[0].ip = '10.0.0.300'),
      issue: { path: 'dns[0].targets[0].ip', message: '"10.0.0.300" is not an IPv4 address' },
    },
    {
      problem: 'a malformed IPv6 address',
      edit: (t: EditableTopology) => (t.servers[0].ip = '2001:db8::g'),
      issue: { path: 'servers[0].ip', message: '"2001:db8::g" is not an IPv6 address' },
    },
    {
      problem: 'an IPv6 address in an A record',
      edit: (t: EditableTopology) => (t.dns[0].targets[1].ip = '2001:db8::1'),
      issue: { path: 'dns[0].targets[1].ip', message: '"2001:db8::1" is not an IPv4 address (record type A)' },
    },
    {
      problem: 'a region the topology does not list',
      edit: (t: EditableTopology) => (t.servers[2].region = 'us-west-2'),
      issue: {
        path: 'servers[2].region',
        message: `region "us-west-2" is not one of the topology's regions (eu-west-1, eu-central-1)`,
      },
    },
    {
      problem: 'a region name AWS does not have the shape of',
      edit: (t: EditableTopology) => (t.loadBalancers[0].region = 'Ireland'),
      issue: { path: 'loadBalancers[0].region', message: 'is not an AWS region name (like "eu-west-1")' },
    },
    {
      problem: 'an id used twice',
      edit: (t: EditableTopology) => (t.loadBalancers[1].id = 'nlb-dub-1'),
      issue: { path: 'loadBalancers[1].id', message: 'id "nlb-dub-1" is already used at loadBalancers[0].id' },
    },
    {
      problem: 'a database member id that is also a server id',
      edit: (t: EditableTopology) => (t.databases[0].replicas[1].id = 'web-fra-a'),
      issue: { path: 'databases[0].replicas[1].id', message: 'id "web-fra-a" is already used at servers[2].id' },
    },
    {
      problem: 'a replica that is the primary',
      edit: (t: EditableTopology) => (t.databases[0].replicas[0].identifier = 'orders-primary'),
      issue: {
        path: 'databases[0].replicas[0].identifier',
        message: '"orders-primary" is the primary; a replica cannot also be the primary',
      },
    },
    {
      problem: 'a failure threshold of 0',
      edit: (t: EditableTopology) => (t.checks.failureThreshold = 0),
      issue: { path: 'checks.failureThreshold', message: '0 is too small: must be at least 1' },
    },
    {
      problem: 'a recovery threshold of 0 in a per-target override',
      edit: (t: EditableTopology) => (t.servers[1].checks = { recoveryThreshold: 0 }),
      issue: { path: 'servers[1].checks.recoveryThreshold', message: '0 is too small: must be at least 1' },
    },
    {
      problem: 'a timeout equal to the interval',
      edit: (t: EditableTopology) => (t.checks.timeoutMs = 10_000),
      issue: { path: 'checks', message: 'timeoutMs (10000) must be below the interval (10000 ms)' },
    },
    {
      problem: 'a per-target interval shorter than the inherited timeout',
      edit: (t: EditableTopology) => (t.loadBalancers[2].checks = { intervalSeconds: 1 }),
      issue: { path: 'loadBalancers[2].checks', message: 'timeoutMs (2000) must be below the interval (1000 ms)' },
    },
    {
      problem: 'a missing required field',
      edit: (t: EditableTopology) => delete t.databases[0].writerDns,
      issue: { path: 'databases[0].writerDns', message: 'is required (an object)' },
    },
    {
      problem: 'a field of the wrong type',
      edit: (t: EditableTopology) => (t.checks.intervalSeconds = '10'),
      issue: { path: 'checks.intervalSeconds', message: 'must be a number, not "10"' },
    },
    {
      problem: 'an unknown field (a typo)',
      edit: (t: EditableTopology) => (t.dns[1].tll = 30),
      issue: { path: 'dns[1]', message: 'unknown field "tll" (did you mean "ttl"?)' },
    },
    {
      problem: 'a probe type that does not exist',
      edit: (t: EditableTopology) => (t.servers[0].probe = { type: 'icmp', host: '10.10.1.11' }),
      issue: { path: 'servers[0].probe.type', message: '"icmp" is not supported: use one of "http", "https", "tcp"' },
    },
    {
      problem: 'a value outside an enumeration',
      edit: (t: EditableTopology) => (t.regionFailover.mode = 'sometimes'),
      issue: { path: 'regionFailover.mode', message: '"sometimes" is not one of "auto", "approval", "off"' },
    },
    {
      problem: 'a record with no targets',
      edit: (t: EditableTopology) => (t.dns[0].targets = []),
      issue: { path: 'dns[0].targets', message: 'needs at least one target' },
    },
    {
      problem: 'a target naming an endpoint that does not exist',
      edit: (t: EditableTopology) => (t.dns[0].targets[3].endpoint = 'nlb-fra-9'),
      issue: { path: 'dns[0].targets[3].endpoint', message: '"nlb-fra-9" is not the id of a server or load balancer' },
    },
    {
      problem: 'a weighted target without a set identifier',
      edit: (t: EditableTopology) => delete t.dns[1].targets[2].setIdentifier,
      issue: {
        path: 'dns[1].targets[2].setIdentifier',
        message: 'is required for weighted records (one record set per target)',
      },
    },
    {
      problem: 'two primary regions',
      edit: (t: EditableTopology) => (t.regions[1].role = 'primary'),
      issue: { path: 'regions', message: 'needs exactly one region with role "primary" (found 2)' },
    },
    {
      problem: 'a guard region outside the topology',
      edit: (t: EditableTopology) => (t.guard.regions = ['eu-west-1', 'us-east-1']),
      issue: {
        path: 'guard.regions[1]',
        message: `region "us-east-1" is not one of the topology's regions (eu-west-1, eu-central-1)`,
      },
    },
  ])('rejects $problem, naming the path and the reason', ({ edit, issue }) => {
    // Act
    const issues = issuesAfter(edit);
    // Assess
    expect(issues).toContainEqual(issue);
  });

  it('reports several problems at once, schema and cross-field alike', () => {
    // Act
    const issues = issuesAfter((t) => {
      t.dns[0].targets[0].ip = '10.0.0.300';
      t.account = '1234';
      t.servers[3].region = 'us-west-2';
      t.databases[0].replicas[1].identifier = 'orders-primary';
    });
    // Assess
    expect(issues).toEqual([
      { path: 'account', message: 'is not a 12-digit AWS account id' },
      { path: 'dns[0].targets[0].ip', message: '"10.0.0.300" is not an IPv4 address' },
      {
        path: 'servers[3].region',
        message: `region "us-west-2" is not one of the topology's regions (eu-west-1, eu-central-1)`,
      },
      {
        path: 'databases[0].replicas[1].identifier',
        message: '"orders-primary" is the primary; a replica cannot also be the primary',
      },
    ]);
  });

  it("applies a broken record's own defaults before the cross-field checks (no routing given means ip-set)", () => {
    // Act
    const issues = issuesAfter((t) => {
      delete t.dns[0].routing;
      t.dns[0].targets[0].ip = '10.0.0.300';
    });
    // Assess
    expect(issues).toEqual([{ path: 'dns[0].targets[0].ip', message: '"10.0.0.300" is not an IPv4 address' }]);
  });

  it('serves an AAAA record from the IPv6 addresses of a dual-stack load balancer, whatever their order', () => {
    // Prepare
    const topology = exampleTopology();
    topology.loadBalancers[0].ips = ['52.16.10.1', '2a05:d018::10'];
    topology.dns.push({
      id: 'www6',
      hostedZoneId: 'Z0123456789ABCDEFGHIJ',
      name: 'www.shop.example.com',
      type: 'AAAA',
      targets: [{ endpoint: 'nlb-dub-1' }, { endpoint: 'nlb-dub-2', ip: '2a05:d018::20' }],
    });
    // Act + Assess
    expect(() => parseTopology(topology)).not.toThrow();
  });

  it('names the endpoint and its addresses when it has none of the record family', () => {
    // Act
    const issues = issuesAfter((t) => (t.dns[0].type = 'AAAA'));
    // Assess
    expect(issues).toContainEqual({
      path: 'dns[0].targets[0].ip',
      message: 'is required: endpoint "nlb-dub-1" has no IPv6 address for this AAAA record (only 52.16.10.1)',
    });
  });

  it('checks the timeout against the interval of a database member with its own checks', () => {
    // Act
    const issues = issuesAfter((t) => (t.databases[0].replicas[0].checks = { intervalSeconds: 2, timeoutMs: 2000 }));
    // Assess
    expect(issues).toEqual([
      { path: 'databases[0].replicas[0].checks', message: 'timeoutMs (2000) must be below the interval (2000 ms)' },
    ]);
  });

  it('does not repeat a schema problem as a cross-field one at the same path', () => {
    // Act
    const issues = issuesAfter((t) => (t.servers[0].region = 'mars'));
    // Assess
    expect(issues).toEqual([{ path: 'servers[0].region', message: 'is not an AWS region name (like "eu-west-1")' }]);
  });

  it('still reports cross-field problems next to an unknown top-level field', () => {
    // Act
    const issues = issuesAfter((t) => {
      t.colour = 'blue';
      t.servers[0].id = 'web-dub-b';
    });
    // Assess
    expect(issues).toContainEqual({ path: '', message: 'unknown field "colour"' });
    expect(issues).toContainEqual({
      path: 'servers[1].id',
      message: 'id "web-dub-b" is already used at servers[0].id',
    });
  });

  it('names the source and counts the problems in the error message', () => {
    // Prepare
    const topology = exampleTopology();
    topology.checks.failureThreshold = 0;
    topology.checks.recoveryThreshold = 0;
    // Act + Assess
    expect(() => parseTopology(topology, 'prod.json')).toThrow(
      'prod.json is not a valid topology (2 problems):\n  checks.failureThreshold: 0 is too small: must be at least 1\n  checks.recoveryThreshold: 0 is too small: must be at least 1',
    );
  });
});

describe('parseTopologyText', () => {
  it.each(['{ "name": "shop", ', '', 'name: shop'])('rejects text that is not JSON (%j)', (text) => {
    // Act
    const error = (() => {
      try {
        return parseTopologyText(text, 'topology.json');
      } catch (thrown) {
        return thrown;
      }
    })();
    // Assess
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(
      /^topology\.json is not a valid topology \(1 problem\):\n {2}is not JSON( at line \d+, column \d+)?: /,
    );
    expect((error as ConfigError).issues).toEqual([
      { path: '', message: expect.stringMatching(/^is not JSON( at line \d+, column \d+)?: /) },
    ]);
  });

  it('rejects JSON that is not an object', () => {
    // Act + Assess
    expect(() => parseTopologyText('[]', 'topology.json')).toThrow(
      'topology.json is not a valid topology (1 problem):\n  must be an object, not a list',
    );
  });
});
