// What `discover` tells beside its draft: what it read, each guess to check, what it could not map or
// read, and on a merge what it added and what the file names that the account no longer holds.
import type { DraftNotes } from './draft-endpoints';
import type { AccountInventory } from './read-inventory';

export interface DiscoveryReport {
  readonly inventory: AccountInventory;
  readonly notes: DraftNotes;
  /** On a merge: each addition to the existing file. */
  readonly added?: readonly string[];
  /** On a merge: what the file names that is not in the account (kept in the file). */
  readonly gone?: readonly string[];
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

function readLine(inventory: AccountInventory): string {
  const zones = inventory.zones;
  const sets = (zones ?? []).reduce((sum, z) => sum + z.recordSets.length, 0);
  const parts = [zones ? `${plural(zones.length, 'hosted zone')} (${plural(sets, 'record set')})` : 'no hosted zone'];
  for (const r of inventory.regions) {
    const count = (list: readonly unknown[] | undefined, noun: string) =>
      list === undefined ? `${noun}s unread` : plural(list.length, noun);
    parts.push(
      `${r.region}: ${[
        count(r.loadBalancers, 'load balancer'),
        count(r.instances, 'instance'),
        count(r.dbInstances, 'DB instance'),
        count(r.dbClusters, 'DB cluster'),
      ].join(', ')}`,
    );
  }
  return `read: ${parts.join('; ')}`;
}

function section(title: string, lines: readonly string[] | undefined): string[] {
  return lines && lines.length > 0 ? [title, ...lines.map((l) => `  - ${l}`)] : [];
}

export function formatDiscoveryReport(report: DiscoveryReport): string {
  const unread = report.inventory.unread.map(
    (u) => `${u.service} ${u.region === 'global' ? '' : `in ${u.region} `}could not be read: ${u.reason}`,
  );
  return `${[
    readLine(report.inventory),
    ...section('guesses (check each):', report.notes.guesses),
    ...section('not mapped:', report.notes.unmapped),
    ...section(
      'could not read (the rest is drafted; discover --print-policy prints the permissions it needs):',
      unread,
    ),
    ...section('added to the existing topology:', report.added),
    ...section('gone from the account (kept in the file; delete what is gone for good):', report.gone),
  ].join('\n')}\n`;
}
