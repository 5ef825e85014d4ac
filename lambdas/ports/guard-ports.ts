// The five ports every cycle drives: AWS adapters in Lambda and the CLI, the memory cloud in tests and the drill.
import type { DatabasePort } from './database.port';
import type { DnsPort } from './dns.port';
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
