import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Observation } from '../../../lambdas/domain/observation';
import { advanceAll, advanceHealth, initialHealth } from '../../../lambdas/domain/health/state-machine';
import {
  HealthStatus,
  type HealthTransition,
  type TargetHealth,
  type Thresholds,
} from '../../../lambdas/domain/health/types';
import { observation, observationsOf } from './observations';

const defaults: Thresholds = { failureThreshold: 3, recoveryThreshold: 2 };

/** Runs a whole sequence from a fresh target; returns every state and transition along the way. */
function replay(outcomes: readonly boolean[], thresholds: Thresholds, start?: TargetHealth) {
  let health = start;
  const states: TargetHealth[] = [];
  const transitions: (HealthTransition | undefined)[] = [];
  for (const obs of observationsOf('web-1', outcomes)) {
    const next = advanceHealth(health, obs, thresholds);
    health = next.health;
    states.push(next.health);
    transitions.push(next.transition);
  }
  return { states, transitions, final: health };
}

/** The counters a status allows: what "a valid state" means. */
function isConsistent(h: TargetHealth, t: Thresholds): boolean {
  switch (h.status) {
    case HealthStatus.HEALTHY:
      return h.consecutiveFailures === 0;
    case HealthStatus.SUSPECT:
      return h.consecutiveSuccesses === 0 && h.consecutiveFailures >= 1 && h.consecutiveFailures < t.failureThreshold;
    case HealthStatus.UNHEALTHY:
      return h.consecutiveSuccesses === 0 && h.consecutiveFailures >= 1;
    case HealthStatus.RECOVERING:
      return h.consecutiveFailures === 0 && h.consecutiveSuccesses >= 1 && h.consecutiveSuccesses < t.recoveryThreshold;
  }
}

const thresholdsArb = fc.record({
  failureThreshold: fc.integer({ min: 1, max: 6 }),
  recoveryThreshold: fc.integer({ min: 1, max: 6 }),
});
const outcomesArb = fc.array(fc.boolean(), { maxLength: 60 });
const downStatuses: readonly string[] = [HealthStatus.UNHEALTHY, HealthStatus.RECOVERING];

describe('advanceHealth', () => {
  it.each([
    { name: 'one failure makes a healthy target SUSPECT', outcomes: [false], expected: 'SUSPECT' },
    { name: 'failureThreshold failures make it UNHEALTHY', outcomes: [false, false, false], expected: 'UNHEALTHY' },
    { name: 'a success while SUSPECT makes it HEALTHY again', outcomes: [false, false, true], expected: 'HEALTHY' },
    {
      name: 'the first success after UNHEALTHY makes it RECOVERING',
      outcomes: [false, false, false, true],
      expected: 'RECOVERING',
    },
    {
      name: 'recoveryThreshold successes make it HEALTHY',
      outcomes: [false, false, false, true, true],
      expected: 'HEALTHY',
    },
    {
      name: 'a failure while RECOVERING makes it UNHEALTHY at once',
      outcomes: [false, false, false, true, false],
      expected: 'UNHEALTHY',
    },
    {
      name: 'interrupted failures never add up to UNHEALTHY',
      outcomes: [false, false, true, false, false, true, false, false],
      expected: 'SUSPECT',
    },
  ])('$name', ({ outcomes, expected }) => {
    // Act
    const { final } = replay(outcomes, defaults);
    // Assess
    expect(final?.status).toBe(expected);
  });

  it('goes straight to UNHEALTHY and straight back with thresholds of 1', () => {
    // Prepare
    const thresholds = { failureThreshold: 1, recoveryThreshold: 1 };
    // Act
    const { states, transitions } = replay([false, true], thresholds);
    // Assess
    expect(states.map((s) => s.status)).toEqual(['UNHEALTHY', 'HEALTHY']);
    expect(transitions.map((t) => t && `${t.from}->${t.to}`)).toEqual(['HEALTHY->UNHEALTHY', 'UNHEALTHY->HEALTHY']);
  });

  it('starts an unknown target HEALTHY and reports no transition while it stays so', () => {
    // Act
    const { health, transition } = advanceHealth(undefined, observation('web-1', true, 7), defaults);
    // Assess
    expect(health).toMatchObject({
      targetId: 'web-1',
      status: 'HEALTHY',
      consecutiveSuccesses: 1,
      consecutiveFailures: 0,
    });
    expect(transition).toBeUndefined();
  });

  it('records the transition with the observation that caused it and the time it happened', () => {
    // Act
    const { transitions, final } = replay([true, false, false, false], defaults);
    // Assess
    const toUnhealthy = transitions[3];
    expect(toUnhealthy).toMatchObject({
      targetId: 'web-1',
      from: 'SUSPECT',
      to: 'UNHEALTHY',
      at: '2025-01-01T00:00:03.000Z',
    });
    expect(toUnhealthy?.evidence.map((o) => [o.ok, o.at])).toEqual([[false, '2025-01-01T00:00:03.000Z']]);
    expect(final?.since).toBe('2025-01-01T00:00:03.000Z');
  });

  it('keeps the last observation as evidence only while the target is not HEALTHY', () => {
    // Act
    const failing = replay([true, true, false, false], defaults).final;
    const healthy = replay([true, true, false, false, true], defaults).final;
    // Assess
    expect(failing?.recent).toEqual([{ at: '2025-01-01T00:00:03.000Z', error: 'ECONNREFUSED' }]);
    expect(healthy?.recent).toEqual([]);
  });

  it('stays the same cycle after cycle while steadily HEALTHY (successes capped at recoveryThreshold)', () => {
    // Act
    const { states } = replay([true, true, true, true, true, true], defaults);
    // Assess
    expect(states.map((s) => s.consecutiveSuccesses)).toEqual([1, 2, 2, 2, 2, 2]);
    expect(states[5]).toEqual(states[2]);
  });
});

