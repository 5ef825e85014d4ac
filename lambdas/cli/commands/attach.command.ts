// `failover-guard attach <config> [--apply]`: puts each region's Route 53 health check on the sets of the
// records marked `dataPlaneFailover`, the same plan the deployed guard applies on its drift read. Plans by
// default; --apply writes one compare-and-swap batch per set. A set carrying another check is refused.
import { Route53Client } from '@aws-sdk/client-route-53';
import type { Command } from 'commander';
import { awsClientConfig, awsClientSettings, ROUTE53_MAX_ATTEMPTS, ROUTE53_REGION } from '../../adapters/aws';
import { Route53DnsAdapter } from '../../adapters/aws/route53-dns.adapter';
import { Route53HealthCheckDirectory } from '../../adapters/aws/route53-health-checks.adapter';
import { dataPlaneRecords, healthCheckOwnerRegion } from '../../domain/config/data-plane';
import type { Topology } from '../../domain/config/schema';
import {
  attachmentChanges,
  describeAttachmentSet,
  planHealthCheckAttachments,
  readRecords,
  regionHealthCheckIds,
  type SetAttachment,
} from '../../engine';
import type { DnsPort } from '../../ports/dns.port';
import { DnsConflictError } from '../../ports/errors';
import type { HealthCheckDirectoryPort } from '../../ports/health-check-directory.port';
import { ExitCode, InputError, type CliIo } from '../../contracts/command-io';
import { readTopologyFile } from '../../adapters/topology-file';

interface AttachPorts {
  readonly dns: DnsPort;
  readonly healthChecks: HealthCheckDirectoryPort;
}

/** The ports `attach` works through, for a topology. */
export type AttachPortsFor = (topology: Topology) => AttachPorts;

/** Route 53 from the SDK's standard configuration, bounded as the guard's own calls (guard.aws). */
function awsAttachPorts(topology: Topology): AttachPorts {
  const client = new Route53Client({
    maxAttempts: ROUTE53_MAX_ATTEMPTS,
    ...awsClientConfig(awsClientSettings(topology)),
    region: ROUTE53_REGION,
  });
  return { dns: new Route53DnsAdapter(client), healthChecks: new Route53HealthCheckDirectory(client) };
}

/** What --apply did with one set that needed its check. */
type Applied =
  | { readonly outcome: 'attached'; readonly changeId: string }
  | { readonly outcome: 'conflict' | 'failed'; readonly error: string };

function planLine(a: SetAttachment, topology: Topology): string {
  const set = describeAttachmentSet(a);
  switch (a.status) {
    case 'attach':
      return `+ ${set}: health check ${a.healthCheckId}`;
    case 'attached':
      return `= ${set}: carries ${a.healthCheckId}`;
    case 'foreign':
      return `! ${set}: REFUSED: carries health check ${a.foreignHealthCheckId}, not the guard's ${a.healthCheckId}; left unchanged (remove it from the set, then attach again)`;
    case 'set-missing':
      return `? ${set}: no such set in Route 53 (zone ${a.hostedZoneId}); create it or correct the target's setIdentifier`;
    case 'no-health-check': {
      const owner = a.region ? healthCheckOwnerRegion(topology, a.region) : undefined;
      return `? ${set}: no guard health check found for ${a.region ?? 'this set'}${owner ? ` (the ${owner} stack creates it: deploy it)` : ''}`;
    }
    case 'unread':
      return `? ${set}: cannot read the record: ${a.error}`;
  }
}

function appliedLine(a: SetAttachment, applied: Applied): string {
  const set = describeAttachmentSet(a);
  if (applied.outcome === 'attached')
    return `+ ${set}: attached ${a.status === 'attach' ? a.healthCheckId : ''} (change ${applied.changeId})`;
  if (applied.outcome === 'conflict')
    return `x ${set}: CONFLICT: the set changed since it was read; nothing changed for it, run attach again (${applied.error})`;
  return `x ${set}: FAILED: ${applied.error}; nothing changed for it`;
}

async function applyOne(dns: DnsPort, a: SetAttachment & { status: 'attach' }): Promise<Applied> {
  try {
    const { changeId } = await dns.changeRecordSets(
      a.hostedZoneId,
      attachmentChanges(a),
      `failover-guard attach: health check ${a.healthCheckId} on ${a.setIdentifier}`,
    );
    return { outcome: 'attached', changeId };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { outcome: error instanceof DnsConflictError ? 'conflict' : 'failed', error: message };
  }
}

