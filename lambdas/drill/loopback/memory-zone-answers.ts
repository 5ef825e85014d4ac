// The DNS server's view of the in-memory Route 53: what it would answer, read on every query.
import type { MemoryCloud } from '../../adapters/memory/memory-cloud';
import { normaliseDnsName } from '../../adapters/record-sets';
import type { ZoneAnswers } from './dns-server';

export function memoryZoneAnswers(cloud: MemoryCloud): ZoneAnswers {
  const setsNamed = (name: string) => {
    const wanted = normaliseDnsName(name);
    return cloud.zones().flatMap((zone) => zone.recordSets.filter((s) => s.name === wanted));
  };
  return {
    holds: (name) => setsNamed(name).length > 0,
    resolve: (name, type) => {
      const values = cloud.resolve(name, type);
      const ttls = setsNamed(name)
        .filter((s) => s.type === type.toUpperCase() && s.ttl !== undefined)
        .map((s) => s.ttl!);
      return { values, ttl: ttls.length > 0 ? Math.min(...ttls) : 0 };
    },
  };
}