describe('advanceHealth properties', () => {
  it('never turns a target UNHEALTHY from up before failureThreshold consecutive failures', () => {
    fc.assert(
      fc.property(thresholdsArb, outcomesArb, (thresholds, outcomes) => {
        const { transitions } = replay(outcomes, thresholds);
        transitions.forEach((t, i) => {
          if (t?.to !== 'UNHEALTHY' || downStatuses.includes(t.from)) return;
          const window = outcomes.slice(i + 1 - thresholds.failureThreshold, i + 1);
          expect(i + 1).toBeGreaterThanOrEqual(thresholds.failureThreshold);
          expect(window.every((ok) => !ok)).toBe(true);
        });
      }),
    );
  });

  it('turns an up target UNHEALTHY as soon as failureThreshold consecutive failures arrive', () => {
    fc.assert(
      fc.property(thresholdsArb, outcomesArb, (thresholds, prefix) => {
        const { final } = replay([...prefix, ...Array<boolean>(thresholds.failureThreshold).fill(false)], thresholds);
        expect(final?.status).toBe('UNHEALTHY');
      }),
    );
  });

  it('never brings a down target back to HEALTHY before recoveryThreshold consecutive successes', () => {
    fc.assert(
      fc.property(thresholdsArb, outcomesArb, (thresholds, outcomes) => {
        const { transitions } = replay(outcomes, thresholds);
        transitions.forEach((t, i) => {
          if (t?.to !== 'HEALTHY' || !downStatuses.includes(t.from)) return;
          const window = outcomes.slice(i + 1 - thresholds.recoveryThreshold, i + 1);
          expect(window).toHaveLength(thresholds.recoveryThreshold);
          expect(window.every((ok) => ok)).toBe(true);
        });
      }),
    );
  });

  it('gives a valid state for any sequence: counters match the status, evidence is the last observation unless HEALTHY', () => {
    fc.assert(
      fc.property(thresholdsArb, outcomesArb, (thresholds, outcomes) => {
        const { states } = replay(outcomes, thresholds);
        states.forEach((state, i) => {
          expect(isConsistent(state, thresholds)).toBe(true);
          expect(state.recent.map((o) => o.error === undefined)).toEqual(
            state.status === 'HEALTHY' ? [] : [outcomes[i]],
          );
        });
      }),
    );
  });

  it('reports a transition exactly when the status changes', () => {
    fc.assert(
      fc.property(thresholdsArb, outcomesArb, (thresholds, outcomes) => {
        const { states, transitions } = replay(outcomes, thresholds);
        states.forEach((state, i) => {
          const before = i === 0 ? 'HEALTHY' : states[i - 1]!.status;
          expect(transitions[i] ? [transitions[i]!.from, transitions[i]!.to] : undefined).toEqual(
            before === state.status ? undefined : [before, state.status],
          );
        });
      }),
    );
  });

  it('keeps the state through a JSON round trip and continues from it the same way', () => {
    fc.assert(
      fc.property(thresholdsArb, outcomesArb, outcomesArb, (thresholds, first, second) => {
        const { final } = replay(first, thresholds);
        const stored: TargetHealth | undefined = final && JSON.parse(JSON.stringify(final));
        expect(stored).toEqual(final);
        expect(replay(second, thresholds, stored).final).toEqual(replay(second, thresholds, final).final);
      }),
    );
  });
});

describe('advanceAll', () => {
  it('folds each target’s observations in order, keeps unobserved targets and collects the transitions', () => {
    // Prepare
    const previous = { 'db-1': { ...initialHealth('db-1', '2025-01-01T00:00:00.000Z'), consecutiveSuccesses: 4 } };
    const observations: Observation[] = [
      observation('web-1', false, 1),
      observation('web-2', true, 1),
      observation('web-1', false, 2),
    ];
    const thresholdsFor = (targetId: string): Thresholds =>
      targetId === 'web-1' ? { failureThreshold: 2, recoveryThreshold: 1 } : defaults;
    // Act
    const { health, transitions } = advanceAll(previous, observations, thresholdsFor);
    // Assess
    expect(Object.keys(health).sort()).toEqual(['db-1', 'web-1', 'web-2']);
    expect(health['db-1']).toBe(previous['db-1']);
    expect(health['web-1']?.status).toBe('UNHEALTHY');
    expect(health['web-2']?.status).toBe('HEALTHY');
    expect(transitions.map((t) => `${t.targetId}:${t.from}->${t.to}`)).toEqual([
      'web-1:HEALTHY->SUSPECT',
      'web-1:SUSPECT->UNHEALTHY',
    ]);
  });

  it('does not change the previous health it was given', () => {
    // Prepare
    const previous = Object.freeze({ 'web-1': initialHealth('web-1', '2025-01-01T00:00:00.000Z') });
    // Act
    advanceAll(previous, [observation('web-1', false, 1)], () => defaults);
    // Assess
    expect(previous['web-1'].status).toBe('HEALTHY');
  });
});
