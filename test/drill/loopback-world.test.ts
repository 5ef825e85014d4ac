import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { readTopologyFile } from '../../lambdas/adapters/topology-file';
import { defaultDrillTopologyPath } from '../../lambdas/drill/drill-topology';
import { LoopbackWorld } from '../../lambdas/drill/loopback/loopback-world';
import { probeTopology } from '../../lambdas/probes/probe-engine';

function refused(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('the loopback world of the drill', () => {
  let world: LoopbackWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('serves every endpoint of examples/local.json on a free port, and the probes see them all healthy', async () => {
    // Prepare
    world = await LoopbackWorld.start(await readTopologyFile(defaultDrillTopologyPath));
    // Act: a timeout a busy machine cannot run out, so "healthy" is about the world, not the load
    const observations = await probeTopology({
      ...world.topology,
      checks: { ...world.topology.checks, timeoutMs: 10_000 },
    });
    // Assess
    const endpointObservations = observations.filter((o) => o.kind !== 'dns');
    expect(endpointObservations).toHaveLength(world.endpointIds.length);
    expect(endpointObservations.filter((o) => !o.ok)).toEqual([]);
    expect(world.topology.dns.every((r) => r.nameservers.every((ns) => ns === world!.nameserver))).toBe(true);
  });

  it('really stops an endpoint and starts it again on the same address and port', async () => {
    // Prepare
    world = await LoopbackWorld.start(await readTopologyFile(defaultDrillTopologyPath));
    const primary = world.topology.databases[0]!.primary;
    // Act
    await world.stop(primary.id);
    const whileStopped = await refused(primary.endpoint.host, primary.endpoint.port);
    await world.start(primary.id);
    const afterRestart = await refused(primary.endpoint.host, primary.endpoint.port);
    // Assess
    expect(whileStopped).toBe(true);
    expect(afterRestart).toBe(false);
  });

  it('forwards a request through a load balancer to a live server of its region, skipping a stopped one', async () => {
    // Prepare
    world = await LoopbackWorld.start(await readTopologyFile(defaultDrillTopologyPath));
    await world.stop('web-dub-a', 'web-dub-b');
    const lb = world.topology.loadBalancers.find((l) => l.id === 'lb-dub-1')!;
    const url = new URL(lb.probe.type === 'tcp' ? '' : lb.probe.url);
    // Act
    const response = await fetch(`http://${url.host}/`);
    // Assess
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('hello from web-dub-c\n');
  });

  it('closes every port when the world closes', async () => {
    // Prepare
    world = await LoopbackWorld.start(await readTopologyFile(defaultDrillTopologyPath));
    const endpoints = world.topology.databases[0]!.replicas.map((r) => r.endpoint);
    // Act
    await world.close();
    world = undefined;
    // Assess
    for (const endpoint of endpoints) expect(await refused(endpoint.host, endpoint.port)).toBe(true);
  });

  it('refuses an endpoint that is not on loopback, naming it', async () => {
    // Prepare
    const topology = await readTopologyFile(defaultDrillTopologyPath);
    const outside = {
      ...topology,
      servers: [{ ...topology.servers[0]!, probe: { type: 'tcp' as const, host: '10.0.0.1', port: 80 } }],
    };
    // Act
    const started = LoopbackWorld.start(outside);
    // Assess
    await expect(started).rejects.toThrow(/"web-dub-a" is at 10\.0\.0\.1/);
  });
});
