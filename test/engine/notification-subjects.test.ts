import { describe, expect, it } from 'vitest';
import { buildNotification, type Headline } from '../../lambdas/domain/notifications/notification-builder';
import {
  actionHeadline,
  alertHeadline,
  SUBJECT_EVENT_TYPES,
} from '../../lambdas/engine/executors/notification-subjects';
import {
  RegionActionKind,
  type ActionOutcome,
  type PlanAlert,
  type PlannedAction,
  type RegionAction,
} from '../../lambdas/engine/types';
import type { Severity } from '../../lambdas/ports/notifier.port';
import { RegionHarness } from './region/region-harness';
import { PRIMARY, regionTopology } from './region/fixtures';

const LONG_NAME = `${'checkout-api-blue-green-canary-'.repeat(6)}origin.shop.example.com`;
const ARN = 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/web-dub/0123456789abcdef';

const base = { region: 'eu-west-1', reason: 'why', key: 'k' };
const dns = (kind: 'dns.pull' | 'dns.restore', record = 'origin.shop.example.com'): PlannedAction => ({
  ...base,
  kind,
  recordId: 'origin',
  endpoint: 'web-dub-a',
  resource: `${record} A [dub-a]`,
  edit: { shape: 'ip-set', op: 'remove', values: ['10.0.0.1'] },
  planned: [],
});
const attach: PlannedAction = {
  ...base,
  kind: 'dns.attach-health-check',
  resource: 'origin.shop.example.com A',
  recordId: 'origin',
  setIdentifier: 'fra-a',
  healthCheckId: 'hc-1',
  before: {
    name: 'origin.shop.example.com',
    type: 'A',
    ttl: 30,
    values: ['10.0.0.1'],
    setIdentifier: 'fra-a',
    weight: 100,
  },
  after: {
    name: 'origin.shop.example.com',
    type: 'A',
    ttl: 30,
    values: ['10.0.0.1'],
    setIdentifier: 'fra-a',
    weight: 100,
    healthCheckId: 'hc-1',
  },
};
const database = {
  ...base,
  resource: 'orders',
  databaseId: 'orders',
  runbookId: 'database-failover-orders-orders-dub-primary-1',
  oldPrimary: 'orders-dub-primary',
};
const redundancy = (replicas: string[]) =>
  ({ replicas, notCounted: [], lowered: false }) as unknown as Extract<
    PlannedAction,
    { kind: 'database.repoint-writer' }
  >['redundancy'];
// Only the subject facts of the data are read for a subject (a create action's runbook is left out here).
const region = (kind: RegionAction['kind'], data: Record<string, unknown>): PlannedAction =>
  ({
    ...base,
    kind,
    resource: 'region eu-west-1',
    region: 'eu-central-1',
    runbookId: 'failover-eu-west-1-1',
    data: { runbookId: 'failover-eu-west-1-1', ...data },
  }) as unknown as PlannedAction;
const failover = (n: number) => ({
  flow: 'failover',
  fromRegion: 'eu-west-1',
  toRegion: 'eu-central-1',
  stepNumber: n,
  stepCount: 5,
});
const failback = (n: number) => ({
  flow: 'failback',
  fromRegion: 'eu-central-1',
  toRegion: 'eu-west-1',
  stepNumber: n,
  stepCount: 4,
});
const alert = (
  eventType: PlanAlert['eventType'],
  severity: Severity,
  resource: string,
  extra: Partial<PlanAlert> = {},
): PlanAlert => ({
  key: eventType,
  eventType,
  severity,
  resource,
  reason: 'why',
  ...extra,
});

const subject = (what: Headline, severity: Severity, dryRun = false): string =>
  buildNotification({
    eventType: 'e',
    severity,
    system: 'shop',
    headline: what,
    resource: 'r',
    reason: 'why',
    dryRun,
    at: '2026-01-01T00:00:00.000Z',
  }).subject;

