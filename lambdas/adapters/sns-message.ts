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

/**
 * The notification as JSON. When the body would be too large, before/after/details are dropped, and
 * then the reason is cut, until it fits; the body says which.
 */
export function messageBody(notification: Notification): string {
  const fits = (text: string) => Buffer.byteLength(text) <= MAX_BODY_BYTES;
  const body = JSON.stringify(notification);
  if (fits(body)) return body;
  const { before: _before, after: _after, details: _details, ...essential } = notification;
  const shortened = JSON.stringify({
    ...essential,
    truncated: 'before, after and details were left out: the message exceeded the SNS size limit',
  });
  if (fits(shortened)) return shortened;
  const truncated =
    'before, after and details were left out and the reason was cut: the message exceeded the SNS size limit';
  const withReason = (reason: string) => JSON.stringify({ ...essential, reason, truncated });
  // Each cut removes at least the overflow in characters (a character is one or more bytes as JSON).
  let reason = essential.reason;
  let text = withReason(reason);
  while (!fits(text) && reason.length > 0) {
    reason = [...reason].slice(0, -Math.max(1, Buffer.byteLength(text) - MAX_BODY_BYTES)).join('');
    text = withReason(reason);
  }
  if (!fits(text)) {
    throw new Error(
      `notification ${notification.eventType} on ${notification.resource.slice(0, 100)} cannot fit the SNS size limit even without its reason: its resource or subject is too long; shorten the names in the topology`,
    );
  }
  return text;
}
