// DnsPort over Route 53: reads one name's record sets, writes change batches (compare-and-swap via
// DELETE of the exact set read), and reports change propagation.
import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  InvalidChangeBatch,
  ListResourceRecordSetsCommand,
  type ResourceRecordSet,
  type Route53Client,
  type RRType,
} from '@aws-sdk/client-route-53';
import type { ChangeStatus, DnsPort, RecordChange, RecordSet } from '../../ports/dns.port';
import { CloudCallError, DnsConflictError } from '../../ports/errors';
import { normaliseDnsName } from '../../ports/record-sets';
import { callAws, toCloudCallError } from './cloud-errors';

/** Route 53's control plane region: its API is global, served from us-east-1. */
export const ROUTE53_REGION = 'us-east-1';

/** Record sets per ListResourceRecordSets page (Route 53's maximum is 300). */
const PAGE_SIZE = 100;

/**
 * The InvalidChangeBatch messages that mean "the record is not what you read" (lost compare-and-swap), as
 * Route 53 words them. Others, such as "Tried to create an alias that targets …, but that target was not
 * found", are configuration errors that re-reading would not mend.
 */
const CONFLICT_MESSAGE =
  /Tried to (?:delete resource record set \[[^\]]*\] but (?:it was not found|the values provided do not match the current values)|create resource record set \[[^\]]*\] but it already exists)/g;

export class Route53DnsAdapter implements DnsPort {
  constructor(private readonly client: Route53Client) {}

  async listRecordSets(zoneId: string, name: string, type: string): Promise<RecordSet[]> {
    const wantedName = normaliseDnsName(unescapeDnsName(name));
    const wantedType = type.toUpperCase() as RRType;
    const sets: RecordSet[] = [];
    let start: { name?: string; type?: string; identifier?: string } = { name: wantedName, type: wantedType };
    for (;;) {
      const page = await callAws('Route 53', 'ListResourceRecordSets', `${zoneId}/${wantedName}`, () =>
        this.client.send(
          new ListResourceRecordSetsCommand({
            HostedZoneId: zoneId,
            StartRecordName: start.name,
            StartRecordType: start.type as RRType,
            ...(start.identifier !== undefined ? { StartRecordIdentifier: start.identifier } : {}),
            MaxItems: PAGE_SIZE,
          }),
        ),
      );
      const found = (page.ResourceRecordSets ?? []).map(fromAws);
      const matching = found.filter((s) => s.name === wantedName && s.type === wantedType);
      sets.push(...matching);
      // Records come sorted by name and type: the first other name/type ends this one.
      if (matching.length < found.length || !page.IsTruncated) return sets;
      if (
        page.NextRecordName === undefined ||
        normaliseDnsName(unescapeDnsName(page.NextRecordName)) !== wantedName ||
        page.NextRecordType !== wantedType
      ) {
        return sets;
      }
      const next = {
        name: page.NextRecordName,
        type: page.NextRecordType,
        ...(page.NextRecordIdentifier !== undefined ? { identifier: page.NextRecordIdentifier } : {}),
      };
      // A page that would start where this one did would be read again for ever: fail the read instead of hanging.
      if (next.name === start.name && next.type === start.type && next.identifier === start.identifier) {
        const stuck = new Error(
          `the listing did not advance: the next page starts at ${next.name} ${next.type} ${next.identifier ?? '(no set identifier)'} again`,
        );
        throw new CloudCallError('ListResourceRecordSets', `${zoneId}/${wantedName}`, stuck, true, 'Route 53');
      }
      start = next;
    }
  }

