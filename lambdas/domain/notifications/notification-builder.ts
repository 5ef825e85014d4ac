// Builds the notifications the guard publishes: a one-line ASCII subject under 100 characters
// (SNS refuses others) and a body that is plain JSON for subscribers to filter and parse.
import type { Notification } from '../../ports/notifier.port';

export const SUBJECT_MAX_LENGTH = 99;

/** A notification's fields without the subject, plus what the subject is made of. */
export interface NotificationFields extends Omit<Notification, 'subject'> {
  /** The system's name (topology name), first in the subject. */
  readonly system: string;
  /** What happened, in a few words: "pulled nlb-dub-1 from www.shop.example.com". */
  readonly headline: string;
}

/** Printable ASCII on one line, starting with a letter, digit or punctuation, cut to fit SNS's subject limit. */
export function asciiSubject(text: string): string {
  const ascii = text
    .normalize('NFKD')
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/[^\x20-\x7e]/g, '')
    .replace(/ {2,}/g, ' ')
    .trim();
  const subject = ascii.length > SUBJECT_MAX_LENGTH ? `${ascii.slice(0, SUBJECT_MAX_LENGTH - 3).trimEnd()}...` : ascii;
  return subject.length > 0 ? subject : 'Failover Guard notification';
}

export function buildNotification(fields: NotificationFields): Notification {
  const tag = fields.dryRun ? `[${fields.severity.toUpperCase()}][DRY RUN]` : `[${fields.severity.toUpperCase()}]`;
  return {
    eventType: fields.eventType,
    severity: fields.severity,
    subject: asciiSubject(`${tag} ${fields.system}: ${fields.headline}`),
    resource: fields.resource,
    ...(fields.region ? { region: fields.region } : {}),
    reason: fields.reason,
    ...(fields.before !== undefined ? { before: toJsonValue(fields.before) } : {}),
    ...(fields.after !== undefined ? { after: toJsonValue(fields.after) } : {}),
    ...(fields.planId ? { planId: fields.planId } : {}),
    dryRun: fields.dryRun,
    at: fields.at,
    ...(fields.details ? { details: toJsonValue(fields.details) as Record<string, unknown> } : {}),
  };
}

/** The JSON body subscribers receive: every field of the notification but the subject. */
export function notificationBody(notification: Notification): Record<string, unknown> {
  const { subject: _subject, ...body } = notification;
  return JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
}

/** A deep copy that survives JSON (Dates become ISO strings, undefined fields drop out). */
function toJsonValue(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}
