// The notifier port's contract: what a subscriber of the topic receives, within SNS's limits; run
// against each lane by notifier.contract.test.ts.
import { describe, expect, it } from 'vitest';
import type { Notification, NotifierPort } from '../../lambdas/ports/notifier.port';
import { type Differences, contractCase } from './lanes/differences';

/** A message as a subscriber receives it: the body parsed, and the message attributes. */
interface Delivered {
  readonly body: Record<string, unknown>;
  readonly attributes: Readonly<Record<string, string>>;
}

export interface NotifierLane {
  readonly port: NotifierPort;
  /** Every message delivered so far, oldest first. */
  delivered(): Promise<Delivered[]>;
}

export type NotifierCase =
  | 'delivers the notification with severity and event type attributes'
  | 'delivers a notification over the 256 KB limit within it, without its details';

/** SNS's limit on a message: body and attributes, 256 KB. */
const SNS_MESSAGE_LIMIT_BYTES = 256 * 1024;

const notification: Notification = {
  eventType: 'dns.target.pulled',
  severity: 'critical',
  subject: 'Pulled 10.0.0.1 from www.example.com',
  resource: 'www.example.com',
  region: 'eu-west-1',
  reason: 'unhealthy from 3 of 3 checkers',
  before: ['10.0.0.1', '10.0.0.2'],
  after: ['10.0.0.2'],
  dryRun: false,
  at: '2026-01-01T00:00:00.000Z',
};

/** Registers the notifier contract's cases for one lane. */
export function notifierContract(
  lane: string,
  open: () => Promise<NotifierLane>,
  differences: Differences<NotifierCase> = {},
): void {
  const test = (name: NotifierCase, body: () => Promise<void>) => contractCase(it, name, differences, body);

  describe(`notifier contract: ${lane}`, () => {
    test('delivers the notification with severity and event type attributes', async () => {
      const { port, delivered } = await open();
      await port.publish(notification);
      expect(await delivered()).toEqual([
        { body: { ...notification }, attributes: { severity: 'critical', eventType: 'dns.target.pulled' } },
      ]);
    });

    test('delivers a notification over the 256 KB limit within it, without its details', async () => {
      const { port, delivered } = await open();
      await port.publish({ ...notification, details: { trace: 'x'.repeat(300 * 1024) } });
      const [message] = await delivered();
      expect(Buffer.byteLength(JSON.stringify(message?.body))).toBeLessThanOrEqual(SNS_MESSAGE_LIMIT_BYTES);
      expect(message?.body).toMatchObject({
        eventType: notification.eventType,
        severity: 'critical',
        resource: notification.resource,
        reason: notification.reason,
      });
      expect(message?.body.details).toBeUndefined();
      expect(message?.body.truncated).toMatch(/SNS size limit/);
    });
  });
}
