// The DNS server's view of the in-memory Route 53: what it would answer, read on every query.
import type { MemoryCloud } from '../../adapters/memory/memory-cloud';
import { zoneApex } from '../../adapters/memory/zone-apex';
import { normaliseDnsName } from '../../ports/record-sets';
import type { ZoneAnswers } from './dns-server';

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
