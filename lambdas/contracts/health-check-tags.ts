// Tags the construct puts on each region health check, by which `failover-guard attach` finds the
// guard's checks in the account (ListHealthChecks + ListTagsForResources): one source for both sides.

export const HealthCheckTag = {
  /** The topology's name: which guard the check belongs to. */
  topology: 'failover-guard:topology',
  /** The region the check judges: its record sets carry this check. */
  judgedRegion: 'failover-guard:judged-region',
  /** The region whose RegionDark alarm the check follows (the stack that holds it). */
  checkerRegion: 'failover-guard:checker-region',
} as const;
