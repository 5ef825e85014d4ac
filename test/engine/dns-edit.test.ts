import { describe, expect, it } from 'vitest';
import { applyDnsEdit, casChanges } from '../../lambdas/engine';
import type { RecordSet } from '../../lambdas/ports/dns.port';

const record = { name: 'origin.shop.example.com', type: 'A' as const };
const set = (setIdentifier: string, weight: number): RecordSet => ({
  name: 'origin.shop.example.com.',
  type: 'A',
  ttl: 60,
  values: [`10.0.0.${weight}`],
  setIdentifier,
  weight,
});

describe('applyDnsEdit on weighted sets', () => {
  it('sets one weight to 0 while another set still has weight', () => {
    // Act
    const result = applyDnsEdit(record, [set('a', 100), set('b', 50)], {
      shape: 'set',
      op: 'weight',
      setIdentifier: 'a',
      weight: 0,
    });
    // Assess
    expect(result?.after?.weight).toBe(0);
  });

  it('refuses to set the last non-zero weight to 0: Route 53 would split traffic equally over every set, the zero ones too', () => {
    // Act
    const pullLast = () =>
      applyDnsEdit(record, [set('a', 100), set('b', 0), set('c', 0)], {
        shape: 'set',
        op: 'weight',
        setIdentifier: 'a',
        weight: 0,
      });
    // Assess
    expect(pullLast).toThrow(/every weight 0.*equal split/);
  });
});

describe('casChanges', () => {
  it('re-writes every other set of the record unchanged, so the batch fails if any set changed since it was read', () => {
    // Prepare
    const [a, b, c] = [set('a', 100), set('b', 50), set('c', 20)];
    const result = applyDnsEdit(record, [a, b, c], { shape: 'set', op: 'delete', setIdentifier: 'a' });
    // Act
    const changes = result && casChanges(result);
    // Assess
    expect(changes).toEqual([
      { action: 'DELETE', recordSet: a },
      { action: 'DELETE', recordSet: b },
      { action: 'CREATE', recordSet: b },
      { action: 'DELETE', recordSet: c },
      { action: 'CREATE', recordSet: c },
    ]);
  });
});