// [event type, outcome, severity the engine gives it, action, expected subject]
const ACTIONS: [string, ActionOutcome, Severity, PlannedAction, string][] = [
  [
    'dns.pull',
    'applied',
    'warning',
    dns('dns.pull'),
    '[WARNING] shop: pull web-dub-a from origin.shop.example.com A [dub-a]',
  ],
  [
    'dns.restore',
    'applied',
    'info',
    dns('dns.restore'),
    '[INFO] shop: restore web-dub-a to origin.shop.example.com A [dub-a]',
  ],
  [
    'dns.attach-health-check',
    'applied',
    'warning',
    attach,
    '[WARNING] shop: eu-west-1 health check on fra-a of origin.shop.example.com A',
  ],
  [
    'dns.attach-health-check.failed',
    'failed',
    'critical',
    attach,
    '[CRITICAL] shop: FAILED: put eu-west-1 health check on fra-a of origin.shop.example.com A',
  ],
  [
    'dns.restore.skipped',
    'skipped',
    'warning',
    dns('dns.restore'),
    '[WARNING] shop: held: restore web-dub-a to origin.shop.example.com A [dub-a]',
  ],
  [
    'dns.pull.failed',
    'failed',
    'critical',
    dns('dns.pull'),
    '[CRITICAL] shop: FAILED: pull web-dub-a from origin.shop.example.com A [dub-a]',
  ],
  [
    'dns.pull with a very long record name',
    'applied',
    'warning',
    dns('dns.pull', LONG_NAME),
    '[WARNING] shop: pull web-dub-a from checkout-api-blue-green-canary...gin.shop.example.com A [dub-a]',
  ],
  [
    'database.promote',
    'applied',
    'warning',
    {
      ...database,
      kind: 'database.promote',
      startsRunbook: true,
      candidate: 'orders-dub-replica',
      method: 'promote-read-replica',
      allowDataLoss: false,
      rejected: [],
    },
    '[WARNING] shop: promote orders-dub-replica for database orders',
  ],
  [
    'database.repoint-writer',
    'applied',
    'warning',
    {
      ...database,
      kind: 'database.repoint-writer',
      newPrimary: 'orders-dub-replica',
      host: 'h',
      redundancy: redundancy([]),
    },
    '[WARNING] shop: orders writer -> orders-dub-replica; 0 replica(s) of it left',
  ],
  [
    'database.abandon',
    'applied',
    'critical',
    { ...database, kind: 'database.abandon' },
    '[CRITICAL] shop: give up failover of database orders',
  ],
  [
    'database.fence',
    'applied',
    'warning',
    {
      ...base,
      kind: 'database.fence',
      resource: 'orders',
      databaseId: 'orders',
      member: 'orders-dub-primary',
      identifier: 'orders-primary',
      mode: 'stop',
      step: 'apply',
    },
    '[WARNING] shop: fencing old primary orders-dub-primary of orders (stop)',
  ],
  [
    'load-balancer.targets-unhealthy',
    'applied',
    'warning',
    {
      ...base,
      kind: 'load-balancer.targets-unhealthy',
      resource: ARN,
      targetGroupArn: ARN,
      unhealthy: ['i-1:80 unhealthy', 'i-2:80 unhealthy'],
      reported: [],
    },
    '[WARNING] shop: 2 unhealthy target(s) in web-dub',
  ],
  [
    'load-balancer.targets-recovered',
    'applied',
    'info',
    {
      ...base,
      kind: 'load-balancer.targets-recovered',
      resource: ARN,
      targetGroupArn: ARN,
      unhealthy: [],
      reported: ['i-1:80 unhealthy'],
    },
    '[INFO] shop: targets healthy again in web-dub',
  ],
  [
    'readiness.lost',
    'applied',
    'warning',
    {
      ...base,
      kind: 'readiness.lost',
      resource: 'shop',
      notReady: [
        { rule: 'database-replica', resource: 'orders', why: 'lag 45s is over maxLagSeconds 30' },
        { rule: 'certificate', resource: 'lb-fra', why: 'expires in 3 day(s)' },
      ],
      reported: [],
    },
    '[WARNING] shop: not ready for failover: 2 check(s) fail (database-replica orders)',
  ],
  [
    'readiness.restored',
    'applied',
    'info',
    {
      ...base,
      kind: 'readiness.restored',
      resource: 'shop',
      notReady: [],
      reported: [{ rule: 'database-replica', resource: 'orders', why: 'lag 45s is over maxLagSeconds 30' }],
    },
    '[INFO] shop: ready for failover again: every readiness check passes',
  ],
  [
    RegionActionKind.REQUEST_APPROVAL,
    'applied',
    'warning',
    region(RegionActionKind.REQUEST_APPROVAL, { flow: 'failover', fromRegion: 'eu-west-1', toRegion: 'eu-central-1' }),
    '[WARNING] shop: region eu-west-1 is dark; failover to eu-central-1 waits for approval',
  ],
  [
    RegionActionKind.START,
    'applied',
    'warning',
    region(RegionActionKind.START, failover(1)),
    '[WARNING] shop: region failover eu-west-1 -> eu-central-1 started (step 1/5)',
  ],
  [
    RegionActionKind.START,
    'planned',
    'info',
    region(RegionActionKind.START, failover(1)),
    '[INFO] shop: plan: start region failover eu-west-1 -> eu-central-1 (step 1/5)',
  ],
  [
    RegionActionKind.CANCEL,
    'applied',
    'warning',
    region(RegionActionKind.CANCEL, { flow: 'failover', fromRegion: 'eu-west-1', toRegion: 'eu-central-1' }),
    '[WARNING] shop: failover eu-west-1 -> eu-central-1 cancelled before any move; eu-west-1 is back',
  ],
  [
    RegionActionKind.ABORT,
    'applied',
    'critical',
    region(RegionActionKind.ABORT, { flow: 'failover', fromRegion: 'eu-west-1', toRegion: 'eu-central-1' }),
    '[CRITICAL] shop: region failover eu-west-1 -> eu-central-1 aborted; see what to do',
  ],
  [
    RegionActionKind.ANNOUNCE,
    'applied',
    'warning',
    region(RegionActionKind.ANNOUNCE, failback(1)),
    '[WARNING] shop: region failback eu-central-1 -> eu-west-1 started (step 1/4)',
  ],
  [
    RegionActionKind.PROMOTE,
    'applied',
    'warning',
    region(RegionActionKind.PROMOTE, { ...failover(2), start: ['orders'], complete: false, subjectNames: ['orders'] }),
    '[WARNING] shop: promoting orders in eu-central-1 (step 2/5)',
  ],
  [
    RegionActionKind.PROMOTE,
    'applied',
    'warning',
    region(RegionActionKind.PROMOTE, { ...failover(2), start: [], complete: true, subjectNames: ['orders', 'carts'] }),
    '[WARNING] shop: orders +1 more promoted in eu-central-1 (step 2/5)',
  ],
  [
    RegionActionKind.PROMOTE,
    'failed',
    'critical',
    region(RegionActionKind.PROMOTE, { ...failover(2), start: ['orders'], complete: false, subjectNames: ['orders'] }),
    '[CRITICAL] shop: FAILED: promote orders in eu-central-1 (step 2/5)',
  ],
  [
    RegionActionKind.MOVE_DNS,
    'applied',
    'warning',
    region(RegionActionKind.MOVE_DNS, { ...failover(3), subjectNames: ['www.shop.example.com'] }),
    '[WARNING] shop: DNS moved to eu-central-1 (www.shop.example.com) (step 3/5)',
  ],
  [
    'region.runbook.move-dns with a very long record name',
    'applied',
    'warning',
    region(RegionActionKind.MOVE_DNS, { ...failover(3), subjectNames: [LONG_NAME] }),
    '[WARNING] shop: DNS moved to eu-central-1 (checkout-api-blue-gre...gin.shop.example.com) (step 3/5)',
  ],
  [
    RegionActionKind.REPOINT_WRITER,
    'applied',
    'warning',
    region(RegionActionKind.REPOINT_WRITER, { ...failover(4), subjectNames: ['orders'] }),
    '[WARNING] shop: writer of orders moved to eu-central-1 (step 4/5)',
  ],
  [
    RegionActionKind.REPOINT_WRITER,
    'applied',
    'warning',
    region(RegionActionKind.REPOINT_WRITER, { ...failback(3), subjectNames: [] }),
    '[WARNING] shop: no writer name to move to eu-west-1 (step 3/4)',
  ],
  [
    RegionActionKind.COMPLETE,
    'applied',
    'warning',
    region(RegionActionKind.COMPLETE, failover(5)),
    '[WARNING] shop: region failover eu-west-1 -> eu-central-1 complete (step 5/5)',
  ],
  [
    RegionActionKind.HEARTBEAT_RESTORED,
    'applied',
    'info',
    { ...region(RegionActionKind.HEARTBEAT_RESTORED, { checker: 'eu-west-1' }), region: 'eu-west-1' },
    '[INFO] shop: checker eu-west-1 heartbeat is back',
  ],
];

