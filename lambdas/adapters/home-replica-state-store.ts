// The guard's state over a global table's replicas, so that compare-and-swap and leases mean something
// across regions. A global table in its default mode replicates last-writer-wins and evaluates a
// condition against the replica it is sent to only: two regions writing their own replica can both
// win. So every read and write that decides something (documents and leases) goes to ONE replica, the
// home: the first of `replicas` (the first guard region). When the home cannot be reached, the next
// replica in that order takes over; every checker uses the same order, so the takeover is
// deterministic. A replica that failed is passed over for `holdMs`, then tried first again.
// A failed write is not retried on another replica (it may have been applied): it throws, and the
// caller's next read-modify-write reads from the replica that answers. The audit log, append-only with
// unique keys, is written to and read from the local replica.
import { isUnreachable } from './aws/cloud-errors';
import type { AuditEntry, StateStorePort, StoredDocument } from '../ports/state-store.port';

export interface StateReplica {
  readonly region: string;
  readonly store: StateStorePort;
}

export interface HomeReplicaStateStoreOptions {
  /** Replicas in takeover order: the home first. */
  readonly replicas: readonly StateReplica[];
  /** This region's replica: the audit log. */
  readonly local: StateStorePort;
  readonly now: () => Date;
  /** How long a replica that failed is passed over. @default 60 000 ms */
  readonly holdMs?: number;
  /** Told when the deciding replica changes (takeover, or the home back). */
  readonly log?: (entry: Record<string, unknown>) => void;
}

export const DEFAULT_REPLICA_HOLD_MS = 60_000;

export class HomeReplicaStateStore implements StateStorePort {
  private readonly replicas: readonly StateReplica[];
  private readonly local: StateStorePort;
  private readonly now: () => Date;
  private readonly holdMs: number;
  private readonly log: ((entry: Record<string, unknown>) => void) | undefined;
  /** Region → until when (ms) it is passed over. */
  private readonly heldUntil = new Map<string, number>();
  private lastUsed: string | undefined;

  constructor(options: HomeReplicaStateStoreOptions) {
    if (options.replicas.length === 0)
      throw new Error("HomeReplicaStateStore needs at least one replica (the home region's)");
    this.replicas = options.replicas;
    this.local = options.local;
    this.now = options.now;
    this.holdMs = options.holdMs ?? DEFAULT_REPLICA_HOLD_MS;
    this.log = options.log;
  }

  /** The region of the replica that decides now: the first one not held. */
  decidingRegion(): string {
    return this.candidates()[0]!.region;
  }

  get(namespace: string, name: string): Promise<StoredDocument<unknown> | undefined> {
    return this.read((s) => s.get(namespace, name));
  }

  list(namespace: string): Promise<StoredDocument<unknown>[]> {
    return this.read((s) => s.list(namespace));
  }

  put<T>(namespace: string, name: string, value: T, expectedVersion: number, ttlSeconds?: number): Promise<number> {
    return this.write((s) => s.put(namespace, name, value, expectedVersion, ttlSeconds));
  }

  acquireLease(name: string, owner: string, ttlMs: number): Promise<boolean> {
    return this.write((s) => s.acquireLease(name, owner, ttlMs));
  }

  releaseLease(name: string, owner: string): Promise<void> {
    return this.write((s) => s.releaseLease(name, owner));
  }

  appendAudit(entry: AuditEntry): Promise<void> {
    return this.local.appendAudit(entry);
  }

  listAudit(since?: string): Promise<AuditEntry[]> {
    return this.local.listAudit(since);
  }

  /** Replicas not held first (in order), then the held ones (in order): with all held, the home is tried first. */
  private candidates(): StateReplica[] {
    const nowMs = this.now().getTime();
    const held = (r: StateReplica) => (this.heldUntil.get(r.region) ?? 0) > nowMs;
    return [...this.replicas.filter((r) => !held(r)), ...this.replicas.filter(held)];
  }

  /** Reads from the deciding replica, falling through to the next when one is unreachable. */
  private async read<R>(call: (store: StateStorePort) => Promise<R>): Promise<R> {
    let lastError: unknown;
    for (const replica of this.candidates()) {
      try {
        return await this.using(replica, call);
      } catch (error) {
        if (!isUnreachable(error)) throw error;
        lastError = error;
      }
    }
    throw lastError;
  }

  private async write<R>(call: (store: StateStorePort) => Promise<R>): Promise<R> {
    return this.using(this.candidates()[0]!, call);
  }

  private async using<R>(replica: StateReplica, call: (store: StateStorePort) => Promise<R>): Promise<R> {
    if (this.lastUsed !== replica.region) {
      this.log?.({ event: 'state.deciding-replica', region: replica.region, previous: this.lastUsed ?? null });
      this.lastUsed = replica.region;
    }
    try {
      const result = await call(replica.store);
      this.heldUntil.delete(replica.region);
      return result;
    } catch (error) {
      if (isUnreachable(error)) this.heldUntil.set(replica.region, this.now().getTime() + this.holdMs);
      throw error;
    }
  }
}
