// The topology draft `discover` writes: a pure function of what was read. Records first (their
// answers name the endpoints they need), then every load balancer with the servers behind it, then
// the databases with a writer name; regions and roles from where things live.
import type { TopologyInput } from '../../domain/config/schema';
import { DraftEndpoints, DraftIds, type DraftNotes } from './draft-endpoints';
import { draftDatabases, writerNames } from './draft-databases';
import { draftRecords, nameInScope } from './draft-records';
import type { AccountInventory } from './read-inventory';

export interface DraftOptions {
  /** The 12-digit account the resources belong to. */
  readonly account: string;
  /** The topology's name. */
  readonly name: string;
  /** The regions read, in the order asked: the first is the primary when nothing says otherwise. */
  readonly regions: readonly string[];
  /** Record names (or * patterns) to draft; empty drafts every record, load balancer and database read. */
  readonly names: readonly string[];
}

export interface Draft {
  readonly topology: TopologyInput;
  readonly notes: DraftNotes;
}

export function draftTopology(inventory: AccountInventory, options: DraftOptions): Draft {
  const notes: DraftNotes = { guesses: [], unmapped: [] };
  const ids = new DraftIds();
  const inScope = (name: string) => nameInScope(name, options.names);
  const zones = (inventory.zones ?? []).map((z) => ({ ...z, recordSets: z.recordSets.filter((s) => inScope(s.name)) }));
  const endpoints = new DraftEndpoints(inventory, ids, notes);
  const dns = draftRecords(zones, endpoints, ids, notes);
  if (options.names.length === 0) endpoints.draftEveryLoadBalancer();
  const databases = draftDatabases(inventory, writerNames(inventory.zones, inScope), ids, notes);
  const served = new Set(dns.flatMap((d) => d.targets.map((t) => t.endpoint)));
  const unserved = endpoints.loadBalancers.filter((lb) => !served.has(lb.id)).map((lb) => lb.id);
  if (dns.length > 0 && unserved.length > 0)
    notes.guesses.push(
      `load balancers in no record: ${unserved.join(', ')}; a standby region's load balancers belong in its records as targets`,
    );
  const used = [
    ...endpoints.servers.map((s) => s.region),
    ...endpoints.loadBalancers.map((lb) => lb.region),
    ...databases.flatMap((db) => [db.primary.region, ...(db.replicas ?? []).map((r) => r.region)]),
  ];
  const primary = primaryRegion(options.regions, used, databases, notes);
  const regions = [primary, ...options.regions.filter((r) => r !== primary && used.includes(r))];
  return {
    topology: {
      name: options.name,
      account: options.account,
      regions: regions.map((name) => ({ name, role: name === primary ? 'primary' : 'standby' })),
      servers: endpoints.servers,
      loadBalancers: endpoints.loadBalancers,
      dns,
      databases,
    },
    notes,
  };
}

/** Where the first database's writer lives; else the region with the most endpoints; else the first asked. */
function primaryRegion(
  asked: readonly string[],
  used: readonly string[],
  databases: readonly { readonly id: string; readonly primary: { readonly region: string } }[],
  notes: DraftNotes,
): string {
  const [database] = databases;
  if (database) {
    notes.guesses.push(`${database.primary.region} is the primary region: the writer of ${database.id} lives there`);
    return database.primary.region;
  }
  const count = (region: string) => used.filter((u) => u === region).length;
  const busiest = [...asked].sort((a, b) => count(b) - count(a))[0] ?? 'us-east-1';
  if (asked.length > 1)
    notes.guesses.push(`${busiest} is the primary region: it holds the most endpoints and no database says otherwise`);
  return busiest;
}

/** The account of the first ARN read (load balancers, target groups, databases), if any. */
export function accountOf(inventory: AccountInventory): string | undefined {
  const arns = inventory.regions.flatMap((r) => [
    ...(r.loadBalancers ?? []).map((lb) => lb.arn),
    ...(r.dbInstances ?? []).map((i) => i.arn),
    ...(r.dbClusters ?? []).map((c) => c.arn),
  ]);
  return arns.map((arn) => arn.split(':')[4]).find((account) => account !== undefined && /^\d{12}$/.test(account));
}
