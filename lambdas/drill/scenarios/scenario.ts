// What a drill scenario is, and the helpers every scenario uses: inject a fault, then wait for the
// outcome a person would check (a real DNS query, the database API) and time it.
import type { DnsRecord, Topology } from '../../domain/config/schema';
import type { HealthStatus } from '../../domain/health/types';
import { targetIps } from '../../adapters/memory';
import type { ExpectationResult } from '../drill-report';
import type { DrillSession } from '../drill-session';

export interface Scenario {
  /** The --scenario name. */
  readonly name: string;
  /** One line for --help. */
  readonly summary: string;
  /** Runs the scenario, handing over each expectation's result as soon as it is known. */
  run(session: DrillSession, record: (result: ExpectationResult) => void): Promise<void>;
}

/** What a check saw: `met` when the expected outcome holds. */
export interface Seen {
  readonly met: boolean;
  readonly seen: string;
}

export interface Expectation {
  readonly scenario: string;
  readonly fault: string;
  readonly expected: string;
  /** Drill time of the fault. */
  readonly faultAtMs: number;
  /** Targets whose health change counts as detection, and the status they change to. */
  readonly detect?: { readonly targetIds: readonly string[]; readonly to: HealthStatus; readonly checker?: string };
  /** Cycles to wait for the outcome before it counts as failed. */
  readonly withinCycles: number;
  /** Extra time on top of the cycles (a database promotion). */
  readonly extraMs?: number;
  readonly check: () => Promise<Seen>;
}

/** Records the fault on the timeline, then injects it; returns its drill time. */
export async function injectFault(
  session: DrillSession,
  text: string,
  inject: () => Promise<void> | void,
): Promise<number> {
  const atMs = session.timeline.add('fault', text).atMs;
  await inject();
  return atMs;
}

/** Waits for the expected outcome and returns the summary row, with detection and action times. */
export async function expectOutcome(session: DrillSession, e: Expectation): Promise<ExpectationResult> {
  let last: Seen = { met: false, seen: 'nothing checked yet' };
  const { value, atMs } = await session.waitFor(
    async () => {
      last = await e.check();
      return last.met ? last : undefined;
    },
    e.withinCycles * session.intervalMs + (e.extraMs ?? 0),
  );
  const detectedAt = e.detect
    ? session.firstSeen(e.detect.targetIds, e.detect.to, e.faultAtMs, e.detect.checker)
    : undefined;
  const passed = value !== undefined;
  const waitedS = ((e.withinCycles * session.intervalMs + (e.extraMs ?? 0)) / 1000).toFixed(1);
  const detail = passed ? last.seen : `not within ${waitedS} s; saw ${last.seen}`;
  session.timeline.add(passed ? 'verified' : 'failed', `${e.expected}: ${detail}`);
  const result: ExpectationResult = {
    scenario: e.scenario,
    fault: e.fault,
    expected: e.expected,
    passed,
    ...(detectedAt !== undefined ? { detectMs: detectedAt - e.faultAtMs } : {}),
    ...(passed ? { actMs: atMs - e.faultAtMs } : {}),
    detail,
  };
  await session.hold(result);
  return result;
}

/** A scenario that could not start (the world was not healthy first): one failed row. */
function notStarted(scenario: string, fault: string, why: string): ExpectationResult {
  return { scenario, fault, expected: 'a healthy start', passed: false, detail: why };
}

/** Waits until every checker sees everything healthy; a failed row when it does not happen. */
export async function healthyStart(
  session: DrillSession,
  scenario: string,
  fault: string,
): Promise<ExpectationResult | undefined> {
  const problem = await session.waitHealthy(10 * session.intervalMs);
  return problem ? notStarted(scenario, fault, `not healthy before the fault: ${problem}`) : undefined;
}

const isServer = (t: Topology, id: string) => t.servers.some((s) => s.id === id);
const isLoadBalancer = (t: Topology, id: string) => t.loadBalancers.some((lb) => lb.id === id);

/** The first record whose targets are all servers (or all load balancers). */
export function recordOver(topology: Topology, kind: 'server' | 'load-balancer'): DnsRecord {
  const matches = kind === 'server' ? isServer : isLoadBalancer;
  const record = topology.dns.find((r) => r.targets.every((t) => matches(topology, t.endpoint)));
  if (!record)
    throw new Error(
      `the drill topology "${topology.name}" has no DNS record whose targets are all ${kind}s; add one to run this scenario`,
    );
  return record;
}

/** Addresses a record target serves. */
export function addressesOf(topology: Topology, record: DnsRecord, endpoint: string): string[] {
  return record.targets.filter((t) => t.endpoint === endpoint).flatMap((t) => targetIps(topology, t));
}

export function regionOf(topology: Topology, endpoint: string): string {
  const found = [...topology.servers, ...topology.loadBalancers].find((e) => e.id === endpoint);
  if (!found) throw new Error(`"${endpoint}" is not a server or load balancer of the drill topology`);
  return found.region;
}

export const list = (values: readonly string[]) => (values.length > 0 ? values.join(' ') : '(empty)');
