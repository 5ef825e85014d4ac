import { describe, expect, it } from 'vitest';
import {
  detectionSeconds,
  formatDuration,
  worstCaseFailoverSeconds,
} from '../../../lambdas/domain/audit/failover-time';
import { auditTopology } from '../../../lambdas/domain/audit/spof-audit';
import { parseTopology } from '../../../lambdas/domain/config/load';
import { exampleTopology, type EditableTopology } from '../config/example-topology';

/** Audits the two-region example after an edit; returns code → finding. */
function auditAfter(edit: (topology: EditableTopology) => void) {
  const topology = exampleTopology();
  edit(topology);
  const findings = auditTopology(parseTopology(topology));
  return { findings, codes: findings.map((f) => `${f.severity} ${f.code} ${f.resource}`) };
}

describe('auditTopology', () => {
  it('finds nothing in the two-region example', () => {
    expect(auditAfter(() => {}).findings).toEqual([]);
  });

  it('reports private endpoints as high for every guard region whose checker runs outside a VPC', () => {
    // Act
    const { findings, codes } = auditAfter((t) => {
      delete t.guard.vpc;
    });
    // Assess
    expect(codes).toEqual([
      'high PRIVATE_TARGETS_WITHOUT_VPC guard.vpc.eu-west-1',
      'high PRIVATE_TARGETS_WITHOUT_VPC guard.vpc.eu-central-1',
    ]);
    expect(findings[0]?.problem).toBe(
      '4 endpoints have private addresses (web-dub-a 10.10.1.11, web-dub-b 10.10.2.11, web-fra-a 10.20.1.11 and 1 more), but the checker in eu-west-1 runs outside any VPC: it would read them UNHEALTHY',
    );
  });

  it("reports a loopback topology (the drill's) as high: deployed, it would probe the Lambda sandbox", () => {
    // Act
    const { codes } = auditAfter((t) => {
      for (const s of t.servers) s.probe = { type: 'tcp', host: '127.0.0.1', port: 8080 };
      t.loadBalancers = [];
      t.dns = [];
      t.databases = [];
    });
    // Assess
    expect(codes).toContain('high LOOPBACK_TOPOLOGY topology');
    expect(codes).not.toContain('high PRIVATE_TARGETS_WITHOUT_VPC guard.vpc.eu-west-1');
  });

  it('reports a record with one target as high', () => {
    // Act
    const { findings } = auditAfter((t) => (t.dns[0].targets = [{ endpoint: 'nlb-dub-1' }]));
    // Assess
    expect(findings).toContainEqual({
      code: 'RECORD_SINGLE_TARGET',
      severity: 'high',
      resource: 'dns:www',
      problem: 'www.shop.example.com has one target (nlb-dub-1); when it fails there is nothing to fail over to',
      fix: 'add a second target (another load balancer or server, in another availability zone or region) to dns "www"',
    });
  });

  it('reports a record whose targets all sit in one region of a multi-region topology', () => {
    // Act
    const { findings } = auditAfter((t) => (t.dns[1].targets = t.dns[1].targets.slice(0, 2)));
    // Assess
    expect(findings).toEqual([
      expect.objectContaining({
        code: 'RECORD_SINGLE_REGION',
        severity: 'medium',
        resource: 'dns:origin',
        fix: 'add targets in another region (eu-central-1) to dns "origin"',
      }),
    ]);
  });

  it('reports an active-passive record without a target in a standby region as high: a region failover cannot move it', () => {
    // Act
    const { findings } = auditAfter((t) => (t.dns[0].targets = t.dns[0].targets.slice(0, 2)));
    // Assess
    expect(findings).toEqual([
      expect.objectContaining({
        code: 'RECORD_NO_STANDBY_TARGET',
        severity: 'high',
        resource: 'dns:www',
        fix: 'add targets in eu-central-1 to dns "www" (or make it active-active if it is not to move)',
      }),
    ]);
  });

  it('reports a region with one load balancer and a region with none', () => {
    // Act
    const { codes } = auditAfter((t) => {
      t.loadBalancers = t.loadBalancers.filter((lb: { id: string }) => lb.id !== 'nlb-dub-2' && !lb.id.includes('fra'));
      t.dns[0].targets = [{ endpoint: 'nlb-dub-1' }, { endpoint: 'web-fra-a', ip: '10.20.1.11' }];
    });
    // Assess
    expect(codes).toEqual(
      expect.arrayContaining([
        'medium REGION_SINGLE_LOAD_BALANCER region:eu-west-1',
        'medium REGION_NO_LOAD_BALANCER region:eu-central-1',
      ]),
    );
  });

  it('reports a database without a replica as high, and no other database finding for it', () => {
    // Act
    const { findings } = auditAfter((t) => (t.databases[0].replicas = []));
    // Assess
    expect(findings.map((f) => f.code)).toEqual(['DATABASE_NO_REPLICA']);
    expect(findings[0]).toMatchObject({
      severity: 'high',
      resource: 'database:orders',
      problem: expect.stringContaining('orders-primary has no replica'),
    });
  });

  it('reports replicas that all sit in the primary region as high when another region exists', () => {
    // Act
    const { findings } = auditAfter((t) => (t.databases[0].replicas = [t.databases[0].replicas[0]]));
    // Assess
    expect(findings).toEqual([
      expect.objectContaining({
        code: 'DATABASE_NO_CROSS_REGION_REPLICA',
        severity: 'high',
        fix: 'create a cross-region read replica in eu-central-1',
      }),
    ]);
  });

  it('reports a one-region system as high and its same-region replicas as medium', () => {
    // Act
    const { codes } = auditAfter((t) => {
      t.regions = [t.regions[0]];
      t.servers = t.servers.filter((s: { region: string }) => s.region === 'eu-west-1');
      t.loadBalancers = t.loadBalancers.filter((lb: { region: string }) => lb.region === 'eu-west-1');
      t.dns[0].targets = t.dns[0].targets.slice(0, 2);
      t.dns[1].targets = t.dns[1].targets.slice(0, 2);
      t.databases[0].replicas = [t.databases[0].replicas[0]];
      t.guard.vpc = { 'eu-west-1': t.guard.vpc['eu-west-1'] };
    });
    // Assess
    expect(codes).toEqual(['high SINGLE_REGION regions', 'medium DATABASE_NO_CROSS_REGION_REPLICA database:orders']);
  });

  it.each([
    { ttl: 60, severity: undefined },
    { ttl: 91, severity: 'low' },
    { ttl: 271, severity: 'medium' },
    { ttl: 3600, severity: 'high' },
  ])('rates a TTL of $ttl s (30 s detection) as $severity', ({ ttl, severity }) => {
    // Act
    const { findings } = auditAfter((t) => (t.dns[0].ttl = ttl));
    // Assess
    expect(findings.find((f) => f.code === 'DNS_SLOW_FAILOVER')?.severity).toBe(severity);
  });

  it('reports the worst-case failover time of a slow record with the slowest target’s detection', () => {
    // Act
    const { findings } = auditAfter((t) => {
      t.dns[0].ttl = 300;
      t.loadBalancers[3].checks = { intervalSeconds: 30, failureThreshold: 4 };
    });
    // Assess
    expect(findings).toContainEqual(
      expect.objectContaining({
        code: 'DNS_SLOW_FAILOVER',
        severity: 'medium',
        problem:
          'clients may reach a dead target of www.shop.example.com for up to 7 min: detection 30 s × 4 = 2 min, then TTL 5 min in resolver caches',
      }),
    );
  });

  it('reports a long writer DNS TTL', () => {
    // Act
    const { findings } = auditAfter((t) => (t.databases[0].writerDns.ttl = 600));
    // Assess
    expect(findings).toEqual([
      expect.objectContaining({
        code: 'WRITER_DNS_SLOW_FAILOVER',
        severity: 'medium',
        resource: 'database:orders.writerDns',
        fix: 'lower databases "orders" writerDns.ttl to 30 or less',
      }),
    ]);
  });

  it('reports a guard deployed in one region of two as high', () => {
    // Act
    const { findings } = auditAfter((t) => (t.guard.regions = ['eu-west-1']));
    // Assess
    expect(findings).toEqual([
      expect.objectContaining({
        code: 'GUARD_SINGLE_REGION',
        severity: 'high',
        problem: 'the guard runs in eu-west-1 only; when that region fails nothing is left to detect it or fail over',
      }),
    ]);
  });

  it('reports region failover switched off', () => {
    // Act
    const { codes } = auditAfter((t) => (t.regionFailover.mode = 'off'));
    // Assess
    expect(codes).toEqual(['medium REGION_FAILOVER_OFF regionFailover.mode']);
  });

  it('sorts findings by severity, high first', () => {
    // Act
    const { findings } = auditAfter((t) => {
      t.regionFailover.mode = 'off';
      t.dns[1].ttl = 100;
      t.guard.regions = ['eu-central-1'];
      t.databases[0].replicas = [];
    });
    // Assess
    expect(findings.map((f) => f.severity)).toEqual(['high', 'high', 'medium', 'low']);
  });
});

describe('failover time', () => {
  it('is detection (interval × failureThreshold) plus the TTL', () => {
    expect(detectionSeconds({ intervalSeconds: 10, failureThreshold: 3 })).toBe(30);
    expect(worstCaseFailoverSeconds({ intervalSeconds: 10, failureThreshold: 3 }, 60)).toBe(90);
  });

  it.each([
    [45, '45 s'],
    [120, '2 min'],
    [390, '6 min 30 s'],
    [7200, '2 h'],
    [7500, '2 h 5 min'],
  ])('formats %d s as "%s"', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});
