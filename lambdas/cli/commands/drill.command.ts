// `failover-guard drill`: the local game day (`npm start`). Every failover, end to end on loopback,
// with the real engine on the in-memory cloud; exits 1 when any expectation is not met.
import { InvalidArgumentError, type Command } from 'commander';
import { maxSpeed } from '../../drill/drill-topology';
import { createInterface } from 'node:readline';
import type { ExpectationResult } from '../../drill/drill-report';
import type { DrillSession } from '../../drill/drill-session';
import { runDrill, scenarios } from '../../drill/run-drill';
import { serveDrillWorld } from '../../drill/serve-drill';
import { ExitCode, InputError, processIo, type CliIo } from '../../contracts/command-io';
import { assertWritableOutput, writeOutputFile } from '../output-file';

function parseSpeed(value: string): number {
  const speed = Number(value);
  if (!(speed > 0 && speed <= maxSpeed))
    throw new InvalidArgumentError(
      `"${value}" is not a speed factor; use a number above 0 and at most ${maxSpeed} (2 runs twice as fast)`,
    );
  return speed;
}

function parseScenario(value: string): string {
  if (!scenarios.some((s) => s.name === value)) {
    throw new InvalidArgumentError(
      `"${value}" is not a scenario; choose one of: ${scenarios.map((s) => s.name).join(', ')}`,
    );
  }
  return value;
}

interface DrillCommandOptions {
  config?: string;
  scenario?: string;
  speed: number;
  json?: string;
  live: boolean;
  serve?: boolean;
  pause?: boolean;
  verbose?: boolean;
}

/** What the drill command needs from the terminal: a line typed (Enter), and Ctrl-C. */
export interface DrillTerminal {
  /** Resolves when a line is typed; false when input has ended (then nothing holds any more). */
  nextLine(): Promise<boolean>;
  /** Resolves on Ctrl-C. */
  interrupted(): AbortSignal;
}

const processTerminal: DrillTerminal = {
  nextLine: () =>
    new Promise((resolve) => {
      const lines = createInterface({ input: process.stdin });
      lines.once('line', () => {
        lines.close();
        resolve(true);
      });
      lines.once('close', () => resolve(false));
    }),
  interrupted: () => {
    const controller = new AbortController();
    process.once('SIGINT', () => controller.abort());
    return controller.signal;
  },
};

/** `--pause`: after each expectation, say how to look at the state held, and wait for Enter. */
function holdForEnter(
  io: CliIo,
  terminal: DrillTerminal,
): (result: ExpectationResult, session: DrillSession) => Promise<void> {
  let inputOpen = true;
  return async (result, session) => {
    if (!inputOpen) return;
    const [host, port] = session.world.nameserver.split(':');
    const name = session.topology.dns[0]?.name ?? 'www.example';
    io.stdout(
      `\nHOLD     ${result.passed ? 'verified' : 'FAILED'}: ${result.expected}\n         look: dig @${host} -p ${port} ${name}   (Enter goes on)\n`,
    );
    inputOpen = await terminal.nextLine();
  };
}

export function registerDrillCommand(program: Command, io: CliIo, terminal: DrillTerminal = processTerminal): void {
  const width = Math.max(...scenarios.map((s) => s.name.length));
  program
    .command('drill')
    .description(
      'run the local game day on loopback: inject each failure, watch the guard handle it, check the outcome (no AWS account)',
    )
    .option('-c, --config <file>', 'loopback topology to drill, every address 127.x.y.z (default: examples/local.json)')
    .option('-s, --scenario <name>', 'run this scenario only (see the list below)', parseScenario)
    .option(
      '--speed <factor>',
      `divide every interval, timeout, cooldown and wait by this factor (at most ${maxSpeed})`,
      parseSpeed,
      1,
    )
    .option('--json <file>', 'also write the report (results, notifications, timeline) to this file as JSON')
    .option('--no-live', 'print plain lines even on a terminal (the default when stdout is not a terminal)')
    .option(
      '--verbose',
      "print each notification's full JSON body under its subject (the --json report always has them)",
    )
    .option(
      '--serve',
      "run no scenario: serve the loopback world on the topology's own ports with the guard running, until Ctrl-C",
    )
    .option(
      '--pause',
      "hold the state after each expectation (on the topology's own ports) until Enter, to look at it with dig or check",
    )
    .addHelpText(
      'after',
      [
        '',
        'Scenarios, in run order:',
        ...scenarios.map((s) => `  ${s.name.padEnd(width)}  ${s.summary}`),
        '',
        'Exit code 0 when every expectation is met, 1 otherwise.',
        '',
        'Examples:',
        '  $ npm start                                   # the whole drill, about 40 seconds',
        '  $ failover-guard drill --scenario primary-db-down',
        '  $ failover-guard drill --speed 4 --json drill-report.json',
        '  $ failover-guard drill --serve                  # then, elsewhere: dig @127.0.0.53 -p 15353 www.shop.drill.test',
        '  $ failover-guard drill --scenario server-down --pause --no-live',
        '',
      ].join('\n'),
    )
    .action(async (options: DrillCommandOptions) => {
      if (options.serve) {
        if (options.scenario || options.json || options.pause)
          throw new InputError('--serve runs no scenario: drop --scenario, --json and --pause');
        await serveDrillWorld({
          topologyPath: options.config,
          write: (text) => io.stdout(text),
          signal: terminal.interrupted(),
        });
        return;
      }
      if (options.json) await assertWritableOutput(options.json, '--json');
      const isTTY = options.live && io === processIo && process.stdout.isTTY === true;
      const report = await runDrill({
        topologyPath: options.config,
        speed: options.speed,
        ...(options.scenario ? { scenario: options.scenario } : {}),
        output: {
          write: (text) => io.stdout(text),
          isTTY: isTTY && !options.pause,
          columns: () => process.stdout.columns,
        },
        ...(options.pause ? { configuredPorts: true, hold: holdForEnter(io, terminal) } : {}),
        verbose: options.verbose === true,
      });
      if (options.json) {
        await writeOutputFile(options.json, `${JSON.stringify(report, null, 2)}\n`);
        io.stdout(`wrote ${options.json}\n`);
      }
      io.setExitCode(report.passed ? ExitCode.OK : ExitCode.FAILED);
    });
}