  async changeRecordSets(
    zoneId: string,
    changes: readonly RecordChange[],
    comment?: string,
  ): Promise<{ changeId: string }> {
    try {
      const result = await this.client.send(
        new ChangeResourceRecordSetsCommand({
          HostedZoneId: zoneId,
          ChangeBatch: {
            ...(comment !== undefined ? { Comment: comment } : {}),
            Changes: changes.map((c) => ({ Action: c.action, ResourceRecordSet: toAws(c.recordSet) })),
          },
        }),
      );
      return { changeId: (result.ChangeInfo?.Id ?? '').replace(/^\/change\//, '') };
    } catch (error) {
      if (error instanceof InvalidChangeBatch && onlyConflicts(error)) {
        throw new DnsConflictError(
          `record sets in ${zoneId} changed since they were read (${problemsOf(error).join('; ')}); re-read and re-plan`,
          { cause: error },
        );
      }
      throw toCloudCallError('Route 53', 'ChangeResourceRecordSets', zoneId, error);
    }
  }

  async changeStatus(changeId: string): Promise<ChangeStatus> {
    const result = await callAws('Route 53', 'GetChange', changeId, () =>
      this.client.send(new GetChangeCommand({ Id: changeId })),
    );
    return result.ChangeInfo?.Status === 'INSYNC' ? 'INSYNC' : 'PENDING';
  }
}

/**
 * The problems Route 53 gives for a refused batch. It lists several in `messages`; a single one comes
 * as the error's `<Message>` alone, which SDK v3 turns into `messages: []` and the error's message.
 */
function problemsOf(error: InvalidChangeBatch): string[] {
  return error.messages?.length ? error.messages : [error.message];
}

/** True when every problem Route 53 lists is a lost compare-and-swap. */
function onlyConflicts(error: InvalidChangeBatch): boolean {
  return problemsOf(error).every((problem) => {
    const conflicts = problem.match(CONFLICT_MESSAGE)?.length ?? 0;
    return conflicts > 0 && conflicts === (problem.match(/Tried to /g)?.length ?? 0);
  });
}

/** Route 53 escapes some characters in names as \ooo (three octal digits), e.g. "*" as \052. */
function unescapeDnsName(name: string): string {
  return name.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

export function fromAws(set: ResourceRecordSet): RecordSet {
  const alias = set.AliasTarget;
  return {
    name: normaliseDnsName(unescapeDnsName(set.Name ?? '')),
    type: set.Type ?? '',
    ...(set.TTL !== undefined ? { ttl: set.TTL } : {}),
    values: (set.ResourceRecords ?? []).map((r) => r.Value ?? ''),
    ...(set.SetIdentifier !== undefined ? { setIdentifier: set.SetIdentifier } : {}),
    ...(set.Weight !== undefined ? { weight: set.Weight } : {}),
    ...(set.MultiValueAnswer !== undefined ? { multiValueAnswer: set.MultiValueAnswer } : {}),
    ...(set.Failover !== undefined ? { failover: set.Failover } : {}),
    ...(set.HealthCheckId !== undefined ? { healthCheckId: set.HealthCheckId } : {}),
    ...(alias
      ? {
          aliasTarget: {
            hostedZoneId: alias.HostedZoneId ?? '',
            dnsName: normaliseDnsName(alias.DNSName ?? ''),
            evaluateTargetHealth: alias.EvaluateTargetHealth ?? false,
          },
        }
      : {}),
  };
}

/** Every field the set holds, as Route 53 needs them to match on DELETE. */
export function toAws(set: RecordSet): ResourceRecordSet {
  return {
    Name: normaliseDnsName(set.name),
    Type: set.type.toUpperCase() as RRType,
    ...(set.ttl !== undefined ? { TTL: set.ttl } : {}),
    ...(set.aliasTarget ? {} : { ResourceRecords: set.values.map((Value) => ({ Value })) }),
    ...(set.setIdentifier !== undefined ? { SetIdentifier: set.setIdentifier } : {}),
    ...(set.weight !== undefined ? { Weight: set.weight } : {}),
    ...(set.failover !== undefined ? { Failover: set.failover } : {}),
    ...(set.multiValueAnswer !== undefined ? { MultiValueAnswer: set.multiValueAnswer } : {}),
    ...(set.healthCheckId !== undefined ? { HealthCheckId: set.healthCheckId } : {}),
    ...(set.aliasTarget
      ? {
          AliasTarget: {
            HostedZoneId: set.aliasTarget.hostedZoneId,
            DNSName: set.aliasTarget.dnsName,
            EvaluateTargetHealth: set.aliasTarget.evaluateTargetHealth,
          },
        }
      : {}),
  };
}
