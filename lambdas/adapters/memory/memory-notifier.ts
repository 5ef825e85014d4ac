// In-memory SNS topic: keeps every published notification, as a subscriber reads it (within SNS's
// message size limit, the same trimming the SNS adapter does), and tells listeners.
import type { Notification, NotifierPort } from '../../ports/notifier.port';
import { deliveredNotification } from '../sns-message';
import type { FaultInjector } from './faults';

export type PublishListener = (notification: Notification) => void;

/** The outbox is shared by every region's notifier, as subscribers of one topic see all messages. */
export class MemoryOutbox {
  readonly notifications: Notification[] = [];
  readonly listeners = new Set<PublishListener>();
}

export class MemoryNotifier implements NotifierPort {
  constructor(
    private readonly faults: FaultInjector,
    private readonly shared: MemoryOutbox = new MemoryOutbox(),
    /** The region whose SNS this notifier calls; its darkness makes publishing fail. */
    private readonly region?: string,
  ) {}

  /** Every notification published, oldest first. */
  get outbox(): readonly Notification[] {
    return this.shared.notifications;
  }

  /** Calls the listener on every successful publish; returns a function that unsubscribes. */
  onPublish(listener: PublishListener): () => void {
    this.shared.listeners.add(listener);
    return () => this.shared.listeners.delete(listener);
  }

  /** The next `times` publishes fail with a retryable error. */
  failNext(times: number): void {
    this.faults.failNext('publish', times);
  }

  forRegion(region: string): MemoryNotifier {
    return new MemoryNotifier(this.faults, this.shared, region);
  }

  async publish(notification: Notification): Promise<void> {
    this.faults.check('publish', notification.resource, this.region);
    const copy = deliveredNotification(notification);
    this.shared.notifications.push(copy);
    for (const listener of this.shared.listeners) listener(copy);
  }
}
