// `failover-guard run <config> --once [--dry-run]`: one full cycle from this machine — probe,
// plan, act (or only plan and notify with --dry-run) — against the real account.
import type { Command } from 'commander';
import { formatPlan, runCycle, type CycleReport } from '../../engine';
import { ExitCode, InputError, type CliIo } from '../../contracts/command-io';
import { readTopologyFile } from '../../adapters/topology-file';
import { cliGuardContext, type GuardCliOptions } from './plan.command';

export function formatCycle(report: CycleReport): string {
  const lines = [
    `checker ${report.checker} at ${report.at}: ${report.observations.total} probes, ${report.observations.failed} failed, ${report.transitions.length} state change(s)`,
    ...report.transitions.map((t) => `  ${t.targetId}: ${t.from} -> ${t.to}`),
    formatPlan(report.plan).trimEnd(),
  ];
  if (!report.execution.leaseHeld) lines.push('another invocation holds the actor lease: nothing was done');
  lines.push(
    ...report.execution.results.map(
      (r) => `${r.outcome.toUpperCase().padEnd(8)} ${r.action.kind} ${r.action.resource}: ${r.detail}`,
    ),
  );
  return `${lines.join('\n')}\n`;
}

export function runExitCode(report: CycleReport): number {
  const failed = report.execution.results.some((r) => r.outcome === 'failed');
  return failed || report.plan.alerts.some((a) => a.severity === 'critical') ? ExitCode.FAILED : ExitCode.OK;
}

export function registerRunCommand(program: Command, io: CliIo, contextFor = cliGuardContext): void {
  program
    .command('run')
    .description('run one guard cycle from here: probe every endpoint, plan, and act (or only plan with --dry-run)')
    .argument('<config>', 'topology config (JSON)')
    .option('--once', 'run a single cycle (required: the continuous loop runs in Lambda)')
    .option('--dry-run', 'plan and notify only; change nothing in DNS or RDS')
    .option('--region <region>', "this checker's region (default: AWS_REGION, else the topology's primary region)")
    .option(
      '--table <name>',
      'the guard state table (default: env FAILOVER_GUARD_TABLE, else failover-guard-<name>, the deployed default)',
    )
    .option('--topic-arn <arn>', 'the notification topic (default: env FAILOVER_GUARD_TOPIC_ARN)')
    .option('--json', 'print the cycle report as JSON')
    .addHelpText(
      'after',
      [
        '',
        'Exits 1 when an action failed or a critical alert was raised, 0 otherwise, 2 on bad input.',
        '',
        'Examples:',
        '  $ failover-guard run examples/two-region.json --once --dry-run --table failover-guard-state --topic-arn arn:aws:sns:eu-west-1:123456789012:failover-guard',
        '  $ AWS_ENDPOINT_URL=http://127.0.0.1:4566 failover-guard run topology.json --once',
        '',
      ].join('\n'),
    )
    .action(async (configPath: string, options: GuardCliOptions & { once?: boolean; json?: boolean }) => {
      if (!options.once)
        throw new InputError(
          'run needs --once: the CLI runs one cycle; the continuous loop runs in the deployed Lambda',
        );
      const topology = await readTopologyFile(configPath);
      const report = await runCycle(contextFor(topology, options, { topic: true }));
      io.stdout(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatCycle(report));
      io.setExitCode(runExitCode(report));
    });
}
