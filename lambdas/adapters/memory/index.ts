// The in-memory cloud and its adapters.
export { awsError, FaultInjector } from './faults';
export { MemoryCloud, type MemoryCloudOptions, type StateReplicationOptions } from './memory-cloud';
export { MemoryDatabase, defaultDatabaseTimings, type DatabaseTimings, type InstanceFailure } from './memory-database';
export {
  MemoryDns,
  ROUTE53_CONTROL_PLANE_REGION,
  type DnsChangeRecord,
  type DnsChangeListener,
  type ZoneListing,
} from './memory-dns';
export { MemoryLoadBalancer } from './memory-load-balancer';
export { MemoryNotifier, MemoryOutbox, type PublishListener } from './memory-notifier';
export { AUDIT_RETENTION_MS, MemoryStateData, MemoryStateStore } from './memory-state-store';
export { MemoryGlobalTable } from './memory-global-table';
export { recordSetsFor, targetIps } from './seed-from-topology';
export { StaleReads, type StaleReadService } from './stale-reads';
