// The AWS regions this build's SDK knows, from its own partition data (the table it resolves
// endpoints with): what `validate` checks a topology's region names against.
import { partition } from '@aws-sdk/core/client';
import type { RegionCatalog } from '../../domain/config/cross-field-checks';

/** A region the SDK's partition data lists by name carries a description; one it only pattern-matches does not. */
function listedPartition(region: string): string | undefined {
  const found = partition(region) as { name: string; description?: string };
  return found.description === undefined ? undefined : found.name;
}

// The partition data is reachable only through partition(), so the list is found by asking it about
// every name of the shape AWS gives regions.
const areas = ['us', 'eu', 'ap', 'sa', 'ca', 'me', 'af', 'il', 'mx', 'cn', 'us-gov', 'us-iso', 'us-isob', 'eusc-de'];
const directions = ['east', 'west', 'north', 'south', 'central', 'northeast', 'southeast', 'northwest', 'southwest'];

let knownRegions: readonly string[] | undefined;

function sdkRegions(): readonly string[] {
  knownRegions ??= areas.flatMap((area) =>
    directions
      .flatMap((direction) => Array.from({ length: 9 }, (_, i) => `${area}-${direction}-${i + 1}`))
      .filter((name) => listedPartition(name)),
  );
  return knownRegions;
}

export const sdkRegionCatalog: RegionCatalog = {
  partitionOf: listedPartition,
  get regions() {
    return sdkRegions();
  },
};
