// Exactly one checker acts on a dark region: a cross-region lease over a last-writer-wins global
// table is no lock, so the actor is chosen deterministically from what every checker can see.

/**
 * The first guard region (in guardRegions order) that is live and outside the dark region;
 * undefined when no checker outside it is live.
 */
export function chooseActor(
  guardOrder: readonly string[],
  live: ReadonlySet<string>,
  darkRegion: string,
): string | undefined {
  return guardOrder.find((region) => region !== darkRegion && live.has(region));
}

/** Whether `checker` is the one that acts on `darkRegion`; others only observe. */
export function isActor(
  checker: string,
  guardOrder: readonly string[],
  live: ReadonlySet<string>,
  darkRegion: string,
): boolean {
  return chooseActor(guardOrder, live, darkRegion) === checker;
}
