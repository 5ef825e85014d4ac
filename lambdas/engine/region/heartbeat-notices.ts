// Missing checker heartbeats become warnings (once per outage, told by one checker for all); a
// heartbeat that returns after one was told is announced, and its notice cleared.
import { guardRegions } from '../../domain/config/targets';
import { alertNoticeKey } from '../state/guard-state';
import { RegionActionKind, type PlannerInput } from '../types';
import { chooseActor } from './actor';
import { heartbeats, runningSince } from './heartbeats';
import type { RegionPlan } from './runbook-actions';

const HEARTBEAT_NOTICE_PREFIX = 'checker.heartbeat.missing:';

export function planHeartbeats(input: PlannerInput, out: RegionPlan): void {
  const { topology } = input;
  const order = guardRegions(topology);
  const staleSeconds = topology.guard.heartbeatStaleSeconds;
  const now = new Date(input.now);
  const live = new Set(input.liveCheckers);
  const ownStart = runningSince(input.views.find((v) => v.checker === input.checker));
  const runningLongEnough = ownStart !== undefined && now.getTime() - ownStart.getTime() >= staleSeconds * 1000;
  for (const beat of heartbeats(order, input.views, now, staleSeconds)) {
    const key = `${HEARTBEAT_NOTICE_PREFIX}${beat.checker}`;
    if (chooseActor(order, live, beat.checker) !== input.checker) continue;
    // Raised by whichever checker reports; the engine publishes it once for all of them.
    const told = input.guardState.notices[alertNoticeKey(key)] !== undefined;
    if (!beat.live && (beat.lastSeen !== undefined || runningLongEnough)) {
      out.alerts.push({
        key,
        eventType: 'checker.heartbeat.missing',
        severity: 'warning',
        resource: `checker ${beat.checker}`,
        region: beat.checker,
        reason: beat.lastSeen
          ? `the ${beat.checker} checker has not written a heartbeat for ${beat.ageSeconds} s (last ${beat.lastSeen}, stale after ${staleSeconds} s); its votes no longer count. Check its Lambda's errors and logs in ${beat.checker}`
          : `the ${beat.checker} checker has never written a heartbeat; check that the guard is deployed there and its schedule runs`,
        details: {
          checker: beat.checker,
          ...(beat.lastSeen ? { lastSeen: beat.lastSeen, ageSeconds: beat.ageSeconds } : {}),
        },
      });
    } else if (beat.live && told) {
      out.actions.push({
        kind: RegionActionKind.HEARTBEAT_RESTORED,
        resource: `checker ${beat.checker}`,
        region: beat.checker,
        reason: `the ${beat.checker} checker writes heartbeats again (last ${beat.lastSeen})`,
        key,
        reportOnly: true,
        data: { checker: beat.checker, lastSeen: beat.lastSeen, noticeKey: key },
      });
    }
  }
}
