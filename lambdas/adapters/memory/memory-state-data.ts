// The data of one state table replica in memory: versioned documents, leases and the audit log, each
// write stamped with when and in which region it was made (what last-writer-wins replication compares).
import type { AuditEntry } from '../../ports/state-store.port';

interface WriteStamp {
  readonly writtenAtMs: number;
  /** The region whose replica took the write ('' for a store not bound to a region). */
  readonly writtenIn: string;
}

export interface StoredItem extends WriteStamp {
  readonly value: unknown;
  readonly version: number;
  readonly expiresAtMs?: number;
}

/** A released lease is stored expired (expiresAtMs 0), so its release replicates like any write. */
export interface Lease extends WriteStamp {
  readonly owner: string;
  readonly expiresAtMs: number;
}

export class MemoryStateData {
  readonly documents = new Map<string, StoredItem>();
  readonly leases = new Map<string, Lease>();
  readonly audit: AuditEntry[] = [];
}
