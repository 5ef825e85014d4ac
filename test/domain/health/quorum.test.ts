import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { liveCheckers, quorumVerdicts } from '../../../lambdas/domain/health/quorum';
import { initialHealth } from '../../../lambdas/domain/health/state-machine';
import { HealthStatus, type CheckerView } from '../../../lambdas/domain/health/types';

const now = new Date('2025-01-01T00:10:00.000Z');
const stale = 120;
const secondsAgo = (seconds: number) => new Date(now.getTime() - seconds * 1000).toISOString();

/** A checker's view where each target has the given status. */
function view(checker: string, statuses: Record<string, HealthStatus>, ageSeconds = 5): CheckerView {
  const health = Object.fromEntries(
    Object.entries(statuses).map(([targetId, status]) => [
      targetId,
      { ...initialHealth(targetId, secondsAgo(600)), status },
    ]),
  );
  return { checker, at: secondsAgo(ageSeconds), health };
}

const verdictOf = (views: CheckerView[], targetId = 'web-1') => quorumVerdicts(views, now, stale).get(targetId)?.status;

describe('liveCheckers', () => {
  it('keeps checkers whose heartbeat is younger than staleSeconds and drops the rest', () => {
    // Prepare
    const views = [
      view('eu-west-1', {}, 5),
      view('eu-central-1', {}, 119),
      view('us-east-1', {}, 120),
      view('ap-south-1', {}, 900),
    ];
    // Act
    const live = liveCheckers(views, now, stale);
    // Assess
    expect(live.map((v) => v.checker)).toEqual(['eu-west-1', 'eu-central-1']);
  });

  it('counts a heartbeat slightly in the future (clock skew) as live and an unreadable one as stale', () => {
    // Prepare
    const views = [view('eu-west-1', {}, -3), { ...view('eu-central-1', {}), at: 'yesterday' }];
    // Act
    const live = liveCheckers(views, now, stale);
    // Assess
    expect(live.map((v) => v.checker)).toEqual(['eu-west-1']);
  });

  it('does not keep a checker live forever when its clock ran a heartbeat staleSeconds or more into the future', () => {
    // Prepare: a dead checker whose clock was a day ahead would otherwise vote with its frozen view for a day
    const views = [view('eu-west-1', {}, -(stale - 1)), view('eu-central-1', {}, -86_400)];
    // Act
    const live = liveCheckers(views, now, stale);
    // Assess
    expect(live.map((v) => v.checker)).toEqual(['eu-west-1']);
  });
});