const ALERTS: [string, PlanAlert, string][] = [
  [
    'dns.all-targets-down',
    alert('dns.all-targets-down', 'critical', 'origin.shop.example.com'),
    '[CRITICAL] shop: every target of origin.shop.example.com is down; DNS left unchanged',
  ],
  [
    'dns.all-targets-down with a very long record name',
    alert('dns.all-targets-down', 'critical', LONG_NAME),
    '[CRITICAL] shop: every target of checkout-api-blue-....shop.example.com is down; DNS left unchanged',
  ],
  [
    'dns.edit-refused',
    alert('dns.edit-refused', 'critical', 'www.shop.example.com', { about: 'lb-dub-1' }),
    '[CRITICAL] shop: DNS edit of www.shop.example.com for lb-dub-1 refused; record unchanged',
  ],
  [
    'dns.cannot-restore',
    alert('dns.cannot-restore', 'warning', 'www.shop.example.com', { about: 'lb-dub-1' }),
    '[WARNING] shop: lb-dub-1 is healthy but cannot go back into www.shop.example.com',
  ],
  [
    'dns.min-healthy-held',
    alert('dns.min-healthy-held', 'critical', 'origin.shop.example.com', { about: 'web-dub-a, web-dub-b' }),
    '[CRITICAL] shop: unhealthy web-dub-a, web-dub-b kept in origin.shop.example.com (minHealthy)',
  ],
  [
    'dns.read-failed',
    alert('dns.read-failed', 'warning', 'www.shop.example.com'),
    '[WARNING] shop: cannot read DNS record www.shop.example.com; no DNS change',
  ],
  [
    'dns.health-check-foreign',
    alert('dns.health-check-foreign', 'warning', 'origin.shop.example.com A', { about: 'fra-a' }),
    '[WARNING] shop: fra-a of origin.shop.example.com A carries a foreign health check; left unchanged',
  ],
  [
    'load-balancer.read-failed',
    alert('load-balancer.read-failed', 'warning', ARN, { about: 'lb-dub-1' }),
    '[WARNING] shop: cannot read target health of lb-dub-1',
  ],
  [
    'database.unconfirmed',
    alert('database.unconfirmed', 'critical', 'orders', { about: 'orders-dub-primary' }),
    '[CRITICAL] shop: orders primary orders-dub-primary failing, RDS unreadable; no promotion',
  ],
  [
    'database.probe-disagrees',
    alert('database.probe-disagrees', 'critical', 'orders', { about: 'orders-dub-primary' }),
    '[CRITICAL] shop: orders primary orders-dub-primary unreachable, RDS says available; no promotion',
  ],
  [
    'database.primary-busy',
    alert('database.primary-busy', 'warning', 'orders', { about: 'orders-dub-primary' }),
    '[WARNING] shop: orders primary orders-dub-primary failing while RDS works on it; waiting',
  ],
  [
    'database.no-candidate',
    alert('database.no-candidate', 'critical', 'orders', { about: 'orders-dub-primary' }),
    '[CRITICAL] shop: no replica can be promoted for orders',
  ],
  [
    'database.promotion-slow',
    alert('database.promotion-slow', 'critical', 'orders', { about: 'orders-dub-replica' }),
    '[CRITICAL] shop: promotion of orders-dub-replica (orders) is slow; failover waits',
  ],
  [
    'region.failover.promotion-slow',
    alert('region.failover.promotion-slow', 'critical', 'orders', {
      about: 'orders-replica-fra',
      region: 'eu-central-1',
    }),
    '[CRITICAL] shop: promotion of orders-replica-fra (orders) in eu-central-1 is slow; failover waits',
  ],
  [
    'region.dark',
    alert('region.dark', 'critical', 'region eu-west-1', { region: 'eu-west-1' }),
    '[CRITICAL] shop: region eu-west-1 is dark; region failover is off, nothing moved',
  ],
  [
    'region.failover.aborted',
    alert('region.failover.aborted', 'critical', 'region eu-west-1', { region: 'eu-west-1' }),
    '[CRITICAL] shop: region eu-west-1 is dark; no standby can take over, nothing moved',
  ],
  [
    'checker.heartbeat.missing',
    alert('checker.heartbeat.missing', 'warning', 'checker eu-west-1', { region: 'eu-west-1' }),
    '[WARNING] shop: checker eu-west-1 heartbeat missing',
  ],
  [
    'checker.shard.stale',
    alert('checker.shard.stale', 'warning', 'checker eu-west-1', { region: 'eu-west-1', about: 'shard 2' }),
    '[WARNING] shop: checker eu-west-1 shard 2 heartbeat missing; its targets held',
  ],
  [
    'state.document-rejected',
    alert('state.document-rejected', 'critical', 'state document runbook/failover-eu-west-1-1', {
      about: 'runbook/failover-eu-west-1-1',
    }),
    '[CRITICAL] shop: state document runbook/failover-eu-west-1-1 rejected; not acted on',
  ],
];

