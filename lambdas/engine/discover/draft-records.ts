// The DNS records of a draft: each A/AAAA name's record sets, their answers mapped to the load balancers
// (alias targets, static IPs) and servers (instance addresses) that serve them.
import type { TopologyInput } from '../../domain/config/schema';
import type { RecordSet } from '../../ports/dns.port';
import type { DraftEndpoints, DraftIds, DraftNotes } from './draft-endpoints';

type DnsRecordInput = NonNullable<TopologyInput['dns']>[number];
type DnsTargetInput = DnsRecordInput['targets'][number];
type Routing = NonNullable<DnsRecordInput['routing']>;

interface Mapped {
  readonly target: DnsTargetInput;
  readonly region: string;
}

/** Whether a record name passes the --name filters: exact names, or patterns where * matches any labels. */
export function nameInScope(name: string, patterns: readonly string[]): boolean {
  if (patterns.length === 0) return true;
  return patterns.some((p) => {
    const pattern = p.toLowerCase().replace(/\.$/, '');
    const regex = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
    return regex.test(name);
  });
}

/** Drafts one DNS record per A/AAAA name and type of the zones read, or says why it could not. */
export function draftRecords(
  zones: readonly { readonly zone: { readonly id: string }; readonly recordSets: readonly RecordSet[] }[],
  endpoints: DraftEndpoints,
  ids: DraftIds,
  notes: DraftNotes,
): DnsRecordInput[] {
  const records: DnsRecordInput[] = [];
  for (const { zone, recordSets } of zones) {
    const groups = new Map<string, RecordSet[]>();
    for (const set of recordSets) {
      if (set.type !== 'A' && set.type !== 'AAAA') continue;
      const key = `${set.name} ${set.type}`;
      groups.set(key, [...(groups.get(key) ?? []), set]);
    }
    for (const sets of groups.values()) {
      const record = draftRecord(zone.id, sets, endpoints, ids, notes);
      if (record) records.push(record);
    }
  }
  return records;
}

function draftRecord(
  zoneId: string,
  sets: readonly RecordSet[],
  endpoints: DraftEndpoints,
  ids: DraftIds,
  notes: DraftNotes,
): DnsRecordInput | undefined {
  const [first] = sets;
  if (!first) return undefined;
  const label = `${first.type} ${first.name}`;
  const routing = routingOf(sets);
  if (routing === undefined) {
    notes.unmapped.push(
      `${label}: latency, geolocation or other routing the guard does not manage (it manages one IP set, weighted, multivalue or failover sets)`,
    );
    return undefined;
  }
  const mapped =
    routing === 'ip-set' ? mapIpSet(label, first, endpoints, notes) : mapSets(label, sets, endpoints, notes);
  if (mapped.length === 0) {
    const answers = first.aliasTarget ? '' : ` (${sets.flatMap((s) => s.values).join(', ')})`;
    notes.unmapped.push(`${label}: none of its answers${answers} is a load balancer or instance in the regions read`);
    return undefined;
  }
  const regions = new Set(mapped.map((m) => m.region));
  const activeActive =
    regions.size > 1 &&
    (routing === 'ip-set' ||
      routing === 'multivalue' ||
      (routing === 'weighted' && sets.every((s) => (s.weight ?? 0) > 0)));
  if (regions.size > 1)
    notes.guesses.push(
      `${label}: regionMode ${activeActive ? 'active-active (every region serves now)' : 'active-passive (one region serves now)'}`,
    );
  return {
    id: ids.claim(first.type === 'A' ? first.name : `${first.name}-aaaa`),
    hostedZoneId: zoneId,
    name: first.name,
    type: first.type as 'A' | 'AAAA',
    ttl: first.ttl ?? 60,
    routing,
    ...(activeActive ? { regionMode: 'active-active' as const } : {}),
    targets: mapped.map((m) => m.target),
  };
}

function routingOf(sets: readonly RecordSet[]): Routing | undefined {
  if (sets.every((s) => s.setIdentifier === undefined)) return 'ip-set';
  if (sets.every((s) => s.weight !== undefined)) return 'weighted';
  if (sets.every((s) => s.failover !== undefined)) return 'failover';
  if (sets.every((s) => s.multiValueAnswer)) return 'multivalue';
  return undefined;
}

/** One record set holding addresses: one target per endpoint serving them. */
function mapIpSet(label: string, set: RecordSet, endpoints: DraftEndpoints, notes: DraftNotes): Mapped[] {
  if (set.aliasTarget) {
    notes.unmapped.push(
      `${label}: a simple alias to ${set.aliasTarget.dnsName}; the guard pulls addresses from a record, and an alias holds none (weighted or failover alias sets, one per load balancer, it can manage)`,
    );
    return [];
  }
  const mapped: Mapped[] = [];
  const unknown = set.values.filter((value) => !endpoints.knows(value));
  // A record none of whose answers is known is reported once, by the caller.
  if (unknown.length < set.values.length)
    for (const value of unknown)
      notes.unmapped.push(`${label}: ${value} is no load balancer's or instance's address in the regions read`);
  for (const value of set.values) {
    const endpoint = endpoints.byAddress(value);
    if (!endpoint) continue;
    if (mapped.some((m) => m.target.endpoint === endpoint.id)) continue;
    const drafted = endpoints.addressOf(endpoint.id);
    mapped.push({
      target: { endpoint: endpoint.id, ...(drafted !== undefined && drafted !== value ? { ip: value } : {}) },
      region: endpoint.region,
    });
  }
  return mapped;
}

/** Record sets told apart by set identifier: one target per set, its endpoint from its alias or first address. */
function mapSets(label: string, sets: readonly RecordSet[], endpoints: DraftEndpoints, notes: DraftNotes): Mapped[] {
  const mapped: Mapped[] = [];
  for (const set of sets) {
    const setIdentifier = set.setIdentifier ?? '';
    const endpoint = set.aliasTarget
      ? endpoints.byAliasName(set.aliasTarget.dnsName)
      : set.values.map((v) => endpoints.byAddress(v)).find((e) => e !== undefined);
    if (!endpoint) {
      const answer = set.aliasTarget ? `alias ${set.aliasTarget.dnsName}` : set.values.join(', ');
      notes.unmapped.push(
        `${label} set "${setIdentifier}": ${answer} is no load balancer or instance in the regions read`,
      );
      continue;
    }
    if (set.values.length > 1)
      notes.guesses.push(`${label} set "${setIdentifier}": ${set.values.length} addresses, mapped to ${endpoint.id}`);
    mapped.push({
      target: { endpoint: endpoint.id, setIdentifier, ...(set.weight !== undefined ? { weight: set.weight } : {}) },
      region: endpoint.region,
    });
  }
  return mapped;
}
