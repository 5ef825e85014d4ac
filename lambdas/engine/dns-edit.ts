// DNS edits as pure functions over the record sets just read: what one pull or restore turns the
// record into, and the compare-and-swap change batch over the WHOLE record (DELETE the exact set
// read, CREATE the new one, and re-write every other set unchanged, so the batch applies only if
// no set of the record changed since it was read).
import { normaliseDnsName, sameRecordSet } from '../ports/record-sets';
import type { DnsRecord } from '../domain/config/schema';
import type { RecordChange, RecordSet } from '../ports/dns.port';
import type { DnsEdit } from './types';

export interface EditResult {
  /** The record set as read (undefined when the edit creates it). */
  readonly before?: RecordSet;
  /** The record set after the edit (undefined when the edit deletes it). */
  readonly after?: RecordSet;
  /** The record's other sets as read: unchanged, but part of the compare-and-swap. */
  readonly others: readonly RecordSet[];
}

/** The record sets of one record that carry no set identifier (the ip-set shape). */
function plainSet(sets: readonly RecordSet[]): RecordSet | undefined {
  return sets.find((s) => s.setIdentifier === undefined);
}

export function setWithIdentifier(sets: readonly RecordSet[], setIdentifier: string): RecordSet | undefined {
  return sets.find((s) => s.setIdentifier === setIdentifier);
}

/**
 * Applies an edit to the record's current sets. Returns undefined when there is nothing to do
 * (already as wanted); throws when the edit cannot be made safely (it would empty the record).
 */
export function applyDnsEdit(
  record: Pick<DnsRecord, 'name' | 'type'>,
  sets: readonly RecordSet[],
  edit: DnsEdit,
): EditResult | undefined {
  if (edit.shape === 'ip-set') {
    const before = plainSet(sets);
    if (!before)
      throw new Error(`record ${record.name} ${record.type} has no record set to edit; the guard never creates it`);
    const present = edit.values.filter((v) => before.values.includes(v));
    if (edit.op === 'remove' ? present.length === 0 : present.length === edit.values.length) return undefined;
    const values =
      edit.op === 'remove'
        ? before.values.filter((v) => !edit.values.includes(v))
        : [...before.values, ...edit.values.filter((v) => !before.values.includes(v))];
    if (values.length === 0)
      throw new Error(
        `removing ${edit.values.join(', ')} would empty ${record.name} ${record.type}; refused (fail open)`,
      );
    return { before, after: { ...before, values }, others: otherSets(sets, before) };
  }
  if (edit.op === 'create') {
    const existing = setWithIdentifier(sets, edit.recordSet.setIdentifier ?? '');
    return existing ? undefined : { after: edit.recordSet, others: [...sets] };
  }
  const before = setWithIdentifier(sets, edit.setIdentifier);
  if (!before) return undefined;
  if (edit.op === 'delete') {
    if (sets.length <= 1)
      throw new Error(
        `deleting set "${edit.setIdentifier}" would empty ${record.name} ${record.type}; refused (fail open)`,
      );
    return { before, others: otherSets(sets, before) };
  }
  if (before.weight === edit.weight) return undefined;
  if (edit.weight === 0 && sets.every((s) => s === before || (s.weight ?? 0) === 0)) {
    throw new Error(
      `setting "${edit.setIdentifier}" to weight 0 would leave every weight 0 in ${record.name} ${record.type}, which Route 53 serves as an equal split over every set (the zero ones too); refused (fail open)`,
    );
  }
  return { before, after: { ...before, weight: edit.weight }, others: otherSets(sets, before) };
}

function otherSets(sets: readonly RecordSet[], edited: RecordSet): RecordSet[] {
  return sets.filter((s) => s !== edited);
}

/** The record sets after an edit's result, for planning the next edit of the same record. */
export function setsAfter(result: EditResult): RecordSet[] {
  return result.after ? [...result.others, result.after] : [...result.others];
}

/** The record after a batch applied to `sets`: its DELETEd sets gone, its CREATEd ones added. */
export function recordAfterBatch(sets: readonly RecordSet[], changes: readonly RecordChange[]): RecordSet[] {
  const deleted = changes.filter((c) => c.action === 'DELETE').map((c) => c.recordSet);
  return [
    ...sets.filter((s) => !deleted.some((d) => sameRecordSet(d, s))),
    ...changes.filter((c) => c.action !== 'DELETE').map((c) => c.recordSet),
  ];
}

/** True when two reads of a record hold the same sets, in any order. */
export function sameRecord(a: readonly RecordSet[], b: readonly RecordSet[]): boolean {
  return a.length === b.length && a.every((set) => b.some((other) => sameRecordSet(set, other)));
}

/**
 * One atomic batch: DELETE exactly what was read, CREATE what replaces it, and DELETE then CREATE
 * every other set of the record unchanged. Route 53 refuses a DELETE that does not match, so the
 * batch fails (and is re-planned) when any set of the record changed since it was read: a stale
 * plan, or another checker's edit of another set, can never take the record below minHealthy.
 */
export function casChanges(result: EditResult): RecordChange[] {
  return [
    ...(result.before ? [{ action: 'DELETE' as const, recordSet: result.before }] : []),
    ...result.others.flatMap((set) => [
      { action: 'DELETE' as const, recordSet: set },
      { action: 'CREATE' as const, recordSet: set },
    ]),
    ...(result.after ? [{ action: 'CREATE' as const, recordSet: result.after }] : []),
  ];
}

/** A writer CNAME pointing at `host`, replacing whatever was read (compare-and-swap, never a blind UPSERT). */
export function writerCnameEdit(
  current: readonly RecordSet[],
  name: string,
  ttl: number,
  host: string,
): EditResult | undefined {
  const before = current.find((s) => s.type === 'CNAME' && s.setIdentifier === undefined);
  if (before && before.values.length === 1 && normaliseDnsName(before.values[0] ?? '') === normaliseDnsName(host))
    return undefined;
  return {
    ...(before ? { before } : {}),
    after: { name: normaliseDnsName(name), type: 'CNAME', ttl, values: [host] },
    others: [],
  };
}
