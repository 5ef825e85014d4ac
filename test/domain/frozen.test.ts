import { describe, expect, it } from 'vitest';
import { freezeDeep, isFrozenDeep } from '../../lambdas/domain/frozen';

describe('freezeDeep', () => {
  it('freezes plain data all the way down and returns the same value', () => {
    // Prepare
    const value = { health: { 'web-1': { status: 'HEALTHY', recent: [{ at: 'then' }] } }, list: [[1], { a: 2 }] };
    // Act
    const frozen = freezeDeep(value);
    // Assess
    expect(frozen).toBe(value);
    for (const part of [
      value,
      value.health,
      value.health['web-1'],
      value.health['web-1'].recent,
      value.health['web-1'].recent[0],
      value.list,
      value.list[0],
      value.list[1],
    ])
      expect(Object.isFrozen(part)).toBe(true);
    expect(() => {
      (value.health['web-1'] as { status: string }).status = 'UNHEALTHY';
    }).toThrow(TypeError);
  });

  it('vouches only for what it froze itself: a value frozen at the top only is not frozen all the way down', () => {
    // Prepare
    const shallow = Object.freeze({ inner: { status: 'HEALTHY' } });
    const deep = freezeDeep({ inner: { status: 'HEALTHY' } });
    // Act / Assess
    expect(isFrozenDeep(shallow)).toBe(false);
    expect(isFrozenDeep(deep)).toBe(true);
    expect(isFrozenDeep(deep.inner)).toBe(false);
    expect(isFrozenDeep('text')).toBe(false);
    expect(isFrozenDeep(null)).toBe(false);
  });

  it('freezes a value that holds itself once, and leaves primitives as they are', () => {
    // Prepare
    const cyclic: { self?: unknown; n: number } = { n: 1 };
    cyclic.self = cyclic;
    // Act / Assess
    expect(freezeDeep(cyclic)).toBe(cyclic);
    expect(Object.isFrozen(cyclic)).toBe(true);
    expect(freezeDeep(42)).toBe(42);
    expect(freezeDeep(null)).toBe(null);
  });
});
