// The five ports every cycle drives (AWS adapters in Lambda and the CLI, the memory cloud in tests and the drill),
// and the read-only ones a readiness cycle adds.
import type { AccountInventoryPort } from './account-inventory.port';
import type { DatabasePort } from './database.port';
import type { DnsPort } from './dns.port';
import type { HealthCheckDirectoryPort } from './health-check-directory.port';
import type { LoadBalancerPort } from './load-balancer.port';
import type { NotifierPort } from './notifier.port';
import type { StateStorePort } from './state-store.port';

export interface GuardPorts {
  readonly dns: DnsPort;
  readonly database: DatabasePort;
  readonly loadBalancer: LoadBalancerPort;
  readonly notifier: NotifierPort;
  readonly store: StateStorePort;
}

/** The read-only ports of the readiness cycle's extra reads. */
export interface ReadinessReadPorts {
  /**
   * The instances registered in the topology's target groups (EC2 DescribeInstances, by id).
   * @default - none (the Lambda checker: the EC2 client would take its bundle over 1 MB): instance targets are not judged
   */
  readonly inventory?: Pick<AccountInventoryPort, 'listInstancesById'>;
  /** The guard's region health checks, by their tags (Route 53 ListHealthChecks, ListTagsForResources). */
  readonly healthChecks: HealthCheckDirectoryPort;
}
