import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { friendlyMessage } from '../../../lambdas/domain/config/messages';

const schema = z.strictObject({
  count: z.number().int().min(1).max(10),
  names: z.array(z.string().min(1)).min(2).max(3),
  label: z.string().min(3).optional(),
  mode: z.enum(['auto', 'off']).optional(),
  custom: z.number().min(5, 'needs five').optional(),
});

const messageFor = (value: unknown) =>
  schema.safeParse(value, { error: friendlyMessage }).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);

describe('friendlyMessage', () => {
  it.each([
    { value: { names: ['a', 'b'] }, expected: 'count: is required (a number)' },
    { value: { count: 1.5, names: ['a', 'b'] }, expected: 'count: must be a whole number, not 1.5' },
    { value: { count: 11, names: ['a', 'b'] }, expected: 'count: 11 is too big: must be at most 10' },
    { value: { count: 1, names: ['a'] }, expected: 'names: must have at least 2 items' },
    { value: { count: 1, names: ['a', 'b', 'c', 'd'] }, expected: 'names: must have at most 3 items' },
    { value: { count: 1, names: ['a', ''] }, expected: 'names.1: must not be empty' },
    { value: { count: 1, names: ['a', 'b'], label: 'ab' }, expected: 'label: must be at least 3 characters' },
    { value: { count: 1, names: ['a', 'b'], mode: 'on' }, expected: 'mode: "on" is not one of "auto", "off"' },
    { value: { count: 1, names: 'a,b' }, expected: 'names: must be a list, not "a,b"' },
    { value: { count: 1, names: ['a', 'b'], custom: 1 }, expected: 'custom: needs five' },
  ])('says ', ({ value, expected }) => {
    expect(messageFor(value)).toEqual([expected]);
  });
});
