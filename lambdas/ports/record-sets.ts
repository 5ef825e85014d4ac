// Record-set normalisation and comparison: how the engine and both DNS adapters tell two record sets apart.
import type { RecordSet } from './dns.port';

/** Route 53 names compare case-insensitively and without the trailing dot. */
export function normaliseDnsName(name: string): string {
  return name.trim().replace(/\.$/, '').toLowerCase();
}

/** A record set with its name, type and alias DNS name in canonical form. */
export function normaliseRecordSet(set: RecordSet): RecordSet {
  return {
    ...set,
    name: normaliseDnsName(set.name),
    type: set.type.toUpperCase(),
    values: [...set.values],
    ...(set.aliasTarget
      ? { aliasTarget: { ...set.aliasTarget, dnsName: normaliseDnsName(set.aliasTarget.dnsName) } }
      : {}),
  };
}

/** Name, type and set identifier: what makes a record set unique in its zone. */
export function recordSetKey(set: Pick<RecordSet, 'name' | 'type' | 'setIdentifier'>): string {
  return `${normaliseDnsName(set.name)}|${set.type.toUpperCase()}|${set.setIdentifier ?? ''}`;
}

/** True when two record sets hold the same values in every field Route 53 compares on DELETE. */
export function sameRecordSet(a: RecordSet, b: RecordSet): boolean {
  const x = normaliseRecordSet(a);
  const y = normaliseRecordSet(b);
  return (
    recordSetKey(x) === recordSetKey(y) &&
    x.ttl === y.ttl &&
    sameValues(x.values, y.values) &&
    x.weight === y.weight &&
    (x.multiValueAnswer ?? false) === (y.multiValueAnswer ?? false) &&
    x.failover === y.failover &&
    x.healthCheckId === y.healthCheckId &&
    x.aliasTarget?.hostedZoneId === y.aliasTarget?.hostedZoneId &&
    x.aliasTarget?.dnsName === y.aliasTarget?.dnsName &&
    x.aliasTarget?.evaluateTargetHealth === y.aliasTarget?.evaluateTargetHealth
  );
}

function sameValues(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const sortedB = [...b].sort();
  return [...a].sort().every((v, i) => v === sortedB[i]);
}
