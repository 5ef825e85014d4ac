// `failover-guard init`: a minimal topology that validates, from a few flags, with what to do next
// written into its $comment. The first step of a new user, before validate, audit and check.
import { access } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { sdkRegionCatalog } from '../../adapters/aws/region-catalog';
import { parseTopology } from '../../domain/config/load';
import { StarterError, starterTopology, type StarterFacts } from '../../domain/config/starter-topology';
import { InputError, type CliIo } from '../../contracts/command-io';
import { assertWritableOutput, writeOutputFile } from '../output-file';
import { summarizeTopology } from './validate.command';

interface InitOptions {
  name: string;
  account: string;
  regions: string;
  record: string;
  zone: string;
  ip: string[];
  healthPath: string;
  port: string;
  database?: string;
  dbMember: string[];
  dbPort: string;
  dbWriter?: string;
  out?: string;
  force?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, ...value.split(',').filter(Boolean)];

function port(value: string, option: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 65535)
    throw new InputError(`${option} must be a port from 1 to 65535, got "${value}"`);
  return parsed;
}

function factsOf(options: InitOptions): StarterFacts {
  if (options.ip.length === 0)
    throw new InputError(
      'name the servers behind the record: --ip 203.0.113.10 --ip 203.0.113.11 (ip@region for another region)',
    );
  if (options.database && options.dbMember.length === 0)
    throw new InputError('--database needs its members: --db-member <RDS endpoint> (the primary first)');
  const parent = options.record.split('.').slice(1).join('.');
  return {
    name: options.name,
    account: options.account,
    regions: options.regions.split(',').filter(Boolean),
    record: { name: options.record, hostedZoneId: options.zone },
    servers: options.ip,
    healthPath: options.healthPath,
    port: port(options.port, '--port'),
    ...(options.database
      ? {
          database: {
            id: options.database,
            members: options.dbMember,
            port: port(options.dbPort, '--db-port'),
            writerName: options.dbWriter ?? `db-writer.${parent}`,
          },
        }
      : {}),
  };
}

export function registerInitCommand(program: Command, io: CliIo): void {
  program
    .command('init')
    .description(
      'write a minimal topology that validates, from a few flags: regions, one DNS record and its servers, optionally a database',
    )
    .requiredOption('--account <id>', 'the 12-digit AWS account of every resource')
    .requiredOption('--regions <list>', 'comma-separated; the first is the primary region, the others standby')
    .requiredOption('--record <name>', 'the DNS name the guard keeps healthy (e.g. www.shop.example.com)')
    .requiredOption('--zone <id>', 'its Route 53 hosted zone id')
    .option('--ip <address>', 'a server behind the record: ip, or ip@region (repeat, or comma-separate)', collect, [])
    .option('--name <name>', 'short name, used in resource names', 'myshop')
    .option('--health-path <path>', 'the HTTP path each server answers when healthy', '/healthz')
    .option('--port <port>', 'the HTTP port of the servers', '80')
    .option('--database <id>', 'add an RDS database with this id')
    .option(
      '--db-member <endpoint>',
      'its members by RDS endpoint, the primary first (repeat, or comma-separate)',
      collect,
      [],
    )
    .option('--db-port <port>', 'the database port', '5432')
    .option('--db-writer <name>', "the writer CNAME in the same zone (default: db-writer.<the record's domain>)")
    .option('-o, --out <file>', 'write here instead of stdout (an existing file is kept unless --force)')
    .option('--force', 'overwrite --out if it exists')
    .addHelpText(
      'after',
      [
        '',
        'The file validates as written; its $comment says what to add next. Exits 2 on a value that cannot work.',
        '',
        'Examples:',
        '  $ failover-guard init --account 123456789012 --regions eu-west-1,eu-central-1 --record www.shop.example.com \\',
        '      --zone Z0123456789ABCDEFGHIJ --ip 203.0.113.10 --ip 198.51.100.10@eu-central-1 --out topology.json',
        '  $ failover-guard init --account 123456789012 --regions eu-west-1 --record www.shop.example.com --zone Z0123456789ABCDEFGHIJ \\',
        '      --ip 203.0.113.10,203.0.113.11 --database orders --db-member orders-1.c9akciq32.eu-west-1.rds.amazonaws.com',
        '',
      ].join('\n'),
    )
    .action(async (options: InitOptions) => {
      if (options.out) {
        await assertWritableOutput(options.out, '--out');
        const exists = await access(options.out).then(
          () => true,
          () => false,
        );
        if (exists && !options.force)
          throw new InputError(`--out "${options.out}" exists; add --force to overwrite it`);
      }
      let topology: ReturnType<typeof starterTopology>;
      try {
        topology = starterTopology(factsOf(options));
      } catch (error) {
        if (error instanceof StarterError) throw new InputError(error.message);
        throw error;
      }
      // What init writes must pass validate: a bad account or region is refused here, with its path.
      const parsed = parseTopology(topology, 'the topology init would write', sdkRegionCatalog);
      const text = `${JSON.stringify(topology, null, 2)}\n`;
      if (!options.out) {
        io.stdout(text);
        return;
      }
      // The committed JSON Schema as seen from the written file, for completion in an editor.
      const schemaPath = relative(dirname(resolve(options.out)), resolve('schema/topology.schema.json'));
      await writeOutputFile(options.out, text.replace('"./schema/topology.schema.json"', JSON.stringify(schemaPath)));
      io.stdout(
        `wrote ${options.out}: ${summarizeTopology(parsed)}\nnext: npx --no-install failover-guard validate ${options.out}\n`,
      );
    });
}
