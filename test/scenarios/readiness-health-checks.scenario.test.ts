// Readiness of data-plane failover: the sets of a record marked dataPlaneFailover must carry the guard's own
// region health check (found in the account by its tags), not just some check. Missing and foreign checks are
// not ready, told once, with how to fix; the guard's own is ready.
import { describe, expect, it } from 'vitest';
import { evaluateReadiness, gatherPlannerInput, type GuardContext } from '../../lambdas/engine';
import { AccessDeniedError } from '../../lambdas/ports/errors';
import type { Harness } from './engine-harness';
import {
  attachHealthChecks,
  editSet,
  expectToldOnce,
  period,
  readinessNotices,
  readyWorld,
  story,
} from './readiness-fixtures';

/** The marked world, with the checks both guard regions' stacks created (each judges the other region). */
function markedWorld(): Harness {
  const h = readyWorld({ dataPlaneFailover: true });
  h.cloud.healthChecks.add('shop', { id: 'hc-eu-west-1', judgedRegion: 'eu-west-1', checkerRegion: 'eu-central-1' });
  h.cloud.healthChecks.add('shop', { id: 'hc-eu-central-1', judgedRegion: 'eu-central-1', checkerRegion: 'eu-west-1' });
  return h;
}

/** The record-health-check rows a readiness cycle of `overrides` evaluates now. */
async function healthCheckRows(h: Harness, overrides: Partial<GuardContext> = {}) {
  const input = await gatherPlannerInput(h.context(overrides), 'plan-readiness', undefined, { certificates: {} });
  return evaluateReadiness({ planner: input, evidence: input.readiness! }).filter(
    (r) => r.rule === 'record-health-check',
  );
}

describe('readiness: record sets carry the guard’s own health checks', () => {
  it("the guard's own check on every set → ready, nothing told", async () => {
    const h = markedWorld();
    await attachHealthChecks(h);
    await period(h);
    expect(readinessNotices(h)).toEqual([]);
    expect((await healthCheckRows(h)).map((r) => [r.resource, r.ready, r.why])).toEqual([
      ['origin.shop.example.com [dub]', true, "carries the guard's health check hc-eu-west-1 for eu-west-1"],
      ['origin.shop.example.com [fra]', true, "carries the guard's health check hc-eu-central-1 for eu-central-1"],
    ]);
  });

  it('a set loses its check → not ready, told once, fix: attach --apply → attached again → ready', async () => {
    const h = markedWorld();
    const result = await story(
      h,
      () => editSet(h, 'fra', ({ healthCheckId: _dropped, ...s }) => s),
      () => editSet(h, 'fra', (s) => ({ ...s, healthCheckId: 'hc-eu-central-1' })),
    );
    expectToldOnce(result, 'record-health-check', 'origin.shop.example.com [fra]', /^no health check: Route 53 keeps/);
  });

  it("a set carries a foreign check → not ready: carries X, not the guard's Y, with the fix → the guard's back → ready", async () => {
    const h = markedWorld();
    await attachHealthChecks(h);
    await editSet(h, 'fra', (s) => ({ ...s, healthCheckId: 'hc-someone-else' }));
    const [, fra] = await healthCheckRows(h);
    expect(fra).toEqual({
      rule: 'record-health-check',
      resource: 'origin.shop.example.com [fra]',
      region: 'eu-central-1',
      ready: false,
      why: "carries health check hc-someone-else, not the guard's hc-eu-central-1 for eu-central-1: Route 53 fails this set over on that check, not on the guard's judgement",
      fix: 'remove hc-someone-else from the set, then failover-guard attach <config> --apply (attach never overwrites another check)',
    });
    const result = await story(
      h,
      () => editSet(h, 'fra', (s) => ({ ...s, healthCheckId: 'hc-someone-else' })),
      () => editSet(h, 'fra', (s) => ({ ...s, healthCheckId: 'hc-eu-central-1' })),
    );
    expectToldOnce(
      result,
      'record-health-check',
      'origin.shop.example.com [fra]',
      /^carries health check hc-someone-else, not/,
    );
  });

  it("this stack's own share comes from its environment; the other region's from the directory", async () => {
    // Prepare: the directory lists no check, the eu-west-1 stack knows its share (eu-central-1's check)
    const h = readyWorld({ dataPlaneFailover: true });
    await attachHealthChecks(h);
    // Act
    const rows = await healthCheckRows(h, { regionHealthChecks: { 'eu-central-1': 'hc-eu-central-1' } });
    // Assess
    expect(rows.map((r) => [r.resource, r.ready, r.why, r.fix])).toEqual([
      [
        'origin.shop.example.com [dub]',
        false,
        'carries health check hc-eu-west-1; no guard health check for eu-west-1 was found in the account',
        "deploy the guard's eu-central-1 stack (cdk deploy: it creates the check), then failover-guard attach <config> --apply",
      ],
      [
        'origin.shop.example.com [fra]',
        true,
        "carries the guard's health check hc-eu-central-1 for eu-central-1",
        undefined,
      ],
    ]);
  });

  it('Route 53 AccessDenied on the directory: "could not tell", not ready, and the cycle goes on', async () => {
    const h = markedWorld();
    await attachHealthChecks(h);
    const denied = new AccessDeniedError('ListHealthChecks', 'first page', new Error('not authorized'), 'Route 53');
    h.cloud.failNext('guardHealthChecks', 1, denied);
    const rows = await healthCheckRows(h);
    expect(rows.map((r) => [r.ready, r.why])).toEqual([
      [
        false,
        `carries health check hc-eu-west-1; could not tell whether it is the guard's: the guard's health checks could not be listed: ${denied.message}`,
      ],
      [
        false,
        `carries health check hc-eu-central-1; could not tell whether it is the guard's: the guard's health checks could not be listed: ${denied.message}`,
      ],
    ]);
    expect(rows[0]!.fix).toContain('route53:ListHealthChecks and route53:ListTagsForResources');
  });
});
