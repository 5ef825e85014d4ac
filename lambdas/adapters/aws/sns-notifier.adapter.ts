// NotifierPort over SNS: a one-line ASCII subject, the notification as a JSON body, and message
// attributes (severity, eventType) that subscription filter policies can match.
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Notification, NotifierPort } from '../../ports/notifier.port';
import { messageBody, snsSubject } from '../sns-message';
import { callAws } from './cloud-errors';

export class SnsNotifierAdapter implements NotifierPort {
  constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
  ) {}

  async publish(notification: Notification): Promise<void> {
    await callAws('SNS', 'Publish', this.topicArn, () =>
      this.client.send(
        new PublishCommand({
          TopicArn: this.topicArn,
          Subject: snsSubject(notification.subject, notification.eventType),
          Message: messageBody(notification),
          MessageAttributes: {
            severity: { DataType: 'String', StringValue: notification.severity },
            eventType: { DataType: 'String', StringValue: notification.eventType },
          },
        }),
      ),
    );
  }
}
