// `failover-guard readiness <config>`: would each failover the guard may have to run succeed now?
// Reads the account as the deployed guard does in a readiness cycle (views, guard state, records,
// databases with replica lag, target groups, the guard's health checks) plus the instances registered
// in the target groups, probes the standby regions' HTTPS endpoints from here for their certificates,
// and prints one row per check; changes nothing.
import type { Command } from 'commander';
import { standbyRegionsNow } from '../../engine/readiness/readiness';
import {
  cycleDeadlineMs,
  evaluateReadiness,
  gatherPlannerInput,
  newPlanId,
  readinessEvidence,
  withinDeadline,
  withReadinessReads,
  type GuardContext,
} from '../../engine';
import { formatReadiness } from '../../engine/readiness/format-readiness';
import { ExitCode, type CliIo } from '../../contracts/command-io';
import { readTopologyFile } from '../../adapters/topology-file';
import { cliGuardContext, type GuardCliOptions } from './plan.command';
import { awsClientSettings, createAwsHealthCheckDirectory, createAwsInventory } from '../../adapters/aws';
import type { Topology } from '../../domain/config/schema';

/** The guard context `readiness` reads through, for a topology and the command's options. */
export type ReadinessContextFor = (topology: Topology, options: GuardCliOptions) => GuardContext;

/** The guard's context for this machine, with the readiness reads: instances behind the target groups, the guard's health checks. */
function cliReadinessContext(topology: Topology, options: GuardCliOptions): GuardContext {
  const settings = awsClientSettings(topology);
  return {
    ...cliGuardContext(topology, options, { topic: false }),
    readinessReads: { inventory: createAwsInventory(settings), healthChecks: createAwsHealthCheckDirectory(settings) },
  };
}

async function readinessRowsNow(ctx: GuardContext) {
  const input = await gatherPlannerInput(ctx, newPlanId(ctx.now()));
  const standby = new Set(standbyRegionsNow(input));
  const https = new Set(
    [...ctx.topology.servers, ...ctx.topology.loadBalancers]
      .filter((e) => standby.has(e.region) && e.probe.type === 'https')
      .map((e) => e.id),
  );
  const observations = https.size > 0 ? await ctx.probe(ctx.topology, (id) => https.has(id)) : [];
  const seen = readinessEvidence(observations.filter((o) => https.has(o.targetId)));
  const evidence = await withReadinessReads(ctx.readinessReads, ctx.topology, seen, input.targetGroups);
  return evaluateReadiness({ planner: input, evidence });
}

export function registerReadinessCommand(
  program: Command,
  io: CliIo,
  contextFor: ReadinessContextFor = cliReadinessContext,
): void {
  program
    .command('readiness')
    .description('check that each failover the guard may have to run would succeed now; prints one row per check')
    .argument('<config>', 'topology config (JSON)')
    .option('--region <region>', "the checker region to read from (default: AWS_REGION, else the topology's primary)")
    .option(
      '--table <name>',
      'the guard state table (default: env FAILOVER_GUARD_TABLE, else failover-guard-<name>, the deployed default)',
    )
    .option('--json', 'print the rows as JSON')
    .addHelpText(
      'after',
      [
        '',
        "Heartbeats come from the deployed guard's state table; records, databases (with replica lag) and",
        'target groups are read from the account, with the instances registered in those target groups',
        "(ec2:DescribeInstances) and the guard's own health checks (route53:ListHealthChecks, ListTagsForResources);",
        "the standby regions' HTTPS endpoints are probed from here.",
        'Exits 1 when a check fails, 0 when every check passes, 2 on bad input, 3 when AWS cannot be read.',
        '',
        'Examples:',
        '  $ failover-guard readiness examples/two-region.json --table failover-guard-state',
        '  $ failover-guard readiness topology.json --json',
        '',
      ].join('\n'),
    )
    .action(async (configPath: string, options: GuardCliOptions & { json?: boolean }) => {
      const topology = await readTopologyFile(configPath);
      // Every rule needs every record, database and replica lag, whatever the guard would read now.
      const ctx: GuardContext = {
        ...contextFor(topology, options),
        cloudReads: 'everything',
        log: undefined,
      };
      const rows = await withinDeadline(ctx, cycleDeadlineMs(ctx), "readiness's deadline", () => readinessRowsNow(ctx));
      io.stdout(options.json ? `${JSON.stringify(rows, null, 2)}\n` : formatReadiness(rows));
      io.setExitCode(rows.every((r) => r.ready) ? ExitCode.OK : ExitCode.FAILED);
    });
}