describe('quorumVerdicts', () => {
  it.each([
    { name: 'one checker alone decides UNHEALTHY for itself', statuses: ['UNHEALTHY'], expected: 'UNHEALTHY' },
    { name: 'one checker alone keeps a RECOVERING target down', statuses: ['RECOVERING'], expected: 'UNHEALTHY' },
    { name: 'one checker alone holds a SUSPECT target', statuses: ['SUSPECT'], expected: 'SUSPECT' },
    {
      name: 'one isolated checker cannot outvote two that see the target healthy',
      statuses: ['UNHEALTHY', 'HEALTHY', 'HEALTHY'],
      expected: 'HEALTHY',
    },
    { name: 'two of three down is UNHEALTHY', statuses: ['UNHEALTHY', 'RECOVERING', 'HEALTHY'], expected: 'UNHEALTHY' },
    { name: 'an even split holds', statuses: ['UNHEALTHY', 'HEALTHY'], expected: 'SUSPECT' },
    {
      name: 'a split with a recovering side holds as RECOVERING',
      statuses: ['RECOVERING', 'HEALTHY'],
      expected: 'RECOVERING',
    },
    {
      name: 'no majority healthy while some are suspect holds as SUSPECT',
      statuses: ['HEALTHY', 'SUSPECT', 'SUSPECT'],
      expected: 'SUSPECT',
    },
    {
      name: 'two of four down is not a majority',
      statuses: ['UNHEALTHY', 'UNHEALTHY', 'HEALTHY', 'HEALTHY'],
      expected: 'SUSPECT',
    },
  ])('$name', ({ statuses, expected }) => {
    // Prepare
    const views = statuses.map((status, i) => view(`checker-${i}`, { 'web-1': status as HealthStatus }));
    // Act + Assess
    expect(verdictOf(views)).toBe(expected);
  });

  it('does not let one network-isolated checker that sees everything down flip any target', () => {
    // Prepare
    const targets = ['web-1', 'web-2', 'nlb-1', 'db-primary'];
    const allHealthy = Object.fromEntries(targets.map((t) => [t, HealthStatus.HEALTHY]));
    const allDown = Object.fromEntries(targets.map((t) => [t, HealthStatus.UNHEALTHY]));
    const views = [view('eu-west-1', allDown), view('eu-central-1', allHealthy), view('us-east-1', allHealthy)];
    // Act
    const verdicts = quorumVerdicts(views, now, stale);
    // Assess
    expect([...verdicts.values()].map((v) => v.status)).toEqual(targets.map(() => 'HEALTHY'));
    expect(verdicts.get('db-primary')).toEqual({
      targetId: 'db-primary',
      status: 'HEALTHY',
      unhealthyVotes: ['eu-west-1'],
      healthyVotes: ['eu-central-1', 'us-east-1'],
    });
  });

  it('ignores stale checkers: the only live one decides alone', () => {
    // Prepare
    const views = [
      view('eu-west-1', { 'web-1': 'UNHEALTHY' }),
      view('eu-central-1', { 'web-1': 'HEALTHY' }, 600),
      view('us-east-1', { 'web-1': 'HEALTHY' }, 601),
    ];
    // Act + Assess
    expect(verdictOf(views)).toBe('UNHEALTHY');
  });

  it('counts only the checkers that report a target', () => {
    // Prepare
    const views = [
      view('eu-west-1', { 'web-1': 'UNHEALTHY', 'web-2': 'HEALTHY' }),
      view('eu-central-1', { 'web-2': 'HEALTHY' }),
    ];
    // Act
    const verdicts = quorumVerdicts(views, now, stale);
    // Assess
    expect(verdicts.get('web-1')).toMatchObject({
      status: 'UNHEALTHY',
      unhealthyVotes: ['eu-west-1'],
      healthyVotes: [],
    });
    expect(verdicts.get('web-2')).toMatchObject({ status: 'HEALTHY', healthyVotes: ['eu-west-1', 'eu-central-1'] });
  });

  it('gives no verdicts when no checker is live', () => {
    expect(quorumVerdicts([view('eu-west-1', { 'web-1': 'UNHEALTHY' }, 3600)], now, stale).size).toBe(0);
  });
});

const statusArb = fc.constantFrom(...Object.values(HealthStatus));

describe('quorumVerdicts properties', () => {
  it('an isolated minority never changes what an agreeing majority decides', () => {
    fc.assert(
      fc.property(
        statusArb,
        fc.integer({ min: 1, max: 5 }),
        fc.array(statusArb, { maxLength: 4 }),
        (majorityStatus, majoritySize, minorityStatuses) => {
          fc.pre(minorityStatuses.length < majoritySize);
          const majority = Array.from({ length: majoritySize }, (_, i) =>
            view(`major-${i}`, { 'web-1': majorityStatus }),
          );
          const minority = minorityStatuses.map((status, i) => view(`minor-${i}`, { 'web-1': status }));
          expect(verdictOf([...minority, ...majority])).toBe(verdictOf(majority));
        },
      ),
    );
  });

  it('is UNHEALTHY exactly when more than half of the live voters see the target down', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(statusArb, fc.boolean()), { minLength: 1, maxLength: 7 }), (checkers) => {
        const views = checkers.map(([status, live], i) =>
          view(`checker-${i}`, { 'web-1': status }, live ? 10 : 10_000),
        );
        const liveStatuses = checkers.filter(([, live]) => live).map(([status]) => status);
        const down = liveStatuses.filter((s) => s === 'UNHEALTHY' || s === 'RECOVERING').length;
        const verdict = verdictOf(views);
        if (liveStatuses.length === 0) expect(verdict).toBeUndefined();
        else expect(verdict === 'UNHEALTHY').toBe(down * 2 > liveStatuses.length);
      }),
    );
  });

  it('does not depend on the order the views are read in', () => {
    const viewsArb = fc
      .array(statusArb, { minLength: 1, maxLength: 7 })
      .map((statuses) => statuses.map((status, i) => view(`checker-${i}`, { 'web-1': status })));
    fc.assert(
      fc.property(
        viewsArb.chain((views) =>
          fc.tuple(fc.constant(views), fc.shuffledSubarray(views, { minLength: views.length })),
        ),
        ([views, shuffled]) => {
          expect(verdictOf(shuffled)).toBe(verdictOf(views));
        },
      ),
    );
  });
});
