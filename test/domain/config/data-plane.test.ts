import { describe, expect, it } from 'vitest';
import {
  healthCheckOwnerRegion,
  healthChecksKeptBy,
  healthChecksOwnedBy,
} from '../../../lambdas/domain/config/data-plane';
import { parseTopology } from '../../../lambdas/domain/config/load';
import { exampleTopology } from './example-topology';

describe('dataPlaneFailover in the topology', () => {
  it('is off unless asked for', () => {
    // Act
    const topology = parseTopology(exampleTopology());
    // Assess
    expect(topology.dns.map((d) => d.dataPlaneFailover)).toEqual([false, false]);
  });

  it('accepts a weighted record with sets in two regions', () => {
    // Prepare
    const raw = exampleTopology();
    raw.dns[1].dataPlaneFailover = true;
    // Act
    const topology = parseTopology(raw);
    // Assess
    expect(topology.dns[1]?.dataPlaneFailover).toBe(true);
  });

  it('refuses an ip-set record: its one set cannot carry a health check per region', () => {
    // Prepare
    const raw = exampleTopology();
    raw.dns[0].dataPlaneFailover = true;
    // Act
    const parse = () => parseTopology(raw);
    // Assess
    expect(parse).toThrow(/dns\[0\]\.dataPlaneFailover: needs routing "failover" or "weighted".*"ip-set"/);
  });

  it('refuses a marked record whose sets all sit in one region: traffic would have nowhere to go', () => {
    // Prepare
    const raw = exampleTopology();
    raw.dns[1].dataPlaneFailover = true;
    raw.dns[1].targets = raw.dns[1].targets.slice(0, 2);
    // Act
    const parse = () => parseTopology(raw);
    // Assess
    expect(parse).toThrow(
      /dns\[1\]\.targets: data-plane failover needs record sets in at least two regions.*eu-west-1 only/,
    );
  });
});

describe('whose health check goes on a region’s sets', () => {
  it.each([
    [['eu-west-1', 'eu-central-1'], 'eu-west-1', 'eu-central-1'],
    [['eu-west-1', 'eu-central-1'], 'eu-central-1', 'eu-west-1'],
    [['eu-west-1', 'eu-central-1', 'us-east-1'], 'eu-west-1', 'eu-central-1'],
    [['eu-west-1', 'eu-central-1', 'us-east-1'], 'us-east-1', 'eu-west-1'],
    [['eu-west-1'], 'eu-west-1', 'eu-west-1'],
    [['eu-west-1'], 'eu-central-1', 'eu-west-1'],
  ])('guard regions %j: %s carries the check of the %s stack', (guardRegions, region, owner) => {
    // Prepare
    const raw = exampleTopology();
    raw.regions.push({ name: 'us-east-1', role: 'standby' });
    raw.guard.regions = guardRegions;
    // Act
    const topology = parseTopology(raw);
    // Assess
    expect(healthCheckOwnerRegion(topology, region)).toBe(owner);
  });

  it('shares the regions out: each stack attaches the checks of the regions it judges first', () => {
    // Prepare
    const raw = exampleTopology();
    raw.regions.push({ name: 'us-east-1', role: 'standby' });
    raw.guard.regions = ['eu-west-1', 'eu-central-1', 'us-east-1'];
    const topology = parseTopology(raw);
    // Act
    const shares = ['eu-west-1', 'eu-central-1', 'us-east-1'].map((r) => healthChecksOwnedBy(topology, r));
    // Assess
    expect(shares).toEqual([['eu-central-1', 'us-east-1'], ['eu-west-1'], []]);
  });

  it('keeps a check only for the regions a marked record has sets in, and none without a marked record', () => {
    // Prepare: three guard regions; the weighted record "origin" has sets in eu-west-1 and eu-central-1 only
    const raw = exampleTopology();
    raw.regions.push({ name: 'us-east-1', role: 'standby' });
    raw.guard.regions = ['eu-west-1', 'eu-central-1', 'us-east-1'];
    const unmarked = parseTopology(raw);
    raw.dns[1].dataPlaneFailover = true;
    const marked = parseTopology(raw);
    const guards = ['eu-west-1', 'eu-central-1', 'us-east-1'];
    // Act
    const kept = guards.map((r) => healthChecksKeptBy(marked, r));
    // Assess: eu-west-1 owns the checks of eu-central-1 and us-east-1, but no set is in us-east-1
    expect(kept).toEqual([['eu-central-1'], ['eu-west-1'], []]);
    expect(guards.flatMap((r) => healthChecksKeptBy(unmarked, r))).toEqual([]);
  });
});
