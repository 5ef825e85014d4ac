// Re-running `discover` over an existing topology: what the user wrote wins, what is new in the account
// is added (new servers, load balancers, records, databases and regions; new targets of a known record;
// new replicas of a known database), and nothing is deleted. The file is merged as written, so the
// user's layout, comments and left-out defaults stay as they were.
import * as z from 'zod/mini';
import { normaliseDnsName } from '../../ports/record-sets';
import type { Topology, TopologyInput } from '../../domain/config/schema';
import { DraftIds } from './draft-endpoints';

type Raw = Record<string, unknown>;
type ServerInput = NonNullable<TopologyInput['servers']>[number];
type LoadBalancerInput = NonNullable<TopologyInput['loadBalancers']>[number];
type DatabaseInput = NonNullable<TopologyInput['databases']>[number];

export interface Merged {
  /** The user's file with the additions. */
  readonly topology: Raw;
  /** One line per addition. */
  readonly added: string[];
}

const rawObject = z.record(z.string(), z.unknown());

/** The list at `key` of a part of the file as written (none: empty); anything else throws, never dropped. */
function listIn<T>(part: Raw, key: string, element: z.ZodMiniType<T>, where: string): T[] {
  if (part[key] === undefined) return [];
  const parsed = z.array(element).safeParse(part[key]);
  if (!parsed.success) throw new Error(`${where}: "${key}" is not a list as discover expects; nothing was merged`);
  return parsed.data;
}

const recordKey = (r: { name: string; type: string }) => `${normaliseDnsName(r.name)} ${r.type}`;
const memberKeys = (db: Pick<DatabaseInput, 'primary' | 'replicas'>) =>
  [db.primary, ...(db.replicas ?? [])].map((m) => `${m.region}/${m.identifier}`);

/** `written` is the file as parsed JSON; `existing` the same file validated (defaults filled in). */
export function mergeDraft(written: Raw, existing: Topology, draft: TopologyInput): Merged {
  const added: string[] = [];
  const ids = new DraftIds();
  for (const id of existingIds(existing)) ids.claim(id);
  /** Draft endpoint id → the id it has in the merged file. */
  const renamed = new Map<string, string>();
  const list = (key: string): unknown[] => listIn(written, key, z.unknown(), 'the topology file');

  const servers = list('servers');
  for (const server of draft.servers ?? []) {
    const known = existing.servers.find((s) => (s.ip !== undefined && s.ip === server.ip) || s.id === server.id);
    if (known) renamed.set(server.id, known.id);
    else servers.push(addEndpoint(server, ids, renamed, added, 'server'));
  }
  const loadBalancers = list('loadBalancers');
  for (const lb of draft.loadBalancers ?? []) {
    const known = existing.loadBalancers.find(
      (l) => (l.arn !== undefined && l.arn === lb.arn) || (l.arn === undefined && l.id === lb.id),
    );
    if (known) renamed.set(lb.id, known.id);
    else loadBalancers.push(addEndpoint(lb, ids, renamed, added, 'load balancer'));
  }
  const endpointId = (id: string) => renamed.get(id) ?? id;

  const dns = listIn(written, 'dns', rawObject, 'the topology file');
  for (const record of draft.dns ?? []) {
    const index = existing.dns.findIndex((d) => recordKey(d) === recordKey(record));
    const targets = record.targets.map((t) => ({ ...t, endpoint: endpointId(t.endpoint) }));
    const known = existing.dns[index];
    const written = dns[index];
    if (!known || !written) {
      dns.push({ ...record, id: ids.claim(record.id), targets });
      added.push(`record ${record.type} ${record.name} (${targets.length} targets)`);
      continue;
    }
    const fresh = targets.filter(
      (t) => !known.targets.some((k) => k.endpoint === t.endpoint && k.setIdentifier === t.setIdentifier),
    );
    if (fresh.length === 0) continue;
    const writtenTargets = listIn(written, 'targets', z.unknown(), `record ${known.id} in the topology file`);
    dns[index] = { ...written, targets: [...writtenTargets, ...fresh] };
    added.push(`record ${known.id}: targets ${fresh.map((t) => t.endpoint).join(', ')}`);
  }

  const databases = listIn(written, 'databases', rawObject, 'the topology file');
  for (const database of draft.databases ?? []) {
    const index = existing.databases.findIndex((d) => memberKeys(d).some((k) => memberKeys(database).includes(k)));
    const known = existing.databases[index];
    const written = databases[index];
    if (!known || !written) {
      const member = (m: DatabaseInput['primary']) => ({ ...m, id: ids.claim(m.id) });
      databases.push({
        ...database,
        id: ids.claim(database.id),
        primary: member(database.primary),
        replicas: (database.replicas ?? []).map(member),
      });
      added.push(`database ${database.id}`);
      continue;
    }
    const fresh = (database.replicas ?? []).filter((r) => !memberKeys(known).includes(`${r.region}/${r.identifier}`));
    if (fresh.length === 0) continue;
    const replicas = fresh.map((r) => ({ ...r, id: ids.claim(r.id) }));
    const writtenReplicas = listIn(written, 'replicas', z.unknown(), `database ${known.id} in the topology file`);
    databases[index] = { ...written, replicas: [...writtenReplicas, ...replicas] };
    added.push(`database ${known.id}: replicas ${replicas.map((r) => r.id).join(', ')}`);
  }

  const regions = list('regions');
  for (const region of draft.regions) {
    if (existing.regions.some((r) => r.name === region.name)) continue;
    regions.push({ name: region.name, role: 'standby' });
    added.push(`region ${region.name} (standby)`);
  }
  const merged: Raw = { ...written };
  const set = (key: string, value: unknown[]) => {
    if (value.length > 0 || key in written) merged[key] = value;
  };
  set('regions', regions);
  set('servers', servers);
  set('loadBalancers', loadBalancers);
  set('dns', dns);
  set('databases', databases);
  return { topology: merged, added };
}

function addEndpoint<E extends ServerInput | LoadBalancerInput>(
  endpoint: E,
  ids: DraftIds,
  renamed: Map<string, string>,
  added: string[],
  kind: string,
): E {
  const id = ids.claim(endpoint.id);
  renamed.set(endpoint.id, id);
  added.push(`${kind} ${id}`);
  return { ...endpoint, id };
}

function existingIds(t: Topology): string[] {
  return [
    ...t.servers.map((s) => s.id),
    ...t.loadBalancers.map((l) => l.id),
    ...t.dns.map((d) => d.id),
    ...t.databases.flatMap((db) => [db.id, db.primary.id, ...db.replicas.map((r) => r.id)]),
  ];
}
