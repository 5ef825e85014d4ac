// Reads that return the old value just after a write, as AWS's eventually consistent reads do: for a
// window after a change (Route 53 until the change is INSYNC, RDS after a promote, failover, stop or
// security-group change, ELB target health after a registration or health change) a read of the
// changed resource returns what it showed before the change. Timed on the cloud's clock.
// DynamoDB is not here: the guard reads with ConsistentRead, which is never stale in its replica.

/** The services whose reads lag their writes. */
export type StaleReadService = 'Route 53' | 'RDS' | 'Elastic Load Balancing';

interface Snapshot {
  readonly value: unknown;
  readonly untilMs: number;
}

export class StaleReads {
  private readonly windows = new Map<StaleReadService, number>();
  private readonly snapshots = new Map<string, Snapshot>();

  constructor(private readonly now: () => Date) {}

  /** For `windowMs` after each change of a resource of `service`, its reads show it as it was before; 0 turns it off (reads current at once). */
  set(service: StaleReadService, windowMs: number): void {
    if (windowMs > 0) {
      this.windows.set(service, windowMs);
      return;
    }
    this.windows.delete(service);
    for (const key of this.snapshots.keys()) if (key.startsWith(`${service}|`)) this.snapshots.delete(key);
  }

  /**
   * Called just before a change of `resource`: keeps what reads show (the state before the first
   * change of the window) until `windowMs` after this change.
   */
  changing(service: StaleReadService, resource: string, before: () => unknown): void {
    const windowMs = this.windows.get(service);
    if (windowMs === undefined) return;
    const now = this.now().getTime();
    const current = this.live(service, resource, now);
    this.snapshots.set(`${service}|${resource}`, {
      value: current ? current.value : structuredClone(before()),
      untilMs: now + windowMs,
    });
  }

  /** What a read of `resource` returns: the state before its last change while the window runs, else `current`. */
  read<T>(service: StaleReadService, resource: string, current: T): T {
    const snapshot = this.live(service, resource, this.now().getTime());
    return snapshot ? (structuredClone(snapshot.value) as T) : current;
  }

  private live(service: StaleReadService, resource: string, nowMs: number): Snapshot | undefined {
    const key = `${service}|${resource}`;
    const snapshot = this.snapshots.get(key);
    if (snapshot && snapshot.untilMs > nowMs) return snapshot;
    this.snapshots.delete(key);
    return undefined;
  }
}
