// The drill's timeline: every fault injected, health change detected, action taken, notification
// published and outcome verified, stamped with the time since the drill started.
import type { HealthStatus } from '../domain/health/types';
import type { Notification } from '../ports/notifier.port';

export type TimelineKind =
  | 'scenario'
  | 'fault'
  | 'operator'
  | 'detected'
  | 'action'
  | 'notification'
  | 'verified'
  | 'failed'
  | 'info';

export interface TimelineEvent {
  /** Milliseconds since the drill started. */
  readonly atMs: number;
  readonly kind: TimelineKind;
  readonly text: string;
  /** The checker region that saw or did it, when one did. */
  readonly checker?: string;
  /** The published notification, for kind "notification". */
  readonly notification?: Notification;
}

/** One target's status in one checker's view, for the live view's health table. */
export interface TargetStatus {
  readonly targetId: string;
  readonly region: string;
  readonly role: string;
  readonly byChecker: Readonly<Record<string, HealthStatus | undefined>>;
}

export type TimelineListener = (event: TimelineEvent) => void;

export class Timeline {
  readonly events: TimelineEvent[] = [];
  private readonly listeners = new Set<TimelineListener>();
  private readonly startedMs: number;

  constructor(startedMs: number = Date.now()) {
    this.startedMs = startedMs;
  }

  /** Milliseconds since the drill started. */
  elapsedMs(): number {
    return Date.now() - this.startedMs;
  }

  add(kind: TimelineKind, text: string, extra: { checker?: string; notification?: Notification } = {}): TimelineEvent {
    const event: TimelineEvent = { atMs: this.elapsedMs(), kind, text, ...extra };
    this.events.push(event);
    for (const listener of this.listeners) listener(event);
    return event;
  }

  onEvent(listener: TimelineListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
