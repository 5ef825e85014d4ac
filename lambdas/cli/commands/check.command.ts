// `failover-guard check <config> [--watch] [--json]`: probes every endpoint and DNS record and shows
// what each one answered — once (UP / DOWN), or every interval with the health state machine's verdicts.
import type { Command } from 'commander';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Topology } from '../../domain/config/schema';
import { probeTargets } from '../../domain/config/targets';
import { advanceAll, isDown } from '../../domain/health/state-machine';
import type { HealthTransition, TargetHealth, Thresholds } from '../../domain/health/types';
import type { Observation } from '../../domain/observation';
import { probeTopology } from '../../probes/probe-engine';
import { ExitCode, InputError, type CliIo } from '../../contracts/command-io';
import { readTopologyFile } from '../../adapters/topology-file';

/** One line of the report: a target, what the probe saw, and its state. */
export interface CheckRow {
  readonly targetId: string;
  readonly kind: Observation['kind'];
  /** The endpoint's region; absent for DNS records (asked at a nameserver, not in a region). */
  readonly region?: string;
  /** UP / DOWN for a single check; HEALTHY / SUSPECT / UNHEALTHY / RECOVERING with --watch. */
  readonly state: string;
  readonly down: boolean;
  readonly latencyMs: number;
  readonly error?: string;
  readonly detail?: string;
  /** Worth a look though not a failure: a certificate expiring soon, DNS answers not in the config. */
  readonly warning?: string;
  readonly observation: Observation;
}

function warningOf(observation: Observation): string | undefined {
  const warnings: string[] = [];
  const certificate = observation.certificate;
  if (certificate?.expiringSoon) {
    warnings.push(
      certificate.daysLeft < 0
        ? `certificate expired ${-certificate.daysLeft} d ago`
        : `certificate expires in ${certificate.daysLeft} d`,
    );
  }
  if (observation.dns && observation.dns.unexpected.length > 0)
    warnings.push(`drift: ${observation.dns.unexpected.join(', ')}`);
  return warnings.length > 0 ? warnings.join('; ') : undefined;
}

/** Rows in probe order; `health` (from --watch) supplies the state, else each probe's own outcome does. */
export function checkRows(
  topology: Topology,
  observations: readonly Observation[],
  health?: Readonly<Record<string, TargetHealth>>,
): CheckRow[] {
  const regions = new Map(probeTargets(topology).map((t) => [t.id, t.region]));
  return observations.map((observation) => {
    const status = health?.[observation.targetId]?.status;
    return {
      targetId: observation.targetId,
      kind: observation.kind,
      region: regions.get(observation.targetId),
      state: status ?? (observation.ok ? 'UP' : 'DOWN'),
      down: status ? isDown(status) : !observation.ok,
      latencyMs: observation.latencyMs,
      error: observation.error,
      detail: observation.detail,
      warning: warningOf(observation),
      observation,
    };
  });
}

/** A fixed-width table a person reads at a glance, with a one-line summary under it. */
export function formatCheckTable(rows: readonly CheckRow[]): string {
  const header = ['TARGET', 'KIND', 'REGION', 'STATE', 'LATENCY', 'ERROR'];
  const cells = rows.map((r) => [
    r.targetId,
    r.kind,
    r.region ?? '-',
    r.state,
    `${r.latencyMs.toFixed(1)} ms`,
    [r.error && `${r.error}${r.detail ? ` (${r.detail})` : ''}`, r.warning && `warning: ${r.warning}`]
      .filter(Boolean)
      .join('; ') || '-',
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...cells.map((row) => (row[column] as string).length)),
  );
  const line = (row: readonly string[]) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] as number)))
      .join('  ')
      .trimEnd();
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.state, (counts.get(r.state) ?? 0) + 1);
  const summary =
    rows.length === 0
      ? 'no targets: the config has no servers, load balancers, databases or DNS records with nameservers'
      : `${rows.length} target${rows.length === 1 ? '' : 's'}: ${[...counts].map(([state, n]) => `${n} ${state}`).join(', ')}`;
  return `${[line(header), ...cells.map(line), '', summary].join('\n')}\n`;
}

function jsonRow(row: CheckRow) {
  const { observation, ...rest } = row;
  return {
    ...rest,
    checker: observation.checker,
    at: observation.at,
    certificate: observation.certificate,
    dns: observation.dns,
  };
}

function formatTransition(t: HealthTransition): string {
  const last = t.evidence.at(-1);
  return `${t.at}  ${t.targetId}: ${t.from} → ${t.to}${last?.error ? ` (${last.error})` : ''}`;
}

export interface CheckOptions {
  readonly watch?: boolean;
  readonly json?: boolean;
  readonly checker: string;
  readonly cycles?: string;
  readonly concurrency?: string;
}

function positiveInteger(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1)
    throw new InputError(`${option} must be a whole number ≥ 1, got "${value}"`);
  return parsed;
}

