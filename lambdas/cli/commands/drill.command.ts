// `failover-guard drill`: the local game day (`npm start`). Every failover, end to end on loopback,
// with the real engine on the in-memory cloud; exits 1 when any expectation is not met.
import { InvalidArgumentError, type Command } from 'commander';
import { maxSpeed } from '../../drill/drill-topology';
import { runDrill, scenarios } from '../../drill/run-drill';
import { ExitCode, processIo, type CliIo } from '../io';
import { assertWritableOutput, writeOutputFile } from '../output-file';

function parseSpeed(value: string): number {
  const speed = Number(value);
  if (!(speed > 0 && speed <= maxSpeed)) throw new InvalidArgumentError(`"${value}" is not a speed factor; use a number above 0 and at most ${maxSpeed} (2 runs twice as fast)`);
  return speed;
}

function parseScenario(value: string): string {
  if (!scenarios.some((s) => s.name === value)) {
    throw new InvalidArgumentError(`"${value}" is not a scenario; choose one of: ${scenarios.map((s) => s.name).join(', ')}`);
  }
  return value;
}

interface DrillCommandOptions {
  config?: string;
  scenario?: string;
  speed: number;
  json?: string;
  live: boolean;
}

export function registerDrillCommand(program: Command, io: CliIo): void {
  const width = Math.max(...scenarios.map((s) => s.name.length));
  program
    .command('drill')
    .description('run the local game day on loopback: inject each failure, watch the guard handle it, check the outcome (no AWS account)')
    .option('-c, --config <file>', 'loopback topology to drill, every address 127.x.y.z (default: examples/local.json)')
    .option('-s, --scenario <name>', 'run this scenario only (see the list below)', parseScenario)
    .option('--speed <factor>', `divide every interval, timeout, cooldown and wait by this factor (at most ${maxSpeed})`, parseSpeed, 1)
    .option('--json <file>', 'also write the report (results, notifications, timeline) to this file as JSON')
    .option('--no-live', 'print plain lines even on a terminal (the default when stdout is not a terminal)')
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
        '',
      ].join('\n'),
    )
    .action(async (options: DrillCommandOptions) => {
      if (options.json) await assertWritableOutput(options.json, '--json');
      const isTTY = options.live && io === processIo && process.stdout.isTTY === true;
      const report = await runDrill({
        topologyPath: options.config,
        speed: options.speed,
        ...(options.scenario ? { scenario: options.scenario } : {}),
        output: { write: (text) => io.stdout(text), isTTY, columns: () => process.stdout.columns },
      });
      if (options.json) {
        await writeOutputFile(options.json, `${JSON.stringify(report, null, 2)}\n`);
        io.stdout(`wrote ${options.json}\n`);
      }
      io.setExitCode(report.passed ? ExitCode.OK : ExitCode.FAILED);
    });
}
