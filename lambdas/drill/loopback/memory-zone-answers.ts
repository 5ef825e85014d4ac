// The DNS server's view of the in-memory Route 53: what it would answer, read on every query.
import type { MemoryCloud } from '../../adapters/memory';
import { normaliseDnsName } from '../../ports/record-sets';
import type { ZoneAnswers } from './dns-server';

/**
 * The apex of a zone known only by its id: the labels every name in it ends with. A zone whose
 * records share one name (or one record) is taken to be that name's parent, as a zone is rarely a host.
 */
export function zoneApex(names: readonly string[]): string | undefined {
  const labelLists = names.map((n) => normaliseDnsName(n).split('.').reverse());
  const [first, ...rest] = labelLists;
  if (!first) return undefined;
  let shared = 0;
  while (shared < first.length && rest.every((labels) => labels[shared] === first[shared])) shared += 1;
  const apexLabels = first.slice(0, shared);
  if (labelLists.some((labels) => labels.length === apexLabels.length) && apexLabels.length > 2) apexLabels.pop();
  return apexLabels.length > 0 ? apexLabels.reverse().join('.') : undefined;
}

const within = (name: string, apex: string) => name === apex || name.endsWith(`.${apex}`);

export function memoryZoneAnswers(cloud: MemoryCloud): ZoneAnswers {
  const setsNamed = (name: string) => {
    const wanted = normaliseDnsName(name);
    return cloud.zones().flatMap((zone) => zone.recordSets.filter((s) => s.name === wanted));
  };
  return {
    holds: (name) => setsNamed(name).length > 0,
    zoneOf: (name) => {
      const wanted = normaliseDnsName(name);
      const apexes = cloud.zones().flatMap((zone) => zoneApex(zone.recordSets.map((s) => s.name)) ?? []);
      // The most specific zone wins, as delegation would have it.
      return apexes.filter((apex) => within(wanted, apex)).sort((a, b) => b.length - a.length)[0];
    },
    resolve: (name, type) => {
      const values = cloud.resolve(name, type);
      const ttls = setsNamed(name).flatMap((s) =>
        s.type === type.toUpperCase() && s.ttl !== undefined ? [s.ttl] : [],
      );
      return { values, ttl: ttls.length > 0 ? Math.min(...ttls) : 0 };
    },
  };
}
