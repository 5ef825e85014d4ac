import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { SnsNotifierAdapter } from '../../../lambdas/adapters/aws/sns-notifier.adapter';
import { messageBody, snsSubject } from '../../../lambdas/adapters/sns-message';
import { CloudCallError } from '../../../lambdas/ports/errors';
import type { Notification } from '../../../lambdas/ports/notifier.port';

const sns = mockClient(SNSClient);
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:failover-guard';
const notification: Notification = {
  eventType: 'database.promoted',
  severity: 'critical',
  subject: 'Promoted orders-replica-1 to primary',
  resource: 'orders',
  region: 'eu-west-1',
  reason: 'primary failed',
  before: { primary: 'orders-primary' },
  after: { primary: 'orders-replica-1' },
  planId: 'plan-1',
  dryRun: false,
  at: '2025-01-01T00:00:00.000Z',
};

afterEach(() => sns.reset());

describe('SnsNotifierAdapter', () => {
  it('publishes the subject, the notification as JSON and the severity and eventType attributes', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    await new SnsNotifierAdapter(new SNSClient({ region: 'eu-west-1' }), TOPIC).publish(notification);
    expect(sns.commandCalls(PublishCommand)[0]!.args[0].input).toEqual({
      TopicArn: TOPIC,
      Subject: 'Promoted orders-replica-1 to primary',
      Message: JSON.stringify(notification),
      MessageAttributes: {
        severity: { DataType: 'String', StringValue: 'critical' },
        eventType: { DataType: 'String', StringValue: 'database.promoted' },
      },
    });
  });

  it('reports a failed publish as a CloudCallError naming the topic', async () => {
    sns.on(PublishCommand).rejects(
      Object.assign(new Error('Internal'), {
        name: 'InternalError',
        $fault: 'server',
        $metadata: { httpStatusCode: 500 },
      }),
    );
    await expect(
      new SnsNotifierAdapter(new SNSClient({ region: 'eu-west-1' }), TOPIC).publish(notification),
    ).rejects.toSatisfy((e) => e instanceof CloudCallError && e.retryable && e.resource === TOPIC);
  });
});

describe('snsSubject', () => {
  it.each([
    ['keeps a plain ASCII subject', 'Pulled 10.0.0.1 from www', 'Pulled 10.0.0.1 from www'],
    ['drops accents', 'Région eu-west-1 dégradée', 'Region eu-west-1 degradee'],
    ['replaces other non-ASCII characters', 'DB ⚠ down', 'DB ? down'],
    ['joins lines with one space', 'line one\r\n  line two\tend', 'line one line two end'],
    ['falls back to the event type when nothing is left', '  \n ', 'region.failover'],
  ])('%s', (_, subject, expected) => {
    expect(snsSubject(subject, 'region.failover')).toBe(expected);
  });

  it('cuts a long subject to 99 characters ending in "..."', () => {
    const subject = snsSubject('x'.repeat(150), 'e');
    expect(subject).toHaveLength(99);
    expect(subject.endsWith('...')).toBe(true);
  });
});

describe('messageBody', () => {
  it('leaves out before, after and details when the body would exceed the SNS limit, and says so', () => {
    const body = JSON.parse(messageBody({ ...notification, details: { blob: 'x'.repeat(300_000) } }));
    expect(body).toEqual({
      eventType: 'database.promoted',
      severity: 'critical',
      subject: notification.subject,
      resource: 'orders',
      region: 'eu-west-1',
      reason: 'primary failed',
      planId: 'plan-1',
      dryRun: false,
      at: notification.at,
      truncated: 'before, after and details were left out: the message exceeded the SNS size limit',
    });
  });

  it('cuts the reason too when it alone would exceed the SNS limit (256 KB for body and attributes)', () => {
    const body = messageBody({ ...notification, reason: `"é"${'ü'.repeat(200_000)}` });
    const parsed = JSON.parse(body);
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(250_000);
    expect(parsed.reason.startsWith('"é"ü')).toBe(true);
    expect(parsed.truncated).toBe(
      'before, after and details were left out and the reason was cut: the message exceeded the SNS size limit',
    );
  });

  it('refuses, naming the event, a notification whose resource alone exceeds the SNS limit', () => {
    expect(() => messageBody({ ...notification, resource: 'r'.repeat(300_000) })).toThrow(
      /database.promoted on r+ cannot fit the SNS size limit/,
    );
  });
});
