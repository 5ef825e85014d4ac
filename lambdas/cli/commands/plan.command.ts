// `failover-guard plan <config>`: what the guard would do now, against the real account, printed
// like a diff. Reads the stored health views, records, databases and target groups; changes nothing.
import type { Command } from 'commander';
import { awsClientSettings, createAwsPorts } from '../../adapters/aws';
import type { Topology } from '../../domain/config/schema';
import { defaultStateTableName, guardRegions, primaryRegion } from '../../domain/config/targets';
import { cycleDeadlineMs, formatPlan, planCycle, withinDeadline, type GuardContext, type Plan } from '../../engine';
import { probeTopology } from '../../probes/probe-engine';
import { ExitCode, InputError, type CliIo } from '../../contracts/command-io';
import { readTopologyFile } from '../../adapters/topology-file';

export interface GuardCliOptions {
  readonly region?: string;
  readonly table?: string;
  readonly topicArn?: string;
  readonly dryRun?: boolean;
}

/** The option value, else the environment variable, else a clear error naming both. */
function required(value: string | undefined, env: string, option: string, what: string): string {
  const found = value ?? process.env[env];
  if (!found)
    throw new InputError(
      `${what} is not set: pass ${option} or set ${env} (the deployed guard's stack outputs name it)`,
    );
  return found;
}

/** The deployed guard's state table: --table, else FAILOVER_GUARD_TABLE, else the name the construct gives it by default. */
export function stateTableName(topology: Pick<Topology, 'name'>, option: string | undefined): string {
  return option ?? (process.env.FAILOVER_GUARD_TABLE || defaultStateTableName(topology));
}

/** The guard context for this machine: AWS ports from the SDK's standard configuration, probes from here. */
/** Throws InputError (exit 2) unless `region` is one of the topology's regions: refused before any AWS call. */
export function assertTopologyRegion(topology: Topology, region: string, what: string): void {
  const names = topology.regions.map((r) => r.name);
  if (!names.includes(region))
    throw new InputError(`${what} "${region}" is not one of the topology's regions (${names.join(', ')})`);
}

export function cliGuardContext(topology: Topology, options: GuardCliOptions, needs: { topic: boolean }): GuardContext {
  if (options.region !== undefined) assertTopologyRegion(topology, options.region, '--region');
  const region = options.region ?? process.env.AWS_REGION ?? primaryRegion(topology);
  const tableName = stateTableName(topology, options.table);
  const topicArn = needs.topic
    ? required(options.topicArn, 'FAILOVER_GUARD_TOPIC_ARN', '--topic-arn', 'the notification topic')
    : (options.topicArn ?? process.env.FAILOVER_GUARD_TOPIC_ARN ?? `arn:aws:sns:${region}:${topology.account}:unused`);
  return {
    topology,
    checker: region,
    // Deciding in the home replica (takeover in guard order) is right for either table consistency.
    ports: createAwsPorts({
      region,
      tableName,
      stateRegions: guardRegions(topology),
      topicArn,
      clientConfig: awsClientSettings(topology),
    }),
    now: () => new Date(),
    dryRun: options.dryRun === true,
    probe: (t, only) => probeTopology(t, { checker: region, ...(only ? { only } : {}) }),
    log: (entry) => process.stderr.write(`${JSON.stringify(entry)}\n`),
    // A person asking for the plan sees every read, failures included, not only what the guard would act on now.
    cloudReads: 'everything',
  };
}

/** 1 when the plan would act or raises a critical alert (something is unhealthy), else 0. */
export function planExitCode(plan: Plan): number {
  return plan.actions.length > 0 || plan.alerts.some((a) => a.severity === 'critical') ? ExitCode.FAILED : ExitCode.OK;
}

export function registerPlanCommand(program: Command, io: CliIo, contextFor = cliGuardContext): void {
  program
    .command('plan')
    .description('print what the guard would change now (like a diff), reading the real account; changes nothing')
    .argument('<config>', 'topology config (JSON)')
    .option(
      '--region <region>',
      "the checker region whose view of the plan to compute (default: AWS_REGION, else the topology's primary region)",
    )
    .option(
      '--table <name>',
      'the guard state table (default: env FAILOVER_GUARD_TABLE, else failover-guard-<name>, the deployed default)',
    )
    .option('--json', 'print the plan as JSON')
    .addHelpText(
      'after',
      [
        '',
        "Health comes from the deployed guard's checker views in the state table. AWS clients take the SDK's",
        'standard configuration (credentials chain, AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL).',
        'Exits 1 when the plan has actions or critical alerts, 0 when all is well, 2 on bad input.',
        '',
        'Examples:',
        '  $ failover-guard plan examples/two-region.json --table failover-guard-state',
        '  $ FAILOVER_GUARD_TABLE=failover-guard-state failover-guard plan topology.json --region eu-central-1 --json',
        '',
      ].join('\n'),
    )
    .action(async (configPath: string, options: GuardCliOptions & { json?: boolean }) => {
      const topology = await readTopologyFile(configPath);
      const ctx: GuardContext = { ...contextFor(topology, options, { topic: false }), dryRun: true, log: undefined };
      const plan = await withinDeadline(ctx, cycleDeadlineMs(ctx), "plan's deadline", () => planCycle(ctx));
      io.stdout(options.json ? `${JSON.stringify(plan, null, 2)}\n` : formatPlan(plan));
      io.setExitCode(planExitCode(plan));
    });
}
