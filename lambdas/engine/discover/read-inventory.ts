// Reads what `discover` drafts from: the hosted zones, and per region the load balancers, instances and
// databases. A service the caller may not read (AccessDenied) is noted and the rest is still read;
// any other failure (throttled past the SDK's retries, unreachable) ends the read, since a draft or a
// "gone from the account" drawn from a partial read would mislead.
import type {
  AccountInventoryPort,
  InventoryDbCluster,
  InventoryDbInstance,
  InventoryGlobalCluster,
  InventoryHostedZone,
  InventoryInstance,
  InventoryLoadBalancer,
} from '../../ports/account-inventory.port';
import type { RecordSet } from '../../ports/dns.port';
import { AccessDeniedError } from '../../ports/errors';

/** A service that could not be read in a region (Route 53: "global"), and why. */
export interface UnreadService {
  readonly service: 'Route 53' | 'Elastic Load Balancing' | 'EC2' | 'RDS';
  readonly region: string;
  readonly reason: string;
}

interface RegionInventory {
  readonly region: string;
  /** Undefined when the service could not be read (see unread). */
  readonly loadBalancers?: readonly InventoryLoadBalancer[];
  readonly instances?: readonly InventoryInstance[];
  readonly dbInstances?: readonly InventoryDbInstance[];
  readonly dbClusters?: readonly InventoryDbCluster[];
}

export interface AccountInventory {
  /** Undefined when Route 53 could not be read. */
  readonly zones?: readonly { readonly zone: InventoryHostedZone; readonly recordSets: readonly RecordSet[] }[];
  readonly regions: readonly RegionInventory[];
  readonly globalClusters: readonly InventoryGlobalCluster[];
  readonly unread: readonly UnreadService[];
}

export interface InventoryScope {
  readonly regions: readonly string[];
  /** Hosted zones to read, by id or name; empty reads every zone. */
  readonly zones: readonly string[];
}

/** Whether a hosted zone is one the scope names (by id, or by name with or without the trailing dot). */
function zoneInScope(zone: InventoryHostedZone, wanted: readonly string[]): boolean {
  if (wanted.length === 0) return true;
  return wanted.some((w) => w === zone.id || w.toLowerCase().replace(/\.$/, '') === zone.name);
}

export async function readInventory(port: AccountInventoryPort, scope: InventoryScope): Promise<AccountInventory> {
  const unread: UnreadService[] = [];
  /** The call's result, or undefined (noted in unread) when the caller may not make it. */
  const readable = async <T>(service: UnreadService['service'], region: string, read: () => Promise<T>) => {
    try {
      return await read();
    } catch (error) {
      if (!(error instanceof AccessDeniedError)) throw error;
      unread.push({ service, region, reason: error.message });
      return undefined;
    }
  };
  const zones = await readable('Route 53', 'global', async () => {
    const all = (await port.listHostedZones()).filter((z) => zoneInScope(z, scope.zones));
    const listed = [];
    for (const zone of all) listed.push({ zone, recordSets: await port.listRecordSets(zone.id) });
    return listed;
  });
  const regions: RegionInventory[] = [];
  for (const region of scope.regions) {
    const loadBalancers = await readable('Elastic Load Balancing', region, () => port.listLoadBalancers(region));
    const instances = await readable('EC2', region, () => port.listInstances(region));
    const databases = await readable('RDS', region, async () => ({
      instances: await port.listDbInstances(region),
      clusters: await port.listDbClusters(region),
    }));
    regions.push({
      region,
      ...(loadBalancers ? { loadBalancers } : {}),
      ...(instances ? { instances } : {}),
      ...(databases ? { dbInstances: databases.instances, dbClusters: databases.clusters } : {}),
    });
  }
  const globalRegion = regions.find((r) => r.dbClusters !== undefined)?.region;
  const globalClusters =
    globalRegion === undefined
      ? []
      : ((await readable('RDS', globalRegion, () => port.listGlobalClusters(globalRegion))) ?? []);
  return { ...(zones ? { zones } : {}), regions, globalClusters, unread };
}
