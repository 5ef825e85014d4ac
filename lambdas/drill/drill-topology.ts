// The drill's topology: examples/local.json (or another loopback topology), with every timing
// divided by --speed so the same scenarios run faster in tests. The scaled copy lives in memory only.
import { fileURLToPath } from 'node:url';
import type { Topology } from '../domain/config/schema';

export const defaultDrillTopologyPath = fileURLToPath(new URL('../../examples/local.json', import.meta.url));

/** Highest --speed: beyond it a probe timeout no longer fits comfortably into the interval on a busy machine. */
export const maxSpeed = 5;
/** Probe timeouts never scale below this: loopback answers in about a millisecond, but a busy event loop does not. */
const minTimeoutMs = 150;

type Checks = Topology['checks'];

function scaleChecks<C extends Partial<Checks>>(checks: C, speed: number): C {
  return {
    ...checks,
    ...(checks.intervalSeconds !== undefined ? { intervalSeconds: checks.intervalSeconds / speed } : {}),
    ...(checks.timeoutMs !== undefined
      ? { timeoutMs: Math.max(minTimeoutMs, Math.round(checks.timeoutMs / speed)) }
      : {}),
  };
}

/** Every interval, timeout, cooldown, heartbeat and failback wait divided by `speed` (1 leaves the topology as it is). */
export function scaleTopology(topology: Topology, speed: number): Topology {
  if (!(speed > 0 && speed <= maxSpeed))
    throw new RangeError(`speed ${speed} is out of range; use a factor above 0 and at most ${maxSpeed}`);
  if (speed === 1) return topology;
  const scaleOverrides = <E extends { checks?: Partial<Checks> | undefined }>(endpoint: E): E =>
    endpoint.checks ? { ...endpoint, checks: scaleChecks(endpoint.checks, speed) } : endpoint;
  return {
    ...topology,
    checks: scaleChecks(topology.checks, speed),
    servers: topology.servers.map(scaleOverrides),
    loadBalancers: topology.loadBalancers.map(scaleOverrides),
    databases: topology.databases.map((db) => ({
      ...db,
      primary: scaleOverrides(db.primary),
      replicas: db.replicas.map(scaleOverrides),
    })),
    regionFailover: {
      ...topology.regionFailover,
      failbackHealthyMinutes: topology.regionFailover.failbackHealthyMinutes / speed,
    },
    guard: {
      ...topology.guard,
      cooldownSeconds: topology.guard.cooldownSeconds / speed,
      heartbeatStaleSeconds: topology.guard.heartbeatStaleSeconds / speed,
      maxDnsChanges: {
        ...topology.guard.maxDnsChanges,
        windowSeconds: topology.guard.maxDnsChanges.windowSeconds / speed,
      },
    },
  };
}

/**
 * The drill evaluates readiness every cycle (its in-memory cloud reads cost nothing), so a readiness
 * change is told within a cycle or two instead of once per readinessCheckSeconds (at least 60 s).
 */
export function readinessEveryCycle(topology: Topology): Topology {
  return { ...topology, guard: { ...topology.guard, readinessCheckSeconds: topology.checks.intervalSeconds } };
}
