// The failover-guard command line: one commander program; each command registers itself from
// lambdas/cli/commands/<name>.command.ts. Errors become exit codes here, in one place.
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { errorMessage, ConfigError } from '../domain/errors';
import { CloudCallError } from '../ports/errors';
import { registerApproveCommand } from './commands/approve.command';
import { type AttachPortsFor, registerAttachCommand } from './commands/attach.command';
import { registerAuditCommand } from './commands/audit.command';
import { registerCheckCommand } from './commands/check.command';
import { registerCostCommand } from './commands/cost.command';
import { registerDiscoverCommand } from './commands/discover.command';
import { registerDrillCommand } from './commands/drill.command';
import { registerFailbackCommand } from './commands/failback.command';
import { registerInitCommand } from './commands/init.command';
import { registerPlanCommand } from './commands/plan.command';
import { type ReadinessContextFor, registerReadinessCommand } from './commands/readiness.command';
import { registerRunCommand } from './commands/run.command';
import { registerSchemaCommand } from './commands/schema.command';
import { registerStatusCommand } from './commands/status.command';
import { registerValidateCommand } from './commands/validate.command';
import { EnvironmentError, ExitCode, InputError, processIo, type CliIo } from '../contracts/command-io';

const packageVersion: string = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;

/**
 * Where the commands that read an account get it: AWS from the SDK's standard configuration by default; the
 * docs test passes an in-memory account, so the output a doc shows is checked.
 */
export interface CliAccount {
  readonly readinessContext?: ReadinessContextFor;
  readonly attachPorts?: AttachPortsFor;
}

/** The program with every command; output goes to `io`, errors are thrown (exitOverride) for runCli to map. */
export function buildProgram(io: CliIo, account: CliAccount = {}): Command {
  const program = new Command('failover-guard')
    .description(
      'Probes every DNS, load balancer, server and database endpoint of a web system and fails over when one dies.',
    )
    .version(packageVersion, '-V, --version', 'print the version and exit')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ failover-guard validate examples/two-region.json\n  $ failover-guard audit examples/two-region.json\n  $ failover-guard help audit\n',
    );

  registerInitCommand(program, io);
  registerValidateCommand(program, io);
  registerSchemaCommand(program, io);
  registerAuditCommand(program, io);
  registerDiscoverCommand(program, io);
  registerCheckCommand(program, io);
  registerPlanCommand(program, io);
  registerRunCommand(program, io);
  registerDrillCommand(program, io);
  registerApproveCommand(program, io);
  registerFailbackCommand(program, io);
  registerStatusCommand(program, io);
  registerReadinessCommand(program, io, account.readinessContext);
  registerAttachCommand(program, io, account.attachPorts);
  registerCostCommand(program, io);
  return program;
}

/** The exit code for an error that left a command, after telling the person what went wrong. */
function reportError(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) {
    // Commander already wrote the message, the help or the version: help and --version asked for are 0.
    return error.exitCode === 0 ? ExitCode.OK : ExitCode.BAD_INPUT;
  }
  if (error instanceof ConfigError || error instanceof InputError) {
    io.stderr(`error: ${error.message}\n`);
    return ExitCode.BAD_INPUT;
  }
  const cause = error instanceof Error && error.cause instanceof Error ? ` (cause: ${error.cause.message})` : '';
  io.stderr(`error: ${errorMessage(error)}${cause}\n`);
  if (error instanceof CloudCallError || error instanceof EnvironmentError) {
    io.stderr(
      "(AWS credentials, network and region come from the SDK's standard configuration: AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL)\n",
    );
  }
  // Anything else kept the command from finishing: the environment's failure, not a verdict on health.
  return ExitCode.ENVIRONMENT;
}

/** Runs the CLI with user arguments (no "node" / script name); the outcome goes to io.setExitCode. */
export async function runCli(args: readonly string[], io: CliIo, account: CliAccount = {}): Promise<void> {
  try {
    await buildProgram(io, account).parseAsync([...args], { from: 'user' });
  } catch (error) {
    io.setExitCode(reportError(error, io));
  }
}

/** A reader that went away (`| head -1`) ends the command quietly, with the exit code set so far. */
function endQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      process.exit(typeof process.exitCode === 'number' ? process.exitCode : ExitCode.OK);
    });
  }
}

/** Entry point of bin/failover-guard.mjs: `argv` as in process.argv. */
export async function main(argv: readonly string[] = process.argv): Promise<void> {
  endQuietlyOnClosedPipe();
  await runCli(argv.slice(2), processIo);
}
