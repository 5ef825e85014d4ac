import { describe, expect, it } from 'vitest';
import {
  asciiSubject,
  buildNotification,
  notificationBody,
} from '../../lambdas/domain/notifications/notification-builder';

describe('notification builder', () => {
  it.each([
    ['plain text stays', 'pulled web-a from www', 'pulled web-a from www'],
    ['line breaks become spaces', 'line one\nline two', 'line one line two'],
    ['accents lose their marks', 'Zürich région', 'Zurich region'],
    ['non-ASCII symbols go', 'writer → replica ✓', 'writer replica'],
    ['empty text gets a default', '→', 'Failover Guard notification'],
  ])('%s', (_case, input, expected) => {
    expect(asciiSubject(input)).toBe(expected);
  });

  it('cuts a long subject under 100 characters', () => {
    const subject = asciiSubject('x'.repeat(300));
    expect(subject.length).toBeLessThan(100);
    expect(subject.endsWith('...')).toBe(true);
  });

  it('builds a JSON body with every field subscribers filter on', () => {
    const n = buildNotification({
      eventType: 'dns.pull',
      severity: 'warning',
      system: 'shop',
      headline: 'pull web-a from www.shop.example.com A 10.0.0.1',
      resource: 'www.shop.example.com A 10.0.0.1',
      region: 'eu-west-1',
      reason: 'web-a UNHEALTHY',
      before: { values: ['10.0.0.1'] },
      after: { values: [] },
      planId: 'plan-1',
      dryRun: true,
      at: '2025-03-01T12:00:00.000Z',
    });
    expect(n.subject).toBe('[WARNING][DRY RUN] shop: pull web-a from www.shop.example.com A 10.0.0.1');
    expect(notificationBody(n)).toEqual({
      eventType: 'dns.pull',
      severity: 'warning',
      resource: 'www.shop.example.com A 10.0.0.1',
      region: 'eu-west-1',
      reason: 'web-a UNHEALTHY',
      before: { values: ['10.0.0.1'] },
      after: { values: [] },
      planId: 'plan-1',
      dryRun: true,
      at: '2025-03-01T12:00:00.000Z',
    });
  });
});
