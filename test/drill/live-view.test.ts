import { describe, expect, it } from 'vitest';
import { formatSummary, type DrillReport } from '../../lambdas/drill/drill-report';
import { eventLines, fitWidth, LiveView, panelLines, type LiveViewSnapshot } from '../../lambdas/drill/live-view';
import { Timeline } from '../../lambdas/drill/timeline';
import type { Notification } from '../../lambdas/ports/notifier.port';

const notification: Notification = {
  eventType: 'dns.pull',
  severity: 'warning',
  subject: '[WARNING] drill: pull web-a from www',
  resource: 'www',
  reason: 'web-a UNHEALTHY',
  dryRun: false,
  at: '2026-01-01T00:00:00.000Z',
};

const snapshot: LiveViewSnapshot = {
  heading: 'scenario 1/1 server-down',
  checkers: ['eu-west-1', 'eu-central-1'],
  regions: [{ name: 'eu-west-1', role: 'primary' }],
  targets: [
    {
      targetId: 'web-a',
      region: 'eu-west-1',
      role: 'server',
      byChecker: { 'eu-west-1': 'UNHEALTHY', 'eu-central-1': 'SUSPECT' },
    },
  ],
  dnsAnswers: ['www.example A 127.0.1.12'],
};

describe('the drill live view', () => {
  it('prints a notification as one line, its subject', () => {
    expect(eventLines({ atMs: 1_500, kind: 'notification', text: notification.subject, notification }, false)).toEqual([
      '   1.5s  SNS      [WARNING] drill: pull web-a from www',
    ]);
  });

  it("labels an operator's command as such, not as a fault", () => {
    expect(
      eventLines({ atMs: 2_000, kind: 'operator', text: 'failover-guard failback eu-west-1 (accepted)' }, false),
    ).toEqual(['   2.0s  OPERATOR failover-guard failback eu-west-1 (accepted)']);
  });

  it('prints a notification as its subject then its JSON body, without the subject, when verbose', () => {
    // Act
    const lines = eventLines(
      { atMs: 1_500, kind: 'notification', text: notification.subject, notification },
      false,
      true,
    );
    // Assess
    expect(lines[0]).toBe('   1.5s  SNS      [WARNING] drill: pull web-a from www');
    expect(JSON.parse(lines[1]!.trim())).toEqual({
      eventType: 'dns.pull',
      severity: 'warning',
      resource: 'www',
      reason: 'web-a UNHEALTHY',
      dryRun: false,
      at: '2026-01-01T00:00:00.000Z',
    });
  });

  it('shows each target some checker does not see healthy, with what every checker sees, and what DNS answers now', () => {
    // Act
    const lines = panelLines(snapshot, false);
    // Assess
    expect(lines).toContain('eu-west-1 (primary)  0/1 healthy everywhere');
    expect(lines.join('\n')).toMatch(/web-a\s+UNHEALTHY\s+suspect/);
    expect(lines).toContain('  www.example A 127.0.1.12');
  });

  it('marks a checker whose view is older than a few intervals as stale, with its age', () => {
    // Act
    const lines = panelLines(
      { ...snapshot, viewAgeSeconds: { 'eu-west-1': 1, 'eu-central-1': 14.2 }, staleAfterSeconds: 3 },
      false,
    );
    // Assess
    expect(lines[1]).toMatch(/eu-west-1 sees\s+eu-central-1: STALE 14s/);
  });

  it("fits 80×24 for the drill's whole world when all is healthy: a count per region, DNS answers wrapped, not cut", () => {
    // Prepare
    const healthy = (id: string, region: string) => ({
      targetId: id,
      region,
      role: 'server',
      byChecker: { 'eu-west-1': 'HEALTHY' as const, 'eu-central-1': 'HEALTHY' as const },
    });
    const world: LiveViewSnapshot = {
      ...snapshot,
      regions: [
        { name: 'eu-west-1', role: 'primary' },
        { name: 'eu-central-1', role: 'standby' },
      ],
      targets: [
        ...Array.from({ length: 7 }, (_, i) => healthy(`dub-${i}`, 'eu-west-1')),
        ...Array.from({ length: 6 }, (_, i) => healthy(`fra-${i}`, 'eu-central-1')),
      ],
      dnsAnswers: [
        'origin.shop.drill.test A 127.0.1.11 127.0.1.12 127.0.1.13 127.0.2.11 127.0.2.12 127.0.2.13',
        'www.shop.drill.test A 127.0.1.101 127.0.1.102',
      ],
    };
    // Act
    const lines = panelLines(world, false, 79);
    // Assess
    expect(lines.length).toBeLessThanOrEqual(10);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(79);
    expect(lines.join(' ')).toContain('127.0.2.13');
  });

  it('cuts a panel line to the terminal width without counting colour codes', () => {
    // Act
    const cut = fitWidth('\x1b[32mhealthy\x1b[0m and more', 4);
    // Assess
    expect(cut).toBe('\x1b[32mheal\x1b[0m');
  });

  it('writes plain lines as events happen, and never redraws, when the output is not a terminal', () => {
    // Prepare
    const written: string[] = [];
    const timeline = new Timeline();
    const view = new LiveView({ write: (t) => written.push(t), isTTY: false }, () => snapshot);
    // Act
    view.start(timeline);
    timeline.add('fault', 'stopped web-a');
    timeline.add('verified', 'pulled');
    view.stop();
    // Assess
    expect(written).toHaveLength(2);
    expect(written.join('')).not.toContain('\x1b[');
    expect(written[0]).toMatch(/FAULT\s+stopped web-a\n$/);
  });

  it('redraws the panel under the new events on a terminal', () => {
    // Prepare
    const written: string[] = [];
    const timeline = new Timeline();
    const view = new LiveView({ write: (t) => written.push(t), isTTY: true }, () => snapshot);
    // Act
    view.start(timeline);
    timeline.add('fault', 'stopped web-a');
    view.stop();
    // Assess
    const screen = written.join('');
    expect(screen.indexOf('stopped web-a')).toBeLessThan(screen.indexOf('scenario 1/1 server-down'));
  });
});

describe('the drill summary', () => {
  it('lists each expectation with detect and act times, the failures, and the verdict', () => {
    // Prepare
    const report: DrillReport = {
      topology: 'examples/local.json',
      speed: 1,
      startedAt: '2026-01-01T00:00:00.000Z',
      durationMs: 12_300,
      passed: false,
      results: [
        {
          scenario: 'server-down',
          fault: 'stop server web-a',
          expected: 'pulled',
          passed: true,
          detectMs: 1_400,
          actMs: 1_900,
          detail: 'ok',
        },
        {
          scenario: 'lb-down',
          fault: 'stop lb-1',
          expected: 'pulled',
          passed: false,
          detectMs: 1_500,
          detail: 'not within 8.0 s',
        },
      ],
      notifications: [],
      timeline: [],
    };
    // Act
    const text = formatSummary(report);
    // Assess
    expect(text).toMatch(/server-down\s+stop server web-a\s+pulled\s+1\.4 s\s+1\.9 s\s+PASS/);
    expect(text).toMatch(/lb-down\s+stop lb-1\s+pulled\s+1\.5 s\s+-\s+FAIL/);
    expect(text).toContain('FAIL lb-down: pulled — not within 8.0 s');
    expect(text).toContain('1/2 expectations met in 12.3 s (speed 1): FAIL');
  });
});
