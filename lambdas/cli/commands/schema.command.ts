// `failover-guard schema [--out file]`: the JSON Schema editors use to check and complete a config.
import type { Command } from 'commander';
import { topologyJsonSchemaText } from '../../domain/config/json-schema';
import type { CliIo } from '../../contracts/command-io';
import { assertWritableOutput, writeOutputFile } from '../output-file';

export function registerSchemaCommand(program: Command, io: CliIo): void {
  program
    .command('schema')
    .description('print the JSON Schema of the topology config (generated from the same definition validate uses)')
    .option('-o, --out <file>', 'write the schema to this file instead of stdout')
    .addHelpText(
      'after',
      [
        '',
        'Point a config at it with "$schema" for completion and checks in an editor.',
        '',
        'Examples:',
        '  $ failover-guard schema > topology.schema.json',
        '  $ failover-guard schema --out schema/topology.schema.json',
        '',
      ].join('\n'),
    )
    .action(async (options: { out?: string }) => {
      const text = topologyJsonSchemaText();
      if (!options.out) {
        io.stdout(text);
        return;
      }
      await assertWritableOutput(options.out, '--out');
      await writeOutputFile(options.out, text);
      io.stdout(`wrote ${options.out}\n`);
    });
}
