// A global table in its default mode (multi-Region eventual consistency), in memory: one data set per
// region's replica; a write lands on the replica it is sent to (its condition evaluated there only)
// and reaches the other replicas after the replication delay, where the later write wins (last writer
// wins, by write time, then region name). What MemoryStateStore uses in replicated mode.
import type { AuditEntry } from '../../ports/state-store.port';
import { type Lease, MemoryStateData, type StoredItem } from './memory-state-data';

export interface MemoryGlobalTableOptions {
  /** The replicas' regions. */
  readonly regions: readonly string[];
  /** How long a write takes to reach the other replicas. */
  readonly replicationDelayMs: number;
  readonly now: () => Date;
}

type Change =
  | { readonly kind: 'document'; readonly key: string; readonly item: StoredItem }
  | { readonly kind: 'lease'; readonly key: string; readonly lease: Lease }
  | { readonly kind: 'audit'; readonly entry: AuditEntry };

interface InFlight {
  readonly dueAtMs: number;
  readonly to: string;
  readonly change: Change;
}

/** Whether a write stamped (atMs, region) is later than one stamped `other`: last writer wins. */
function later(
  a: { writtenAtMs: number; writtenIn: string },
  b: { writtenAtMs: number; writtenIn: string } | undefined,
): boolean {
  if (!b) return true;
  // Within one millisecond one replica's writes arrive in the order they were made (the later wins).
  if (a.writtenAtMs !== b.writtenAtMs) return a.writtenAtMs > b.writtenAtMs;
  return a.writtenIn >= b.writtenIn;
}

export class MemoryGlobalTable {
  readonly regions: readonly string[];
  private readonly replicas = new Map<string, MemoryStateData>();
  private readonly inFlight: InFlight[] = [];
  private replicationDelayMs: number;
  private readonly now: () => Date;

  constructor(options: MemoryGlobalTableOptions) {
    this.regions = options.regions;
    this.replicationDelayMs = options.replicationDelayMs;
    this.now = options.now;
    for (const region of options.regions) this.replicas.set(region, new MemoryStateData());
  }

  /** The replica in `region`, with every replicated write that is due applied. */
  replica(region: string): MemoryStateData {
    const data = this.replicas.get(region);
    if (!data) throw new Error(`the state table has no replica in ${region}; replicas: ${this.regions.join(', ')}`);
    this.deliverDue();
    return data;
  }

  /** Changes the delay for writes made from now on (a slow or cut link between regions). */
  setReplicationDelay(ms: number): void {
    this.replicationDelayMs = ms;
  }

  /** Writes not yet on every replica. */
  get pending(): number {
    return this.inFlight.length;
  }

  /** Sends a write made on `from`'s replica to the others, arriving after the replication delay. */
  replicate(from: string, change: Change): void {
    const dueAtMs = this.now().getTime() + this.replicationDelayMs;
    for (const to of this.regions)
      if (to !== from) this.inFlight.push({ dueAtMs, to, change: structuredClone(change) });
  }

  /** Applies every write in flight now, whatever its delay (replication caught up). */
  settle(): void {
    this.deliver(() => true);
  }

  private deliverDue(): void {
    const nowMs = this.now().getTime();
    this.deliver((f) => f.dueAtMs <= nowMs);
  }

  private deliver(due: (f: InFlight) => boolean): void {
    const arriving = this.inFlight.filter(due).sort((a, b) => a.dueAtMs - b.dueAtMs);
    if (arriving.length === 0) return;
    const staying = this.inFlight.filter((f) => !due(f));
    this.inFlight.splice(0, this.inFlight.length, ...staying);
    for (const f of arriving) this.apply(this.replicas.get(f.to) as MemoryStateData, f.change);
  }

  private apply(data: MemoryStateData, change: Change): void {
    if (change.kind === 'audit') {
      if (!data.audit.some((e) => e.id === change.entry.id)) data.audit.push(change.entry);
    } else if (change.kind === 'document') {
      if (later(change.item, data.documents.get(change.key))) data.documents.set(change.key, change.item);
    } else if (later(change.lease, data.leases.get(change.key))) {
      data.leases.set(change.key, change.lease);
    }
  }
}
