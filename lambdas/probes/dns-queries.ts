// The DNS queries a topology asks for: every record at each of its nameservers.
import type { DnsRecord, Topology } from '../domain/config/schema';
import type { DnsQuery } from './dns.probe';

/** The addresses a record may serve: each target's ip, else its endpoint's ip (server) or ips (load balancer). */
export function expectedAddresses(topology: Topology, record: DnsRecord): string[] {
  const addresses = new Set<string>();
  for (const target of record.targets) {
    if (target.ip) {
      addresses.add(target.ip);
      continue;
    }
    const server = topology.servers.find((s) => s.id === target.endpoint);
    if (server?.ip) addresses.add(server.ip);
    const loadBalancer = topology.loadBalancers.find((lb) => lb.id === target.endpoint);
    for (const ip of loadBalancer?.ips ?? []) addresses.add(ip);
  }
  return [...addresses];
}

/** Observation target id of a record asked at one nameserver. */
function dnsTargetId(record: DnsRecord, nameserver: string): string {
  return `${record.id}@${nameserver}`;
}

export interface TopologyDnsQuery extends DnsQuery {
  readonly targetId: string;
}

export function dnsQueries(topology: Topology): TopologyDnsQuery[] {
  return topology.dns.flatMap((record) => {
    const expected = expectedAddresses(topology, record);
    return record.nameservers.map((nameserver) => ({
      targetId: dnsTargetId(record, nameserver),
      name: record.name,
      type: record.type,
      nameserver,
      expected,
    }));
  });
}
