// Notifier port: every action, every failure to act and every critical condition is published.

import type { Notification } from '../domain/notifications/notification';

export type { Notification, Severity } from '../domain/notifications/notification';

export interface NotifierPort {
  publish(notification: Notification): Promise<void>;
}
