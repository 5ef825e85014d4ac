// How long a failure can last before clients move: detection by the guard, then resolvers'
// caches expiring. Used by the audit to rank long TTLs and by the docs to explain them.
import type { CheckSettings } from '../config/schema';

/** Worst case until the guard acts: the failure starts just after a passing probe, then failureThreshold probes fail. */
export function detectionSeconds(checks: Pick<CheckSettings, 'intervalSeconds' | 'failureThreshold'>): number {
  return checks.intervalSeconds * checks.failureThreshold;
}

/** Worst case until every client has the new answer: detection, then the record's TTL in resolver caches. */
export function worstCaseFailoverSeconds(
  checks: Pick<CheckSettings, 'intervalSeconds' | 'failureThreshold'>,
  ttlSeconds: number,
): number {
  return detectionSeconds(checks) + ttlSeconds;
}

/** Seconds as a person reads them: "90 s", "6 min 30 s", "2 h 5 min". */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  const minutes = Math.floor((s % 3600) / 60);
  return `${Math.floor(s / 3600)} h${minutes ? ` ${minutes} min` : ''}`;
}
