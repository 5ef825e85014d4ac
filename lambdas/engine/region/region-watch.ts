// What the region watch remembers between cycles. Each checker keeps its own counts (only it writes
// them, so a last-writer-wins global table never loses an update); heartbeat alarms are one shared
// document written by the acting checker, so an outage is announced once.
import type { CheckerView } from '../../domain/health/types';
import type { RegionAssessment } from './region-evidence';

/** One checker's consecutive dark cycles and healthy-since time per region. */
export interface RegionWatch {
  readonly checker: string;
  readonly updatedAt: string;
  readonly darkCycles: Readonly<Record<string, number>>;
  /** ISO time since which every endpoint of the region has been HEALTHY from outside. */
  readonly healthySince: Readonly<Record<string, string>>;
}

export function advanceWatch(previous: RegionWatch | undefined, checker: string, assessments: readonly RegionAssessment[], now: Date): RegionWatch {
  const darkCycles: Record<string, number> = {};
  const healthySince: Record<string, string> = {};
  for (const a of assessments) {
    darkCycles[a.region] = a.dark ? (previous?.darkCycles[a.region] ?? 0) + 1 : 0;
    if (a.healthy) healthySince[a.region] = previous?.healthySince[a.region] ?? now.toISOString();
  }
  return { checker, updatedAt: now.toISOString(), darkCycles, healthySince };
}

/** Shared: which checkers' heartbeats are known missing (announced) and since when. */
export interface HeartbeatAlarms {
  /** When the guard started watching heartbeats: a checker never seen counts missing only after a stale period from here. */
  readonly watchingSince: string;
  readonly missing: Readonly<Record<string, { readonly since: string; readonly lastSeen?: string }>>;
}

export interface HeartbeatEvent {
  readonly checker: string;
  readonly kind: 'missing' | 'restored';
  /** The last heartbeat seen (absent: never seen). */
  readonly lastSeen?: string;
  readonly ageSeconds?: number;
}

export interface CheckerHeartbeat {
  readonly checker: string;
  readonly lastSeen?: string;
  readonly ageSeconds?: number;
  readonly live: boolean;
}

/** Every guard region's heartbeat, in guard order. */
export function heartbeats(guardCheckers: readonly string[], views: readonly CheckerView[], now: Date, staleSeconds: number): CheckerHeartbeat[] {
  return guardCheckers.map((checker) => {
    const view = views.find((v) => v.checker === checker);
    if (!view) return { checker, live: false };
    const ageSeconds = Math.max(0, Math.round((now.getTime() - Date.parse(view.at)) / 1000));
    return { checker, lastSeen: view.at, ageSeconds, live: now.getTime() - Date.parse(view.at) < staleSeconds * 1000 };
  });
}

/**
 * Heartbeats that went missing or came back since the alarms were last written; each outage is
 * announced once (missing) and closed once (restored).
 */
export function heartbeatEvents(
  previous: HeartbeatAlarms | undefined,
  beats: readonly CheckerHeartbeat[],
  now: Date,
  staleSeconds: number,
): { alarms: HeartbeatAlarms; events: HeartbeatEvent[] } {
  const watchingSince = previous?.watchingSince ?? now.toISOString();
  const graceOver = now.getTime() - Date.parse(watchingSince) >= staleSeconds * 1000;
  const missing: Record<string, { since: string; lastSeen?: string }> = {};
  const events: HeartbeatEvent[] = [];
  for (const beat of beats) {
    const known = previous?.missing[beat.checker];
    const isMissing = !beat.live && (beat.lastSeen !== undefined || graceOver);
    if (isMissing) {
      missing[beat.checker] = known ?? { since: now.toISOString(), ...(beat.lastSeen ? { lastSeen: beat.lastSeen } : {}) };
      if (!known) {
        events.push({
          checker: beat.checker,
          kind: 'missing',
          ...(beat.lastSeen ? { lastSeen: beat.lastSeen } : {}),
          ...(beat.ageSeconds !== undefined ? { ageSeconds: beat.ageSeconds } : {}),
        });
      }
    } else if (known && beat.live) {
      events.push({ checker: beat.checker, kind: 'restored', ...(beat.lastSeen ? { lastSeen: beat.lastSeen } : {}) });
    } else if (known) {
      missing[beat.checker] = known;
    }
  }
  return { alarms: { watchingSince, missing }, events };
}