const isShortAscii = (text: string) => text.length < 100 && /^[\x20-\x7e]+$/.test(text);

describe('notification subjects', () => {
  it.each(ACTIONS)('%s (%s) says what was done and where', (_eventType, outcome, severity, action, expected) => {
    // Act
    const text = subject(actionHeadline(action, outcome), severity);
    // Assess
    expect(text).toBe(expected);
    expect(isShortAscii(text)).toBe(true);
  });

  it.each(ALERTS)('%s says what is wrong and where', (_eventType, planAlert, expected) => {
    // Act
    const text = subject(alertHeadline(planAlert), planAlert.severity);
    // Assess
    expect(text).toBe(expected);
    expect(isShortAscii(text)).toBe(true);
  });

  it('has a case above for every event type with a template', () => {
    // Prepare
    const covered = new Set([...ACTIONS.map(([, , , action]) => action.kind), ...ALERTS.map(([, a]) => a.eventType)]);
    // Assess
    expect([...SUBJECT_EVENT_TYPES].sort()).toEqual([...covered].sort());
  });

  it('keeps the severity, the dry-run tag and the verb when every name is very long', () => {
    // Prepare
    const action = region(RegionActionKind.MOVE_DNS, {
      ...failover(3),
      fromRegion: LONG_NAME,
      toRegion: LONG_NAME,
      subjectNames: [LONG_NAME, LONG_NAME],
    });
    // Act
    const text = buildNotification({
      eventType: 'e',
      severity: 'warning',
      system: LONG_NAME,
      headline: actionHeadline(action, 'skipped'),
      resource: 'r',
      reason: 'why',
      dryRun: true,
      at: '2026-01-01T00:00:00.000Z',
    }).subject;
    // Assess
    expect(isShortAscii(text)).toBe(true);
    expect(text).toMatch(/^\[WARNING\]\[DRY RUN\] .+: held: move DNS to .+ \(step 3\/5\)$/);
  });

  it('tells a real region failover step by step, each subject naming the regions and the step', async () => {
    // Prepare
    const h = new RegionHarness(regionTopology());
    await h.rounds(2);
    // Act
    h.darken(PRIMARY);
    await h.rounds(20, async () => (await h.runbooks()).some((r) => r.status === 'completed'));
    // Assess
    expect(h.notifications('region.').map((n) => n.subject)).toEqual([
      '[WARNING] shop: region failover eu-west-1 -> eu-central-1 started (step 1/5)',
      '[WARNING] shop: promoting orders in eu-central-1 (step 2/5)',
      '[WARNING] shop: orders promoted in eu-central-1 (step 2/5)',
      '[WARNING] shop: DNS moved to eu-central-1 (www.shop.example.com +1 more) (step 3/5)',
      '[WARNING] shop: writer of orders moved to eu-central-1 (step 4/5)',
      '[WARNING] shop: region failover eu-west-1 -> eu-central-1 complete (step 5/5)',
    ]);
  });
});
