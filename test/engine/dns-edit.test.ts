import { describe, expect, it } from 'vitest';
import { applyDnsEdit } from '../../lambdas/engine';
import type { RecordSet } from '../../lambdas/ports/dns.port';

const record = { name: 'origin.shop.example.com', type: 'A' as const };
const set = (setIdentifier: string, weight: number): RecordSet => ({ name: 'origin.shop.example.com.', type: 'A', ttl: 60, values: [`10.0.0.${weight}`], setIdentifier, weight });

describe('applyDnsEdit on weighted sets', () => {
  it('sets one weight to 0 while another set still has weight', () => {
    // Act
    const result = applyDnsEdit(record, [set('a', 100), set('b', 50)], { shape: 'set', op: 'weight', setIdentifier: 'a', weight: 0 });
    // Assess
    expect(result?.after?.weight).toBe(0);
  });

  it('refuses to set the last non-zero weight to 0: Route 53 would split traffic equally over every set, the zero ones too', () => {
    // Act
    const pullLast = () => applyDnsEdit(record, [set('a', 100), set('b', 0), set('c', 0)], { shape: 'set', op: 'weight', setIdentifier: 'a', weight: 0 });
    // Assess
    expect(pullLast).toThrow(/every weight 0.*equal split/);
  });
});
