// `failover-guard discover [config] --region …`: reads the account read-only and writes a topology draft
// that validates (merged into `config` when given), with what it guessed and could not map on stderr.
import type { Command } from 'commander';
import { awsClientSettings, createAwsInventory } from '../../adapters/aws';
import { inventoryPolicy } from '../../adapters/aws/inventory-policy';
import { sdkRegionCatalog } from '../../adapters/aws/region-catalog';
import { closestName } from '../../domain/config/did-you-mean';
import { parseTopologyText } from '../../domain/config/load';
import { discover } from '../../engine/discover/discover';
import { CloudCallError } from '../../ports/errors';
import { EnvironmentError, ExitCode, InputError, type CliIo } from '../../contracts/command-io';
import { assertWritableOutput, writeOutputFile } from '../output-file';
import { readWrittenTopology } from '../../adapters/topology-file';
import { summarizeTopology } from './validate.command';

interface DiscoverCliOptions {
  readonly region?: string[];
  readonly zone?: string[];
  readonly name?: string[];
  readonly account?: string;
  readonly out?: string;
  readonly printPolicy?: boolean;
}

/** Repeatable options that also take comma-separated lists. */
const collect = (value: string, previous: string[] | undefined) => [
  ...(previous ?? []),
  ...value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean),
];

function checkedRegions(regions: readonly string[]): string[] {
  for (const region of regions) {
    if (sdkRegionCatalog.partitionOf(region) !== undefined) continue;
    const suggestion = closestName(region, sdkRegionCatalog.regions);
    throw new InputError(
      `--region "${region}" is not an AWS region this SDK knows${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
    );
  }
  return [...new Set(regions)];
}

export function registerDiscoverCommand(program: Command, io: CliIo): void {
  program
    .command('discover')
    .description(
      'read the account (Route 53, ELBv2, EC2, RDS; read-only) and write a topology draft that validates, or merge into an existing one',
    )
    .argument('[config]', 'an existing topology to merge into: what it says wins, new things are added')
    .option('--region <name>', "a region to read (repeat, or a comma list); default: the config's regions", collect)
    .option('--zone <id-or-name>', 'read only this hosted zone (repeatable)', collect)
    .option('--name <record>', 'draft only this record name; * matches any labels (repeatable)', collect)
    .option('--account <id>', "the 12-digit account; default: the config's, else the one in the ARNs read")
    .option('-o, --out <file>', 'write the topology here (it may be the config itself) instead of stdout')
    .option('--print-policy', 'print the read-only IAM policy discover needs (JSON) and read nothing')
    .addHelpText(
      'after',
      [
        '',
        'The topology goes to stdout (or --out); what was guessed, not mapped, not read, added or gone',
        'goes to stderr. Exit 0 when everything was read, 1 when a service could not be read (AccessDenied:',
        'the rest is drafted), 2 for bad input, 3 when AWS failed (throttled past the retries, unreachable).',
        '',
        'Examples:',
        '  $ failover-guard discover --region eu-west-1,eu-central-1 --out topology.json',
        '  $ failover-guard discover topology.json --out topology.json',
        '  $ failover-guard discover --region eu-west-1 --zone shop.example.com --name "*.shop.example.com"',
        '  $ failover-guard discover --print-policy --account 123456789012',
        '',
      ].join('\n'),
    )
    .action(async (configPath: string | undefined, options: DiscoverCliOptions) => {
      const zones = options.zone ?? [];
      const requested = options.region ?? [];
      if (options.account !== undefined && !/^\d{12}$/.test(options.account))
        throw new InputError(`--account "${options.account}" is not a 12-digit AWS account id`);
      if (options.printPolicy) {
        const zoneIds = zones.filter((z) => /^[A-Z0-9]{1,32}$/.test(z));
        const scope = { ...(options.account ? { account: options.account } : {}), zoneIds };
        io.stdout(`${JSON.stringify(inventoryPolicy(scope), null, 2)}\n`);
        return;
      }
      if (options.out) await assertWritableOutput(options.out, '--out');
      const existing = configPath ? await readWrittenTopology(configPath) : undefined;
      const regions = checkedRegions(
        requested.length > 0 ? requested : (existing?.topology.regions.map((r) => r.name) ?? []),
      );
      if (regions.length === 0)
        throw new InputError('name the regions to read with --region (e.g. --region eu-west-1)');
      const settings = existing ? awsClientSettings(existing.topology) : {};
      const discovery = await discover(createAwsInventory(settings), {
        regions,
        zones,
        names: options.name ?? [],
        ...(options.account ? { account: options.account } : {}),
        ...(existing ? { existing } : {}),
      }).catch((error: unknown) => {
        if (error instanceof CloudCallError && error.retryable)
          throw new EnvironmentError(
            `${error.message}; the SDK gave up after its retries: run discover again later, or with AWS_MAX_ATTEMPTS=10`,
            { cause: error },
          );
        throw error;
      });
      const text = `${JSON.stringify(discovery.topology, null, 2)}\n`;
      const checked = parseTopologyText(text, 'the draft', sdkRegionCatalog);
      io.stderr(discovery.report);
      if (options.out) {
        await writeOutputFile(options.out, text);
        io.stderr(`wrote ${options.out}: ${summarizeTopology(checked)}\n`);
      } else {
        io.stdout(text);
      }
      if (discovery.unread.length > 0) io.setExitCode(ExitCode.FAILED);
    });
}
