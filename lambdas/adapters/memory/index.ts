// The in-memory cloud and its adapters.
export { awsError } from './faults';
export { MemoryCloud, type StateReplicationOptions } from './memory-cloud';
export { MemoryStateStore } from './memory-state-store';
export { targetIps } from './seed-from-topology';
export {} from './stale-reads';
