import { describe, expect, it } from 'vitest';
import { readTopologyFile } from '../../lambdas/adapters/topology-file';
import { defaultDrillTopologyPath, scaleTopology } from '../../lambdas/drill/drill-topology';

describe('the drill topology', () => {
  it('is examples/local.json, valid, with every endpoint on a loopback address', async () => {
    // Act
    const topology = await readTopologyFile(defaultDrillTopologyPath);
    // Assess
    const hosts = [
      ...topology.servers.map((s) => (s.probe.type === 'tcp' ? s.probe.host : new URL(s.probe.url).hostname)),
      ...topology.loadBalancers.map((lb) => (lb.probe.type === 'tcp' ? lb.probe.host : new URL(lb.probe.url).hostname)),
      ...topology.databases.flatMap((db) => [db.primary, ...db.replicas].map((m) => m.endpoint.host)),
      ...topology.dns.flatMap((r) => r.nameservers.map((ns) => ns.replace(/:\d+$/, ''))),
    ];
    expect(hosts.filter((h) => !h.startsWith('127.'))).toEqual([]);
    expect(topology.regionFailover.mode).toBe('auto');
  });

  it('divides every interval, wait and cooldown by the speed, and keeps timeouts at 150 ms or more', async () => {
    // Prepare
    const topology = await readTopologyFile(defaultDrillTopologyPath);
    // Act
    const fast = scaleTopology(topology, 4);
    // Assess
    expect(fast.checks.intervalSeconds).toBe(topology.checks.intervalSeconds / 4);
    expect(fast.checks.timeoutMs).toBe(Math.max(150, Math.round(topology.checks.timeoutMs / 4)));
    expect(fast.guard.cooldownSeconds).toBe(topology.guard.cooldownSeconds / 4);
    expect(fast.guard.heartbeatStaleSeconds).toBe(topology.guard.heartbeatStaleSeconds / 4);
    expect(fast.regionFailover.failbackHealthyMinutes).toBe(topology.regionFailover.failbackHealthyMinutes / 4);
    expect(fast.checks.failureThreshold).toBe(topology.checks.failureThreshold);
  });

  it('refuses a speed out of range, naming the range', async () => {
    // Prepare
    const topology = await readTopologyFile(defaultDrillTopologyPath);
    // Act
    const scale = () => scaleTopology(topology, 50);
    // Assess
    expect(scale).toThrow(/speed 50 is out of range; use a factor above 0 and at most 5/);
  });
});