function thresholdsLookup(topology: Topology): (targetId: string) => Thresholds {
  const byId = new Map(probeTargets(topology).map((t) => [t.id, t.checks]));
  return (targetId) => byId.get(targetId) ?? topology.checks;
}

/** Probes once, or every interval until `cycles` are done or the signal aborts; returns the exit code. */
export async function runCheck(
  topology: Topology,
  options: CheckOptions,
  io: CliIo,
  signal?: AbortSignal,
): Promise<number> {
  const concurrency = positiveInteger(options.concurrency, '--concurrency');
  if (options.cycles !== undefined && !options.watch)
    throw new InputError('--cycles only applies with --watch; add --watch or drop --cycles');
  const cycles = options.watch ? positiveInteger(options.cycles, '--cycles') : 1;
  const probeOptions = { checker: options.checker, ...(concurrency ? { concurrency } : {}) };
  if (!options.watch) {
    const rows = checkRows(topology, await probeTopology(topology, probeOptions));
    io.stdout(
      options.json
        ? `${JSON.stringify({ healthy: !rows.some((r) => r.down), targets: rows.map(jsonRow) }, null, 2)}\n`
        : formatCheckTable(rows),
    );
    return rows.some((r) => r.down) ? ExitCode.FAILED : ExitCode.OK;
  }
  const thresholdsFor = thresholdsLookup(topology);
  const intervalMs = topology.checks.intervalSeconds * 1_000;
  let health: Record<string, TargetHealth> = {};
  let healthy = true;
  let cycle = 1;
  for (; cycles === undefined || cycle <= cycles; cycle += 1) {
    const started = Date.now();
    const observations = await probeTopology(topology, probeOptions);
    const advanced = advanceAll(health, observations, thresholdsFor);
    health = advanced.health;
    const rows = checkRows(topology, observations, health);
    // A target still failing below its threshold (SUSPECT) is not healthy either: the verdict is not yet in.
    healthy = !rows.some((r) => r.down || !r.observation.ok);
    if (options.json) {
      io.stdout(
        `${JSON.stringify({ cycle, healthy, transitions: advanced.transitions, targets: rows.map(jsonRow) })}\n`,
      );
    } else {
      const transitions = advanced.transitions.map((t) => `${formatTransition(t)}\n`).join('');
      io.stdout(`\n== cycle ${cycle} at ${new Date(started).toISOString()}\n${transitions}${formatCheckTable(rows)}`);
    }
    if (cycle === cycles || signal?.aborted) break;
    try {
      await sleep(Math.max(0, intervalMs - (Date.now() - started)), undefined, { signal });
    } catch {
      break; // interrupted (Ctrl-C): the last cycle's verdict stands
    }
  }
  if (signal?.aborted)
    io.stderr(
      `stopped after ${Math.min(cycle, cycles ?? cycle)} cycle${cycle === 1 ? '' : 's'}: ${healthy ? 'every target up' : 'not every target up'}\n`,
    );
  return healthy ? ExitCode.OK : ExitCode.FAILED;
}

export function registerCheckCommand(program: Command, io: CliIo): void {
  program
    .command('check')
    .description('probe every endpoint and DNS record of a topology and show what each answered')
    .argument('<config>', 'topology config (JSON)')
    .option(
      '--watch',
      'probe every checks.intervalSeconds, showing health states (HEALTHY, SUSPECT, UNHEALTHY, RECOVERING) and transitions',
    )
    .option('--cycles <n>', 'with --watch: stop after n cycles (default: until Ctrl-C)')
    .option('--json', 'print JSON (with --watch: one JSON document per line, one line per cycle)')
    .option('--checker <region>', 'region recorded as the checker on every observation', 'local')
    .option('--concurrency <n>', 'probes in flight at once (default: 256)')
    .addHelpText(
      'after',
      [
        '',
        'Exits 0 when every target is up (with --watch: every target answered in the last cycle and none is',
        'UNHEALTHY or RECOVERING), 1 when one is not, 2 when the config or an option is invalid. Ctrl-C ends',
        "--watch with the last cycle's verdict.",
        '',
        'Examples:',
        '  $ failover-guard check examples/first-topology.json',
        "  $ failover-guard check examples/first-topology.json --json | jq '.targets[] | select(.down)'",
        '  $ failover-guard check examples/first-topology.json --watch --checker eu-west-1',
        '',
      ].join('\n'),
    )
    .action(async (configPath: string, options: CheckOptions) => {
      const topology = await readTopologyFile(configPath);
      const interrupt = new AbortController();
      const stop = () => interrupt.abort();
      if (options.watch) process.once('SIGINT', stop);
      try {
        io.setExitCode(await runCheck(topology, options, io, interrupt.signal));
      } finally {
        process.removeListener('SIGINT', stop);
      }
    });
}
