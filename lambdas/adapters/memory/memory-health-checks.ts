// In-memory Route 53 health check directory: the guard's region health checks, as the construct creates and
// tags them (one per judged region per guard region's stack), found by the topology they are tagged with.
import type { GuardHealthCheck, HealthCheckDirectoryPort } from '../../ports/health-check-directory.port';
import type { FaultInjector } from './faults';
import { ROUTE53_CONTROL_PLANE_REGION } from './memory-dns';

export class MemoryHealthCheckDirectory implements HealthCheckDirectoryPort {
  private readonly checks: { readonly topologyName: string; readonly check: GuardHealthCheck }[] = [];

  constructor(private readonly faults: FaultInjector) {}

  /** A region health check of the guard of `topologyName`, as a deployed stack leaves it in the account. */
  add(topologyName: string, check: GuardHealthCheck): void {
    this.checks.push({ topologyName, check: { ...check } });
  }

  async guardHealthChecks(topologyName: string): Promise<GuardHealthCheck[]> {
    this.faults.check('guardHealthChecks', topologyName, ROUTE53_CONTROL_PLANE_REGION);
    return this.checks.filter((c) => c.topologyName === topologyName).map((c) => ({ ...c.check }));
  }
}
