// The failover-guard command line: one commander program; each command registers itself from
// lambdas/cli/commands/<name>.command.ts. Errors become exit codes here, in one place.
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../domain/errors';
import { registerApproveCommand } from './commands/approve.command';
import { registerAuditCommand } from './commands/audit.command';
import { registerCheckCommand } from './commands/check.command';
import { registerCostCommand } from './commands/cost.command';
import { registerDrillCommand } from './commands/drill.command';
import { registerFailbackCommand } from './commands/failback.command';
import { registerPlanCommand } from './commands/plan.command';
import { registerRunCommand } from './commands/run.command';
import { registerSchemaCommand } from './commands/schema.command';
import { registerStatusCommand } from './commands/status.command';
import { registerValidateCommand } from './commands/validate.command';
import { ExitCode, InputError, processIo, type CliIo } from './io';

/** The program with every command; output goes to `io`, errors are thrown (exitOverride) for runCli to map. */
export function buildProgram(io: CliIo): Command {
  const program = new Command('failover-guard')
    .description('Probes every DNS, load balancer, server and database endpoint of a web system and fails over when one dies.')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', '\nExamples:\n  $ failover-guard validate examples/two-region.json\n  $ failover-guard audit examples/two-region.json\n  $ failover-guard help audit\n');

  registerValidateCommand(program, io);
  registerSchemaCommand(program, io);
  registerAuditCommand(program, io);
  registerCheckCommand(program, io);
  registerPlanCommand(program, io);
  registerRunCommand(program, io);
  registerDrillCommand(program, io);
  registerApproveCommand(program, io);
  registerFailbackCommand(program, io);
  registerStatusCommand(program, io);
  registerCostCommand(program, io);
  return program;
}

/** The exit code for an error that left a command, after telling the person what went wrong. */
function reportError(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) {
    // Commander already wrote the message (or the help); only the code is left to decide.
    const helpOrVersion = ['commander.helpDisplayed', 'commander.version'].includes(error.code);
    return helpOrVersion ? ExitCode.OK : ExitCode.BAD_INPUT;
  }
  if (error instanceof ConfigError || error instanceof InputError) {
    io.stderr(`error: ${error.message}\n`);
    return ExitCode.BAD_INPUT;
  }
  const cause = error instanceof Error && error.cause instanceof Error ? ` (cause: ${error.cause.message})` : '';
  io.stderr(`error: ${error instanceof Error ? error.message : String(error)}${cause}\n`);
  return ExitCode.FAILED;
}

/** Runs the CLI with user arguments (no "node" / script name); the outcome goes to io.setExitCode. */
export async function runCli(args: readonly string[], io: CliIo): Promise<void> {
  try {
    await buildProgram(io).parseAsync([...args], { from: 'user' });
  } catch (error) {
    io.setExitCode(reportError(error, io));
  }
}

/** Entry point of bin/failover-guard.mjs: `argv` as in process.argv. */
export async function main(argv: readonly string[] = process.argv): Promise<void> {
  await runCli(argv.slice(2), processIo);
}
