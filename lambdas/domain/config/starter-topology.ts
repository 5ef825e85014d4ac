// A minimal topology from a few facts (`failover-guard init`): regions, one record with its servers'
// addresses, optionally a database from its RDS endpoints. What it cannot know is said in $comment.
import { isIP } from 'node:net';
import type { TopologyInput } from './schema';

export interface StarterFacts {
  readonly name: string;
  readonly account: string;
  /** The first is the primary region, the others standby. */
  readonly regions: readonly string[];
  readonly record: { readonly name: string; readonly hostedZoneId: string };
  /** Server addresses, each `ip` (in the primary region) or `ip@region`. */
  readonly servers: readonly string[];
  readonly healthPath: string;
  readonly port: number;
  /** RDS endpoints of the database members, the primary first (`<identifier>.<hash>.<region>.rds.amazonaws.com`). */
  readonly database?: {
    readonly id: string;
    readonly members: readonly string[];
    readonly port: number;
    readonly writerName: string;
  };
}

/** Thrown for a fact that cannot become a valid topology; names the flag's value and why. */
export class StarterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StarterError';
  }
}

function splitAtRegion(value: string, defaultRegion: string): { address: string; region: string } {
  const at = value.lastIndexOf('@');
  return at === -1
    ? { address: value, region: defaultRegion }
    : { address: value.slice(0, at), region: value.slice(at + 1) };
}

/** identifier and region from an RDS endpoint host name. */
function rdsEndpointParts(host: string): { identifier: string; region: string } {
  const [, identifier, region] =
    /^([a-z][a-z0-9-]{0,62})\.[a-z0-9]+\.([a-z]{2}(?:-gov)?-[a-z]+-\d)\.rds\.amazonaws\.com$/i.exec(host) ?? [];
  if (!identifier || !region)
    throw new StarterError(
      `"${host}" is not an RDS endpoint (<identifier>.<id>.<region>.rds.amazonaws.com): copy it from the RDS console`,
    );
  return { identifier, region };
}

export function starterTopology(facts: StarterFacts): TopologyInput {
  const [primary, ...standbys] = facts.regions;
  if (!primary) throw new StarterError('name at least one region (the first is the primary)');
  const servers = facts.servers.map((value, index) => {
    const { address, region } = splitAtRegion(value, primary);
    if (isIP(address) === 0) throw new StarterError(`"${address}" is not an IP address (write ip, or ip@region)`);
    const host = isIP(address) === 6 ? `[${address}]` : address;
    return {
      id: `web-${index + 1}`,
      region,
      ip: address,
      probe: {
        type: 'http' as const,
        url: `http://${host}${facts.port === 80 ? '' : `:${facts.port}`}${facts.healthPath}`,
      },
    };
  });
  const families = new Set(servers.map((s) => isIP(s.ip)));
  if (families.size > 1)
    throw new StarterError('mix of IPv4 and IPv6 addresses: one record serves one family; run init once per family');
  const database = facts.database && databaseOf(facts.database, facts.record.hostedZoneId);
  return {
    $schema: './schema/topology.schema.json',
    $comment: [
      `Written by failover-guard init. Check it with: npx --no-install failover-guard validate <this file>; then audit it.`,
      `Each server is probed with HTTP GET ${facts.healthPath} on port ${facts.port}; change a probe (https, bodyMatch, tcp) where that is not how the server says it is healthy.`,
      'Add your load balancers (loadBalancers[]) and list them as targets of the record: servers alone are a single point of failure per region.',
      'Set notifications.emails, and start with guard.dryRun true: every plan is then shown and nothing changes.',
    ],
    name: facts.name,
    account: facts.account,
    regions: [
      { name: primary, role: 'primary' as const },
      ...standbys.map((name) => ({ name, role: 'standby' as const })),
    ],
    servers,
    dns: [
      {
        id: 'web',
        hostedZoneId: facts.record.hostedZoneId,
        name: facts.record.name,
        type: [...families][0] === 6 ? ('AAAA' as const) : ('A' as const),
        targets: servers.map((s) => ({ endpoint: s.id })),
      },
    ],
    ...(database ? { databases: [database] } : {}),
    notifications: { emails: [] },
    guard: { dryRun: true },
  };
}

function databaseOf(facts: NonNullable<StarterFacts['database']>, hostedZoneId: string) {
  const [primary, ...replicas] = facts.members.map((host) => {
    const { identifier, region } = rdsEndpointParts(host);
    return { id: identifier, region, identifier, endpoint: { host, port: facts.port } };
  });
  if (!primary) throw new StarterError('a database needs its primary endpoint (the first --db-member)');
  return {
    id: facts.id,
    engine: 'rds-instance' as const,
    primary,
    replicas,
    writerDns: { hostedZoneId, name: facts.writerName },
  };
}
