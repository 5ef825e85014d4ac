// What SNS accepts of a notification, shared by the SNS adapter and the in-memory notifier so that
// scenario tests see what subscribers of the real topic see: a one-line ASCII subject under 100
// characters and a JSON body within the 256 KB message limit.
import type { Notification } from '../ports/notifier.port';

/** SNS subjects must be under 100 characters. */
const MAX_SUBJECT_LENGTH = 99;
/** SNS messages (body and attributes) are at most 256 KB; keep room for the attributes. */
const MAX_BODY_BYTES = 250_000;

/**
 * A subject SNS accepts: accents dropped, other non-ASCII as "?", line breaks and runs of
 * whitespace as one space, at most 99 characters (cut with "..."); the event type when empty.
 */
export function snsSubject(subject: string, fallback: string): string {
  const ascii = subject
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\s+/g, ' ')
    .replace(/[^\x20-\x7e]/g, '?')
    .trim();
  const text = ascii.length > 0 ? ascii : fallback.replace(/[^\x21-\x7e]/g, '?');
  return text.length <= MAX_SUBJECT_LENGTH ? text : `${text.slice(0, MAX_SUBJECT_LENGTH - 3).trimEnd()}...`;
}

/** A notification as SNS delivers it: `truncated` says what was left out to fit the size limit. */
export type DeliveredNotification = Notification & { readonly truncated?: string };

/**
 * The notification as JSON, and the fields that JSON holds. When the body would be too large,
 * before/after/details are dropped, and then the reason is cut, until it fits; the body says which.
 */
function fittedMessage(notification: Notification): { readonly fields: DeliveredNotification; readonly text: string } {
  const fits = (text: string) => Buffer.byteLength(text) <= MAX_BODY_BYTES;
  const body = JSON.stringify(notification);
  if (fits(body)) return { fields: notification, text: body };
  const { before: _before, after: _after, details: _details, ...essential } = notification;
  const shortened = {
    ...essential,
    truncated: 'before, after and details were left out: the message exceeded the SNS size limit',
  };
  const shortenedText = JSON.stringify(shortened);
  if (fits(shortenedText)) return { fields: shortened, text: shortenedText };
  const truncated =
    'before, after and details were left out and the reason was cut: the message exceeded the SNS size limit';
  const withReason = (reason: string) => ({ ...essential, reason, truncated });
  // Each cut removes at least the overflow in characters (a character is one or more bytes as JSON).
  let fields = withReason(essential.reason);
  let text = JSON.stringify(fields);
  while (!fits(text) && fields.reason.length > 0) {
    fields = withReason([...fields.reason].slice(0, -Math.max(1, Buffer.byteLength(text) - MAX_BODY_BYTES)).join(''));
    text = JSON.stringify(fields);
  }
  if (!fits(text)) {
    throw new Error(
      `notification ${notification.eventType} on ${notification.resource.slice(0, 100)} cannot fit the SNS size limit even without its reason: its resource or subject is too long; shorten the names in the topology`,
    );
  }
  return { fields, text };
}

/** The message body SNS carries for the notification. */
export function messageBody(notification: Notification): string {
  return fittedMessage(notification).text;
}

/** What a subscriber reads from the message: the notification as the body holds it (a copy). */
export function deliveredNotification(notification: Notification): DeliveredNotification {
  return structuredClone(fittedMessage(notification).fields);
}
