// The DNS queries a topology asks for: every record at each of its nameservers.
import type { DnsRecord, Topology } from '../domain/config/schema';
import type { DnsQuery } from './dns.probe';

type EndpointAddresses = ReadonlyMap<string, readonly string[]>;

/** Each server's and load balancer's addresses by endpoint id, looked up once for all the records. */
function endpointAddresses(topology: Topology): EndpointAddresses {
  const byId = new Map<string, readonly string[]>();
  for (const s of topology.servers) if (s.ip) byId.set(s.id, [s.ip]);
  for (const lb of topology.loadBalancers) byId.set(lb.id, [...(byId.get(lb.id) ?? []), ...(lb.ips ?? [])]);
  return byId;
}

/** The addresses a record may serve: each target's ip, else its endpoint's ip (server) or ips (load balancer). */
export function expectedAddresses(
  topology: Topology,
  record: DnsRecord,
  byEndpoint: EndpointAddresses = endpointAddresses(topology),
): string[] {
  const addresses = new Set<string>();
  for (const target of record.targets) {
    if (target.ip) {
      addresses.add(target.ip);
      continue;
    }
    for (const ip of byEndpoint.get(target.endpoint) ?? []) addresses.add(ip);
  }
  return [...addresses];
}

/** Observation target id of a record asked at one nameserver. */
export function dnsTargetId(record: DnsRecord, nameserver: string): string {
  return `${record.id}@${nameserver}`;
}

export interface TopologyDnsQuery extends DnsQuery {
  readonly targetId: string;
}

/** Every record asked at each of its nameservers (records without nameservers are not queried). */
export function dnsQueries(topology: Topology): TopologyDnsQuery[] {
  const asked = topology.dns.filter((record) => record.nameservers.length > 0);
  if (asked.length === 0) return [];
  const byEndpoint = endpointAddresses(topology);
  return asked.flatMap((record) => {
    const expected = expectedAddresses(topology, record, byEndpoint);
    return record.nameservers.map((nameserver) => ({
      targetId: dnsTargetId(record, nameserver),
      name: record.name,
      type: record.type,
      nameserver,
      expected,
    }));
  });
}
