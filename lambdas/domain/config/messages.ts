// Zod's default messages rewritten for a person editing a config file: what is wrong, in words.
// Messages set in the schema itself take precedence over these.
import type { core } from 'zod';

const typeNames: Readonly<Record<string, string>> = {
  int: 'a whole number',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
};

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return JSON.stringify(value);
}

const plural = (count: number | bigint, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

function sizeMessage(issue: core.$ZodRawIssue<core.$ZodIssueTooSmall | core.$ZodIssueTooBig>): string | undefined {
  const small = issue.code === 'too_small';
  const limit = small ? (issue as core.$ZodIssueTooSmall).minimum : (issue as core.$ZodIssueTooBig).maximum;
  const bound = small ? (issue.inclusive ? 'at least' : 'more than') : issue.inclusive ? 'at most' : 'less than';
  switch (issue.origin) {
    case 'number':
      return `${describeValue(issue.input)} is too ${small ? 'small' : 'big'}: must be ${bound} ${limit}`;
    case 'array':
      return `must have ${bound} ${plural(Number(limit), 'item')}`;
    case 'string':
      return small && Number(limit) === 1
        ? 'must not be empty'
        : `must be ${bound} ${plural(Number(limit), 'character')}`;
    default:
      return undefined;
  }
}

/** Per-parse error map: returns undefined to keep zod's message. */
export function friendlyMessage(issue: core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = typeNames[issue.expected] ?? issue.expected;
      return issue.input === undefined
        ? `is required (${expected})`
        : `must be ${expected}, not ${describeValue(issue.input)}`;
    }
    case 'too_small':
    case 'too_big':
      return sizeMessage(issue);
    case 'invalid_value':
      return `${describeValue(issue.input)} is not one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_union': {
      const { discriminator, options } = issue as { discriminator?: string; options?: unknown[] };
      if (!discriminator || !options) return undefined;
      const value = (issue.input as Record<string, unknown> | undefined)?.[discriminator];
      return `${value === undefined ? 'is required' : `${describeValue(value)} is not supported`}: use one of ${options.map((o) => JSON.stringify(o)).join(', ')}`;
    }
    default:
      return undefined;
  }
}
