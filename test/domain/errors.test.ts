import { describe, expect, it } from 'vitest';
import { asError, errorMessage } from '../../lambdas/domain/errors';

describe('errorMessage', () => {
  it('gives an Error its message and anything else thrown its text', () => {
    // Assess
    expect(errorMessage(new TypeError('bad input'))).toBe('bad input');
    expect(errorMessage('plain string')).toBe('plain string');
    expect(errorMessage(42)).toBe('42');
    expect(errorMessage(undefined)).toBe('undefined');
  });

  it('keeps an Error as it is and wraps anything else thrown in one', () => {
    // Prepare
    const error = new RangeError('out of range');
    // Assess
    expect(asError(error)).toBe(error);
    expect(asError({ code: 7 })).toBeInstanceOf(Error);
    expect(asError('text').message).toBe('text');
  });
});
