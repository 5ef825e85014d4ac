// What a topology names that the account no longer holds, judged only where the read was whole: a
// region and service that was read, a zone that was read, a record name inside the --name filters.
import type { Topology } from '../../domain/config/schema';
import { normaliseDnsName } from '../../ports/record-sets';
import type { AccountInventory } from './read-inventory';

export function goneFromAccount(
  topology: Topology,
  inventory: AccountInventory,
  inScope: (name: string) => boolean,
): string[] {
  const gone: string[] = [];
  const region = (name: string) => inventory.regions.find((r) => r.region === name);
  for (const server of topology.servers) {
    const read = region(server.region);
    if (!read?.instances || !read.loadBalancers || server.ip === undefined) continue;
    const ip = server.ip;
    const held =
      read.instances.some((i) => [...i.privateIps, ...i.publicIps, ...i.ipv6].includes(ip)) ||
      read.loadBalancers.some((lb) => lb.targetGroups.some((g) => g.targets.some((t) => t.id === ip)));
    if (!held) gone.push(`server ${server.id}: no instance or target in ${server.region} has ${ip}`);
  }
  for (const lb of topology.loadBalancers) {
    const read = region(lb.region)?.loadBalancers;
    if (!read) continue;
    const held = lb.arn
      ? read.some((l) => l.arn === lb.arn)
      : lb.ips.length === 0 || read.some((l) => lb.ips.some((ip) => l.addresses.includes(ip)));
    if (!held) gone.push(`load balancer ${lb.id}: not in ${lb.region} (${lb.arn ?? lb.ips.join(', ')})`);
  }
  for (const record of topology.dns) {
    const zone = inventory.zones?.find((z) => z.zone.id === record.hostedZoneId);
    const name = normaliseDnsName(record.name);
    if (!zone || !inScope(name)) continue;
    if (!zone.recordSets.some((s) => s.name === name && s.type === record.type))
      gone.push(`record ${record.id}: no ${record.type} ${name} in zone ${record.hostedZoneId}`);
  }
  for (const database of topology.databases) {
    for (const member of [database.primary, ...database.replicas]) {
      const read = region(member.region);
      if (!read?.dbInstances || !read.dbClusters) continue;
      const held =
        database.engine === 'aurora-global'
          ? read.dbClusters.some((c) => c.identifier === member.identifier)
          : read.dbInstances.some((i) => i.identifier === member.identifier);
      if (!held) gone.push(`database ${database.id} member ${member.id}: no ${member.identifier} in ${member.region}`);
    }
  }
  return gone;
}
