// Finding the guard's region health checks in the account (`failover-guard attach`): the construct tags each
// check with the topology, the region it judges and the region whose alarm it follows.

export interface GuardHealthCheck {
  readonly id: string;
  /** The region whose record sets carry it. */
  readonly judgedRegion: string;
  /** The region whose RegionDark alarm it follows: the stack that holds it. */
  readonly checkerRegion: string;
}

export interface HealthCheckDirectoryPort {
  /** Every health check tagged as a region health check of the guard of `topologyName`. */
  guardHealthChecks(topologyName: string): Promise<GuardHealthCheck[]>;
}
