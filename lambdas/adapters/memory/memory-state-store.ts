// In-memory state store with DynamoDB's semantics as the adapter uses them: versioned documents
// (compare-and-swap), expiry on read, leases with an owner and an expiry, and an audit log.
// One MemoryStateData shared by several stores plays one consistent table read from several regions;
// a MemoryGlobalTable instead gives each region its own replica, replicated last-writer-wins.
import { freezeDeep } from '../../domain/frozen';
import { StateConflictError } from '../../ports/errors';
import type { AuditEntry, StateStorePort, StoredDocument } from '../../ports/state-store.port';
import type { FaultInjector } from './faults';
import type { MemoryGlobalTable } from './memory-global-table';
import { type Lease, MemoryStateData, type StoredItem } from './memory-state-data';

export { MemoryStateData } from './memory-state-data';

/** Audit entries expire after this long, as the DynamoDB adapter's TTL does. */
export const AUDIT_RETENTION_MS = 30 * 24 * 3600 * 1000;

export interface MemoryStateStoreOptions {
  readonly now: () => Date;
  readonly faults?: FaultInjector;
  readonly data?: MemoryStateData;
  /** The region whose table replica this store calls; its darkness makes every call fail. */
  readonly region?: string;
  /** Replicated mode: this store calls `region`'s replica of this table (conditions see that replica only). */
  readonly table?: MemoryGlobalTable;
}

const itemKey = (namespace: string, name: string) => `${namespace}\u0000${name}`;

// What list hands out for each stored item. A write replaces the item, never changes it, so while the
// item is the same object its value is too (the adapter reuses a decode by the item's stored bytes).
const listedValues = new WeakMap<StoredItem, unknown>();

function listedValue(item: StoredItem): unknown {
  if (listedValues.has(item)) return listedValues.get(item);
  const value = freezeDeep(structuredClone(item.value));
  listedValues.set(item, value);
  return value;
}

export class MemoryStateStore implements StateStorePort {
  private readonly shared: MemoryStateData;
  private readonly now: () => Date;
  private readonly faults: FaultInjector | undefined;
  private readonly region: string | undefined;
  private readonly table: MemoryGlobalTable | undefined;

  constructor(options: MemoryStateStoreOptions) {
    if (options.table && options.region === undefined)
      throw new Error('a MemoryStateStore over a global table needs the region of its replica');
    this.now = options.now;
    this.faults = options.faults;
    this.shared = options.data ?? new MemoryStateData();
    this.region = options.region;
    this.table = options.table;
  }

  /** The data this store reads and writes: its region's replica in replicated mode. */
  get data(): MemoryStateData {
    return this.table ? this.table.replica(this.region as string) : this.shared;
  }

  /** A store over the same data (the same table), calling from another region. */
  forRegion(region: string): MemoryStateStore {
    return new MemoryStateStore({
      now: this.now,
      data: this.shared,
      region,
      ...(this.faults ? { faults: this.faults } : {}),
      ...(this.table ? { table: this.table } : {}),
    });
  }

  async get(namespace: string, name: string): Promise<StoredDocument<unknown> | undefined> {
    this.check('get', `${namespace}/${name}`);
    const item = this.live(itemKey(namespace, name));
    return item ? { namespace, name, value: structuredClone(item.value), version: item.version } : undefined;
  }

  /**
   * Every live document of the namespace, its value frozen all the way down and the same while the item
   * is unchanged, as the DynamoDB adapter's from an item's second read unchanged (it reuses a decode by
   * the item's stored bytes). Frozen from the first read here, so a test catches any reader that writes.
   */
  async list(namespace: string): Promise<StoredDocument<unknown>[]> {
    this.check('list', namespace);
    const prefix = itemKey(namespace, '');
    return [...this.data.documents.keys()]
      .filter((k) => k.startsWith(prefix))
      .sort()
      .flatMap((k) => {
        const item = this.live(k);
        return item
          ? [
              {
                namespace,
                name: k.slice(prefix.length),
                value: listedValue(item),
                version: item.version,
              },
            ]
          : [];
      });
  }

  async put<T>(
    namespace: string,
    name: string,
    value: T,
    expectedVersion: number,
    ttlSeconds?: number,
  ): Promise<number> {
    this.check('put', `${namespace}/${name}`);
    const k = itemKey(namespace, name);
    const stored = this.live(k)?.version ?? 0;
    if (stored !== expectedVersion) {
      throw new StateConflictError(
        `${namespace}/${name} is at version ${stored}, not ${expectedVersion}: someone else wrote it first; re-read and retry`,
      );
    }
    const item: StoredItem = {
      value: structuredClone(value),
      version: stored + 1,
      ...(ttlSeconds !== undefined ? { expiresAtMs: this.now().getTime() + ttlSeconds * 1000 } : {}),
      ...this.stamp(),
    };
    this.data.documents.set(k, item);
    this.table?.replicate(this.region as string, { kind: 'document', key: k, item });
    return item.version;
  }

  async acquireLease(name: string, owner: string, ttlMs: number): Promise<boolean> {
    this.check('acquireLease', name);
    const now = this.now().getTime();
    const current = this.data.leases.get(name);
    if (current && current.owner !== owner && current.expiresAtMs >= now) return false;
    this.setLease(name, { owner, expiresAtMs: now + ttlMs, ...this.stamp() });
    return true;
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    this.check('releaseLease', name);
    if (this.data.leases.get(name)?.owner === owner) this.setLease(name, { owner, expiresAtMs: 0, ...this.stamp() });
  }

  async appendAudit(entry: AuditEntry): Promise<void> {
    this.check('appendAudit', entry.resource);
    this.data.audit.push(structuredClone(entry));
    this.table?.replicate(this.region as string, { kind: 'audit', entry });
  }

  async listAudit(since?: string): Promise<AuditEntry[]> {
    this.check('listAudit', 'audit');
    const oldest = this.now().getTime() - AUDIT_RETENTION_MS;
    return this.data.audit
      .filter((e) => Date.parse(e.at) >= oldest && (since === undefined || e.at >= since))
      .sort((a, b) => (a.at === b.at ? a.id.localeCompare(b.id) : a.at.localeCompare(b.at)))
      .map((e) => structuredClone(e));
  }

  /** The item unless it has expired: an expired item reads as absent, as the DynamoDB adapter filters it. */
  private live(k: string): StoredItem | undefined {
    const item = this.data.documents.get(k);
    return item && (item.expiresAtMs === undefined || item.expiresAtMs > this.now().getTime()) ? item : undefined;
  }

  private setLease(name: string, lease: Lease): void {
    this.data.leases.set(name, lease);
    this.table?.replicate(this.region as string, { kind: 'lease', key: name, lease });
  }

  private stamp(): { writtenAtMs: number; writtenIn: string } {
    return { writtenAtMs: this.now().getTime(), writtenIn: this.region ?? '' };
  }

  private check(operation: string, resource: string): void {
    this.faults?.check(operation, resource, this.region);
  }
}
