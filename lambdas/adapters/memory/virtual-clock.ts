// The in-memory cloud's clock: the base clock plus every advance, and timers on it. A call that takes
// time (injected latency), a call that never answers and a cycle's deadline all wait on this clock,
// never in real time: when a call is waiting and nothing else can run (every promise settled), the
// clock jumps to the earliest timer and fires it. A test of a minute-long hang takes milliseconds and
// does not depend on the machine's load.
import { DeadlineExceededError } from '../../ports/deadline';

interface Timer {
  readonly atMs: number;
  readonly fire: () => void;
}

export class VirtualClock {
  private offsetMs = 0;
  private timers: Timer[] = [];
  /** Calls waiting on this clock (a latency, a hang); the clock jumps only while one is. */
  private waiting = 0;
  private idleCheck: ReturnType<typeof setImmediate> | undefined;

  constructor(private readonly base: () => Date) {}

  readonly now = (): Date => new Date(this.base().getTime() + this.offsetMs);

  /** Moves the clock forward, firing the timers that fall due on the way. */
  advance(ms: number): void {
    this.offsetMs += ms;
    this.fireDue();
  }

  /** Resolves once the clock has moved `ms` further. */
  sleep(ms: number): Promise<void> {
    this.waiting += 1;
    return new Promise((resolve) =>
      this.at(this.now().getTime() + ms, () => {
        this.waiting -= 1;
        resolve();
      }),
    );
  }

  /** Never settles until `signal` (the caller's deadline) aborts, then rejects with its reason. Without a signal: never. */
  hang(signal: AbortSignal | undefined): Promise<never> {
    return new Promise((_, reject) => {
      if (!signal) return;
      this.waiting += 1;
      signal.addEventListener(
        'abort',
        () => {
          this.waiting -= 1;
          reject(signal.reason);
        },
        { once: true },
      );
      this.wakeWhenIdle();
    });
  }

  /** A deadline on this clock: aborts with a DeadlineExceededError `ms` from now (the engine's startDeadline). */
  readonly deadlineAfter = (ms: number, what: string): AbortSignal => {
    const controller = new AbortController();
    this.at(this.now().getTime() + ms, () =>
      controller.abort(new DeadlineExceededError(`no answer within the ${what} of ${ms / 1000} s`)),
    );
    return controller.signal;
  };

  private at(atMs: number, fire: () => void): void {
    this.timers.push({ atMs, fire });
    this.wakeWhenIdle();
  }

  private wakeWhenIdle(): void {
    this.idleCheck ??= setImmediate(() => this.onIdle());
  }

  private fireDue(): void {
    const now = this.now().getTime();
    const due = this.timers.filter((t) => t.atMs <= now);
    this.timers = this.timers.filter((t) => t.atMs > now);
    for (const timer of due) timer.fire();
  }

  /** Nothing else ran before this: while a call waits, jump to the earliest timer, fire what is due, look again. */
  private onIdle(): void {
    this.idleCheck = undefined;
    if (this.waiting === 0 || this.timers.length === 0) return;
    const earliest = Math.min(...this.timers.map((t) => t.atMs));
    this.offsetMs += Math.max(0, earliest - this.now().getTime());
    this.fireDue();
    this.wakeWhenIdle();
  }
}