function count(plan: readonly SetAttachment[], status: SetAttachment['status']): number {
  return plan.filter((a) => a.status === status).length;
}

/** 0: every set carries its check; 1: something is left (to attach, refused, conflict, missing); 3: a read or write failed. */
function exitCode(
  plan: readonly SetAttachment[],
  applied: readonly Applied[],
  apply: boolean,
  problems: number,
): number {
  if (plan.some((a) => a.status === 'unread') || applied.some((r) => r.outcome === 'failed'))
    return ExitCode.ENVIRONMENT;
  const left =
    problems > 0 ||
    plan.some((a) => a.status !== 'attached' && a.status !== 'attach') ||
    (apply ? applied.some((r) => r.outcome !== 'attached') : plan.some((a) => a.status === 'attach'));
  return left ? ExitCode.FAILED : ExitCode.OK;
}

export function registerAttachCommand(program: Command, io: CliIo, portsFor: AttachPortsFor = awsAttachPorts): void {
  program
    .command('attach')
    .description(
      "put each region's Route 53 health check on the sets of the records marked dataPlaneFailover (plan; --apply to write)",
    )
    .argument('<config>', 'topology config (JSON)')
    .option(
      '--apply',
      'write the changes: one compare-and-swap batch per set (DELETE the set read, CREATE it with the check)',
    )
    .option('--json', 'print every set with its status (and, with --apply, what was done) as JSON')
    .addHelpText(
      'after',
      [
        '',
        "The guard's health checks are found by their tags (failover-guard:topology, :judged-region, :checker-region)",
        "with route53:ListHealthChecks and route53:ListTagsForResources; each region's sets get the check of the",
        'first guard region judging it. A set carrying another health check is refused, never overwritten.',
        "AWS clients take the SDK's standard configuration (credentials chain, AWS_PROFILE, AWS_ENDPOINT_URL).",
        'Exits 0 when every set carries its check (after --apply: all attached), 1 when something is left',
        '(sets to attach, refused, changed under it, missing, no check found), 2 on bad input, 3 when AWS failed.',
        '',
        'Examples:',
        '  $ failover-guard attach topology.json',
        '  $ failover-guard attach topology.json --apply',
        '',
      ].join('\n'),
    )
    .action(async (configPath: string, options: { apply?: boolean; json?: boolean }) => {
      const topology = await readTopologyFile(configPath);
      const marked = dataPlaneRecords(topology);
      if (marked.length === 0)
        throw new InputError(
          `no record of ${configPath} is marked "dataPlaneFailover": true; mark the failover or weighted records whose sets should carry the region health checks`,
        );
      const ports = portsFor(topology);
      const { ids, problems } = regionHealthCheckIds(
        topology,
        await ports.healthChecks.guardHealthChecks(topology.name),
      );
      const records = await readRecords(ports, topology, new Set(marked.map((r) => r.id)));
      const plan = planHealthCheckAttachments({ topology, records, healthChecks: ids });
      const applied = new Map<SetAttachment, Applied>();
      if (options.apply) for (const a of plan) if (a.status === 'attach') applied.set(a, await applyOne(ports.dns, a));
      io.setExitCode(exitCode(plan, [...applied.values()], options.apply === true, problems.length));
      if (options.json) {
        const sets = plan.map((a) => ({ ...a, ...(applied.has(a) ? { applied: applied.get(a) } : {}) }));
        io.stdout(`${JSON.stringify({ healthChecks: ids, problems, sets }, null, 2)}\n`);
        return;
      }
      const lines = [
        `health checks: ${
          Object.entries(ids)
            .map(([region, id]) => `${region} ${id}`)
            .join(', ') || 'none found'
        }`,
        ...problems.map((p) => `! ${p}`),
        ...plan.map((a) => {
          const done = applied.get(a);
          return done ? appliedLine(a, done) : planLine(a, topology);
        }),
      ];
      const refused = `${count(plan, 'foreign')} refused`;
      if (options.apply) {
        const n = (outcome: Applied['outcome']) => [...applied.values()].filter((r) => r.outcome === outcome).length;
        lines.push(
          `applied: ${n('attached')} attached, ${count(plan, 'attached')} already attached, ${refused}, ${n('conflict')} conflict(s), ${n('failed')} failed`,
        );
      } else {
        const pending = count(plan, 'attach');
        lines.push(
          `plan: ${pending} to attach, ${count(plan, 'attached')} already attached, ${refused}${pending > 0 ? '; run again with --apply to attach' : ''}`,
        );
      }
      io.stdout(`${lines.join('\n')}\n`);
    });
}
