// State store port: versioned documents (compare-and-swap), leases and an audit log.
// The DynamoDB adapter keeps them in one table: pk = namespace, sk = name.

export interface StoredDocument<T> {
  readonly namespace: string;
  readonly name: string;
  readonly value: T;
  /** Incremented by every write; 0 means "not stored yet" in put's expectedVersion. */
  readonly version: number;
}

export interface AuditEntry {
  readonly id: string;
  /** ISO-8601. */
  readonly at: string;
  readonly checker: string;
  readonly planId?: string;
  readonly action: string;
  readonly resource: string;
  readonly outcome: 'applied' | 'planned' | 'skipped' | 'failed';
  readonly reason: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface StateStorePort {
  /** The document as stored: its value is unknown until the reader checks it (engine/state/stored-documents). */
  get(namespace: string, name: string): Promise<StoredDocument<unknown> | undefined>;
  /** Every document of a namespace, unchecked like get's. */
  list(namespace: string): Promise<StoredDocument<unknown>[]>;
  /**
   * Writes only when the stored version is expectedVersion (0: must not exist yet); otherwise throws
   * StateConflictError and writes nothing. Returns the new version. ttlSeconds sets an expiry.
   */
  put<T>(namespace: string, name: string, value: T, expectedVersion: number, ttlSeconds?: number): Promise<number>;
  /** True when this owner now holds the lease (free, expired, or already its own); renews it. */
  acquireLease(name: string, owner: string, ttlMs: number): Promise<boolean>;
  releaseLease(name: string, owner: string): Promise<void>;
  /** Appends to the audit log; entries expire after the store's retention. */
  appendAudit(entry: AuditEntry): Promise<void>;
  /** Audit entries at or after `since` (ISO), oldest first. */
  listAudit(since?: string): Promise<AuditEntry[]>;
}
