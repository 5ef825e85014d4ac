import { describe, expect, it } from 'vitest';
import { chooseActor, isActor } from '../../../lambdas/engine/region/actor';

const order = ['eu-west-1', 'eu-central-1', 'eu-north-1'];

describe('chooseActor', () => {
  it.each([
    { dark: 'eu-west-1', live: ['eu-west-1', 'eu-central-1', 'eu-north-1'], actor: 'eu-central-1' },
    { dark: 'eu-west-1', live: ['eu-central-1', 'eu-north-1'], actor: 'eu-central-1' },
    { dark: 'eu-west-1', live: ['eu-north-1'], actor: 'eu-north-1' },
    { dark: 'eu-central-1', live: ['eu-west-1', 'eu-central-1', 'eu-north-1'], actor: 'eu-west-1' },
    { dark: 'eu-central-1', live: ['eu-north-1', 'eu-central-1'], actor: 'eu-north-1' },
    { dark: 'eu-west-1', live: ['eu-west-1'], actor: undefined },
    { dark: 'eu-west-1', live: [], actor: undefined },
  ])('region $dark dark, live $live → $actor acts', ({ dark, live, actor }) => {
    // Act / Assess
    expect(chooseActor(order, new Set(live), dark)).toBe(actor);
  });

  it('lets exactly one live checker act', () => {
    // Prepare
    const live = new Set(order);
    // Act
    const actors = order.filter((checker) => isActor(checker, order, live, 'eu-west-1'));
    // Assess
    expect(actors).toEqual(['eu-central-1']);
  });
});
