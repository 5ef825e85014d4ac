// The local drill: each scenario in a fresh loopback world with the real engine, probes, planner and
// runbooks on the in-memory cloud; a live view while it runs, a summary table and report at the end.
import { relative } from 'node:path';
import { readTopologyFile } from '../adapters/topology-file';
import { endpointAddresses } from '../domain/config/addresses';
import type { Topology } from '../domain/config/schema';
import { errorMessage, ConfigError } from '../domain/errors';
import type { Notification } from '../ports/notifier.port';
import { formatSummary, type DrillReport, type ExpectationResult } from './drill-report';
import { DrillSession, type DrillSessionOptions } from './drill-session';
import { defaultDrillTopologyPath, readinessEveryCycle, scaleTopology } from './drill-topology';
import { LiveView, type LiveViewOutput, type LiveViewSnapshot } from './live-view';
import { drillScenarios, type Scenario } from './scenarios';
import { Timeline } from './timeline';

export interface DrillOptions {
  /** @default - examples/local.json */
  readonly topologyPath?: string;
  /** Divides every interval and timeout. @default - 1 */
  readonly speed?: number;
  /** Run this scenario only. @default - every scenario */
  readonly scenario?: string;
  readonly output: LiveViewOutput;
  /** Bind the ports the topology names, so the world can be probed from another terminal. @default false */
  readonly configuredPorts?: boolean;
  /** Called after each expectation with its state still in place (`--pause`). @default - go straight on */
  readonly hold?: DrillSessionOptions['hold'];
  /** Print each notification's JSON body under its one-line subject. @default false */
  readonly verbose?: boolean;
}

export const scenarios: readonly Scenario[] = drillScenarios;

/** The scenario names --scenario accepts, in run order. */
const scenarioNames: readonly string[] = scenarios.map((s) => s.name);

function selectScenarios(name: string | undefined): readonly Scenario[] {
  if (name === undefined) return scenarios;
  const found = scenarios.find((s) => s.name === name);
  if (!found) throw new RangeError(`unknown scenario "${name}"; choose one of: ${scenarioNames.join(', ')}`);
  return [found];
}

const idleSnapshot = (heading: string): LiveViewSnapshot => ({
  heading,
  checkers: [],
  regions: [],
  targets: [],
  dnsAnswers: [],
});

/** The drill binds every endpoint on this machine: refused up front (exit 2) unless each is on loopback. */
function assertLoopbackTopology(topology: Topology, source: string): void {
  const elsewhere = endpointAddresses(topology).filter((a) => a.addressClass !== 'loopback' || a.host === 'localhost');
  if (elsewhere.length === 0) return;
  throw new ConfigError(
    source,
    elsewhere.map((a) => ({
      path: `endpoint ${a.id}`,
      message: `is at ${a.host}; the drill runs only on loopback: give it a 127.x.y.z address`,
    })),
  );
}

/** The drill's topology from `path`: valid, on loopback, its timings divided by `speed`. */
export async function loadDrillTopology(path: string, speed: number): Promise<Topology> {
  const written = await readTopologyFile(path);
  assertLoopbackTopology(written, path);
  return readinessEveryCycle(scaleTopology(written, speed));
}

export async function runDrill(options: DrillOptions): Promise<DrillReport> {
  const speed = options.speed ?? 1;
  const selected = selectScenarios(options.scenario);
  const topologyPath = options.topologyPath ?? defaultDrillTopologyPath;
  const topology = await loadDrillTopology(topologyPath, speed);
  const startedAt = new Date();
  const timeline = new Timeline(startedAt.getTime());
  let session: DrillSession | undefined;
  const view = new LiveView(options.output, () => session?.snapshot() ?? idleSnapshot('starting'), {
    verbose: options.verbose ?? false,
  });
  const results: ExpectationResult[] = [];
  const notifications: Notification[] = [];
  options.output.write(
    `Failover Guard drill: ${relative(process.cwd(), topologyPath) || topologyPath} on loopback, ${selected.length} scenario(s), interval ${topology.checks.intervalSeconds * 1000} ms (speed ${speed})\n`,
  );
  view.start(timeline);
  try {
    for (const [index, scenario] of selected.entries()) {
      const heading = `scenario ${index + 1}/${selected.length} ${scenario.name}`;
      timeline.add('scenario', `${heading}: ${scenario.summary}`);
      session = await DrillSession.start(topology, timeline, speed, {
        configuredPorts: options.configuredPorts ?? false,
        hold: options.hold,
      });
      session.heading = heading;
      try {
        await scenario.run(session, (result) => results.push(result));
      } catch (error) {
        const why = errorMessage(error);
        timeline.add('failed', `${scenario.name} stopped: ${why}`);
        results.push({
          scenario: scenario.name,
          fault: '-',
          expected: 'the scenario runs',
          passed: false,
          detail: why,
        });
      } finally {
        notifications.push(...session.cloud.notifier.outbox);
        await session.close();
      }
    }
  } finally {
    view.stop();
  }
  const report: DrillReport = {
    topology: topologyPath,
    speed,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    passed: results.length > 0 && results.every((r) => r.passed),
    results,
    notifications,
    timeline: timeline.events,
  };
  options.output.write(`\n${formatSummary(report)}`);
  return report;
}
