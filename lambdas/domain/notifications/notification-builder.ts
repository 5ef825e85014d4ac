// Builds the notifications the guard publishes: a one-line ASCII subject under 100 characters
// (SNS refuses others) and a body that is plain JSON for subscribers to filter and parse.
import type { Notification } from './notification';

const SUBJECT_MAX_LENGTH = 99;

/** Names are shortened in the middle down to this many characters before the words around them are cut. */
const NAME_MIN_LENGTH = 12;

/** One piece of a headline: fixed words, or a name (record, member, region) that may be shortened to fit. */
interface HeadlinePart {
  readonly text: string;
  readonly name: boolean;
}

/** What happened, as fixed words and names, so a long name is shortened rather than the verb cut off. */
export interface Headline {
  readonly parts: readonly HeadlinePart[];
}

/**
 * A headline from a template: interpolated strings are names (shortened when the subject is too long),
 * numbers and nested headlines are kept as they are. `` headline`pull ${endpoint} from ${record}` ``
 */
export function headline(words: TemplateStringsArray, ...values: readonly (string | number | Headline)[]): Headline {
  const parts: HeadlinePart[] = [];
  words.forEach((text, index) => {
    if (text) parts.push({ text, name: false });
    if (index >= values.length) return;
    const value = values[index];
    if (typeof value === 'string') parts.push({ text: value, name: true });
    else if (typeof value === 'number') parts.push({ text: String(value), name: false });
    else if (value) parts.push(...value.parts);
  });
  return { parts };
}

/** Fixed words as a headline, to splice into another (`headline`${words(flow)} ${from}``). */
export function words(text: string): Headline {
  return { parts: [{ text, name: false }] };
}

/** A notification's fields without the subject, plus what the subject is made of. */
export interface NotificationFields extends Omit<Notification, 'subject'> {
  /** The system's name (topology name), first in the subject. */
  readonly system: string;
  /** What happened, in a few words: "pull nlb-dub-1 from www.shop.example.com". */
  readonly headline: string | Headline;
}

/** Printable ASCII: accents dropped, line breaks and tabs as spaces, anything else left out. */
function asciiText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/[^\x20-\x7e]/g, '');
}

/** Printable ASCII on one line, starting with a letter, digit or punctuation, cut to fit SNS's subject limit. */
export function asciiSubject(text: string): string {
  const ascii = asciiText(text).replace(/ {2,}/g, ' ').trim();
  const subject = ascii.length > SUBJECT_MAX_LENGTH ? `${ascii.slice(0, SUBJECT_MAX_LENGTH - 3).trimEnd()}...` : ascii;
  return subject.length > 0 ? subject : 'Failover Guard notification';
}

/** The name cut in the middle to `length` characters: its start and its end (the zone) stay readable. */
function shortenName(name: string, length: number): string {
  if (name.length <= length) return name;
  const kept = length - 3;
  return `${name.slice(0, Math.ceil(kept / 2))}...${name.slice(name.length - Math.floor(kept / 2))}`;
}

/**
 * The parts joined within `max` characters: names longer than a common cap are shortened to it, the
 * cap as high as fits and never below NAME_MIN_LENGTH, so the words around them stay whole.
 */
function fitHeadline(parts: readonly HeadlinePart[], max = SUBJECT_MAX_LENGTH): string {
  const ascii = parts.map((part) => ({ ...part, text: asciiText(part.text) }));
  const fixed = ascii.filter((p) => !p.name).reduce((sum, p) => sum + p.text.length, 0);
  const names = ascii.filter((p) => p.name).map((p) => p.text.length);
  const lengthAt = (cap: number) => fixed + names.reduce((sum, length) => sum + Math.min(length, cap), 0);
  let cap = Math.max(0, ...names);
  while (cap > NAME_MIN_LENGTH && lengthAt(cap) > max) cap -= 1;
  return ascii.map((p) => (p.name ? shortenName(p.text, cap) : p.text)).join('');
}

export function buildNotification(fields: NotificationFields): Notification {
  const tag = fields.dryRun ? `[${fields.severity.toUpperCase()}][DRY RUN]` : `[${fields.severity.toUpperCase()}]`;
  const what = typeof fields.headline === 'string' ? words(fields.headline) : fields.headline;
  return {
    eventType: fields.eventType,
    severity: fields.severity,
    subject: asciiSubject(fitHeadline(headline`${words(tag)} ${fields.system}: ${what}`.parts)),
    resource: fields.resource,
    ...(fields.region ? { region: fields.region } : {}),
    reason: fields.reason,
    ...(fields.before !== undefined ? { before: toJsonValue(fields.before) } : {}),
    ...(fields.after !== undefined ? { after: toJsonValue(fields.after) } : {}),
    ...(fields.planId ? { planId: fields.planId } : {}),
    dryRun: fields.dryRun,
    at: fields.at,
    ...(fields.details ? { details: jsonFields(fields.details) } : {}),
  };
}

/** The JSON body subscribers receive: every field of the notification but the subject. */
export function notificationBody(notification: Notification): Record<string, unknown> {
  const { subject: _subject, ...body } = notification;
  return jsonFields(body);
}

/** A record's fields as JSON keeps them: each value copied through JSON, a field JSON leaves out (undefined) left out. */
function jsonFields(fields: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields).flatMap(([key, value]) => {
      const text = JSON.stringify(value);
      if (text === undefined) return [];
      const entry: [string, unknown] = [key, JSON.parse(text)];
      return [entry];
    }),
  );
}

/** A deep copy that survives JSON (Dates become ISO strings, undefined fields drop out). */
function toJsonValue(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}
