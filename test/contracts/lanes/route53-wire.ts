// Route 53 as it answers on the wire, for the aws-sdk-client-mock lane: a hosted zone's record sets in
// SDK shapes (names with the trailing dot), ListResourceRecordSets sorted and paged as Route 53 pages,
// ChangeResourceRecordSets validated all-or-nothing with Route 53's own InvalidChangeBatch wording, and
// GetChange. Written from the Route 53 API reference, independently of the in-memory fake.
import {
  type Change,
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  InvalidChangeBatch,
  ListResourceRecordSetsCommand,
  NoSuchChange,
  NoSuchHostedZone,
  type ResourceRecordSet,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';

const META = { httpStatusCode: 400, requestId: 'wire-model' };

/** Route 53 sorts by name with its labels reversed (com.example.www), then type, then set identifier. */
const sortKey = (set: ResourceRecordSet) =>
  `${(set.Name ?? '').replace(/\.$/, '').split('.').reverse().join('.')}\u0000${set.Type}\u0000${set.SetIdentifier ?? ''}`;
const canonicalName = (name: string) => `${name.toLowerCase().replace(/\.$/, '')}.`;
const identity = (set: ResourceRecordSet) => `${canonicalName(set.Name ?? '')}|${set.Type}|${set.SetIdentifier ?? ''}`;

function describeSet(set: ResourceRecordSet): string {
  const id = set.SetIdentifier !== undefined ? `, set-identifier='${set.SetIdentifier}'` : '';
  return `[name='${canonicalName(set.Name ?? '')}', type='${set.Type}'${id}]`;
}

/** Every field Route 53 compares on DELETE; record values in any order. */
function sameAsStored(stored: ResourceRecordSet, given: ResourceRecordSet): boolean {
  const values = (s: ResourceRecordSet) => (s.ResourceRecords ?? []).map((r) => r.Value).sort();
  const alias = (s: ResourceRecordSet) =>
    s.AliasTarget
      ? `${s.AliasTarget.HostedZoneId}|${canonicalName(s.AliasTarget.DNSName ?? '')}|${s.AliasTarget.EvaluateTargetHealth}`
      : '';
  return (
    stored.TTL === given.TTL &&
    JSON.stringify(values(stored)) === JSON.stringify(values(given)) &&
    stored.Weight === given.Weight &&
    stored.Failover === given.Failover &&
    (stored.MultiValueAnswer ?? false) === (given.MultiValueAnswer ?? false) &&
    stored.HealthCheckId === given.HealthCheckId &&
    alias(stored) === alias(given)
  );
}

function policyOf(set: ResourceRecordSet): string {
  if (set.Weight !== undefined) return 'weighted';
  if (set.Failover !== undefined) return 'failover';
  if (set.MultiValueAnswer) return 'multivalue';
  return 'simple';
}

export class Route53WireModel {
  /** A client of its own (the stub is per instance, so other lanes' clients stay real). */
  readonly client = new Route53Client({ region: 'us-east-1' });
  readonly stub: AwsClientStub<Route53Client>;
  private readonly zones = new Map<string, Map<string, ResourceRecordSet>>();
  private readonly changeIds: string[] = [];

  constructor() {
    this.stub = mockClient(this.client);
    this.stub.on(ListResourceRecordSetsCommand).callsFake((input) => this.list(input));
    this.stub.on(ChangeResourceRecordSetsCommand).callsFake((input) => this.change(input));
    this.stub.on(GetChangeCommand).callsFake((input: { Id: string }) => this.getChange(input.Id));
  }

  /** Creates the zone (if needed) holding the sets as given. */
  seed(zoneId: string, sets: readonly ResourceRecordSet[]): void {
    const zone = this.zones.get(zoneId) ?? new Map<string, ResourceRecordSet>();
    this.zones.set(zoneId, zone);
    for (const set of sets) zone.set(identity(set), { ...set, Name: canonicalName(set.Name ?? '') });
  }

  restore(): void {
    this.stub.restore();
  }

  private zone(zoneId: string): Map<string, ResourceRecordSet> {
    const zone = this.zones.get(zoneId);
    if (!zone) throw new NoSuchHostedZone({ message: `No hosted zone found with ID: ${zoneId}`, $metadata: META });
    return zone;
  }

  private list(input: {
    HostedZoneId: string;
    StartRecordName?: string;
    StartRecordType?: string;
    StartRecordIdentifier?: string;
    MaxItems?: number;
  }) {
    const all = [...this.zone(input.HostedZoneId).values()].sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
    const start = sortKey({
      Name: canonicalName(input.StartRecordName ?? ''),
      Type: input.StartRecordType as ResourceRecordSet['Type'],
      ...(input.StartRecordIdentifier !== undefined ? { SetIdentifier: input.StartRecordIdentifier } : {}),
    });
    const from = input.StartRecordName === undefined ? all : all.filter((s) => sortKey(s) >= start);
    const max = Math.min(input.MaxItems ?? 300, 300);
    const page = from.slice(0, max);
    const next = from[max];
    return {
      ResourceRecordSets: page.map((s) => structuredClone(s)),
      IsTruncated: next !== undefined,
      MaxItems: max,
      ...(next
        ? {
            NextRecordName: next.Name,
            NextRecordType: next.Type,
            ...(next.SetIdentifier !== undefined ? { NextRecordIdentifier: next.SetIdentifier } : {}),
          }
        : {}),
    };
  }

  private change(input: { HostedZoneId: string; ChangeBatch: { Changes: Change[] } }) {
    const next = new Map(this.zone(input.HostedZoneId));
    const problems: string[] = [];
    for (const { Action, ResourceRecordSet: set } of input.ChangeBatch.Changes) {
      if (!set) continue;
      const key = identity(set);
      const stored = next.get(key);
      if (Action === 'DELETE') {
        if (!stored) problems.push(`Tried to delete resource record set ${describeSet(set)} but it was not found`);
        else if (!sameAsStored(stored, set))
          problems.push(
            `Tried to delete resource record set ${describeSet(set)} but the values provided do not match the current values`,
          );
        else next.delete(key);
      } else if (Action === 'CREATE' && stored) {
        problems.push(`Tried to create resource record set ${describeSet(set)} but it already exists`);
      } else {
        next.set(key, { ...structuredClone(set), Name: canonicalName(set.Name ?? '') });
      }
    }
    if (problems.length === 0) problems.push(...mixedPolicies(next));
    if (problems.length > 0)
      throw new InvalidChangeBatch({
        message: problems.length === 1 ? problems[0]! : `[${problems.join(', ')}]`,
        messages: problems,
        $metadata: META,
      });
    this.zones.set(input.HostedZoneId, next);
    const id = `C${String(this.changeIds.length + 1).padStart(12, '0')}`;
    this.changeIds.push(id);
    return { ChangeInfo: { Id: `/change/${id}`, Status: 'PENDING', SubmittedAt: new Date() } };
  }

  private getChange(id: string) {
    const bare = id.replace(/^\/change\//, '');
    if (!this.changeIds.includes(bare))
      throw new NoSuchChange({
        message: `A change with the specified change ID does not exist: ${bare}`,
        $metadata: META,
      });
    return { ChangeInfo: { Id: `/change/${bare}`, Status: 'INSYNC', SubmittedAt: new Date() } };
  }
}

/** Route 53 refuses one name and type whose sets mix routing policies, or a simple set beside another. */
function mixedPolicies(zone: Map<string, ResourceRecordSet>): string[] {
  const byNameType = new Map<string, ResourceRecordSet[]>();
  for (const set of zone.values()) {
    const key = `${set.Name}|${set.Type}`;
    byNameType.set(key, [...(byNameType.get(key) ?? []), set]);
  }
  return [...byNameType.values()]
    .filter((sets) => new Set(sets.map(policyOf)).size > 1 || (policyOf(sets[0]!) === 'simple' && sets.length > 1))
    .map(
      (sets) =>
        `RRSet with DNS name ${sets[0]!.Name} and type ${sets[0]!.Type} cannot be created as a non-${policyOf(sets[0]!)} set exists with the same name and type.`,
    );
}
