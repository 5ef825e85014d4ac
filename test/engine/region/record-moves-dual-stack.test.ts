import { describe, expect, it } from 'vitest';
import { parseTopology } from '../../../lambdas/domain/config/load';
import { recordMoveChanges } from '../../../lambdas/engine/region';
import type { RecordSet } from '../../../lambdas/ports/dns.port';
import { regionTopology } from './fixtures';

// Dual-stack load balancers: `ips` holds IPv4 and IPv6 addresses (the record's family first, as config validation
// checks the first); an A record takes only the IPv4 ones, an AAAA record only the IPv6 ones.
function dualStack(type: 'A' | 'AAAA') {
  const t = regionTopology();
  const lb = (id: string, region: string, v4: string, v6: string) => ({
    id,
    region,
    probe: { type: 'tcp' as const, host: v4, port: 443 },
    ips: type === 'A' ? [v4, v6] : [v6, v4],
  });
  const topology = parseTopology(
    {
      ...t,
      loadBalancers: [
        lb('nlb-dub', 'eu-west-1', '52.16.0.1', '2a05:d018::1'),
        lb('nlb-fra', 'eu-central-1', '3.64.0.1', '2a05:d014::1'),
      ],
      dns: [
        {
          id: 'edge',
          hostedZoneId: 'Z0123456789ABC',
          name: 'edge.shop.example.com',
          type,
          routing: 'ip-set',
          targets: [{ endpoint: 'nlb-dub' }, { endpoint: 'nlb-fra' }],
        },
      ],
    },
    'dual-stack topology',
  );
  return { topology, record: topology.dns[0]! };
}

describe('recordMoveChanges with dual-stack load balancers', () => {
  it.each([
    ['A' as const, ['52.16.0.1'], ['3.64.0.1']],
    ['AAAA' as const, ['2a05:d018::1'], ['2a05:d014::1']],
  ])('moves only the addresses of the record’s family into a %s record', (type, before, after) => {
    // Prepare
    const { topology, record } = dualStack(type);
    const sets: RecordSet[] = [{ name: 'edge.shop.example.com', type, ttl: 60, values: before }];
    // Act
    const changes = recordMoveChanges(
      topology,
      record,
      sets,
      { recordId: 'edge', in: ['nlb-fra'], out: ['nlb-dub'] },
      {},
    );
    // Assess
    expect(changes.map((c) => [c.action, c.recordSet.values])).toEqual([
      ['DELETE', before],
      ['CREATE', after],
    ]);
  });
});
