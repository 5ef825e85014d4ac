import {
  ChangeResourceRecordSetsCommand,
  type ChangeResourceRecordSetsCommandInput,
  InvalidChangeBatch,
  ListHealthChecksCommand,
  ListResourceRecordSetsCommand,
  ListTagsForResourcesCommand,
  Route53Client,
  type ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { exampleTopology } from '../domain/config/example-topology';
import { runCliCaptured } from './capture-io';
import { useTempDir } from './cli-files';

const r53 = mockClient(Route53Client);
afterEach(() => r53.reset());
const files = useTempDir();

const ZONE = 'Z0123456789ABCDEFGHIJ';
const DUB_CHECK = 'aaaaaaaa-0000-0000-0000-000000000001';
const FRA_CHECK = 'bbbbbbbb-0000-0000-0000-000000000002';

/** The example topology with "origin" (weighted: dub-a, dub-b in eu-west-1, fra-a, fra-b in eu-central-1) marked. */
function markedConfig(): string {
  const raw = exampleTopology();
  raw.dns[1].dataPlaneFailover = true;
  return files.write(`marked-${Math.random().toString(16).slice(2)}.json`, raw);
}

const IPS: Record<string, string> = {
  'dub-a': '10.10.1.11',
  'dub-b': '10.10.2.11',
  'fra-a': '10.20.1.11',
  'fra-b': '10.20.2.11',
};

const originSet = (id: string, healthCheckId?: string): ResourceRecordSet => ({
  Name: 'origin.shop.example.com.',
  Type: 'A',
  TTL: 30,
  SetIdentifier: id,
  Weight: 100,
  ResourceRecords: [{ Value: IPS[id] ?? '10.0.0.1' }],
  ...(healthCheckId !== undefined ? { HealthCheckId: healthCheckId } : {}),
});

/** The tags the construct puts on a region health check. */
const guardTags = (id: string, judged: string, checker: string) => ({
  ResourceType: 'healthcheck' as const,
  ResourceId: id,
  Tags: [
    { Key: 'failover-guard:topology', Value: 'shop' },
    { Key: 'failover-guard:judged-region', Value: judged },
    { Key: 'failover-guard:checker-region', Value: checker },
  ],
});

/** The two guard checks (each judged from the other region), an unrelated metric check and an HTTP check. */
function givenGuardHealthChecks(): void {
  r53.on(ListHealthChecksCommand).resolves({
    IsTruncated: false,
    MaxItems: 1000,
    Marker: undefined,
    HealthChecks: [
      { Id: DUB_CHECK, CallerReference: 'a', HealthCheckVersion: 1, HealthCheckConfig: { Type: 'CLOUDWATCH_METRIC' } },
      { Id: 'web-check', CallerReference: 'b', HealthCheckVersion: 1, HealthCheckConfig: { Type: 'HTTPS' } },
      { Id: FRA_CHECK, CallerReference: 'c', HealthCheckVersion: 1, HealthCheckConfig: { Type: 'CLOUDWATCH_METRIC' } },
      {
        Id: 'other-team',
        CallerReference: 'd',
        HealthCheckVersion: 1,
        HealthCheckConfig: { Type: 'CLOUDWATCH_METRIC' },
      },
    ],
  });
  r53.on(ListTagsForResourcesCommand).resolves({
    ResourceTagSets: [
      guardTags(DUB_CHECK, 'eu-west-1', 'eu-central-1'),
      guardTags(FRA_CHECK, 'eu-central-1', 'eu-west-1'),
      { ResourceType: 'healthcheck', ResourceId: 'other-team', Tags: [{ Key: 'Name', Value: 'not ours' }] },
    ],
  });
}

function givenOrigin(sets: ResourceRecordSet[]): void {
  r53.on(ListResourceRecordSetsCommand).resolves({ IsTruncated: false, MaxItems: 100, ResourceRecordSets: sets });
}

const bare = () => ['dub-a', 'dub-b', 'fra-a', 'fra-b'].map((id) => originSet(id));
const checkOf = (id: string) => (id.startsWith('dub') ? DUB_CHECK : FRA_CHECK);

describe('failover-guard attach', () => {
  it('plans by default: finds the guard checks by their tags, reads the marked record, changes nothing, exit 1', async () => {
    // Prepare
    givenGuardHealthChecks();
    givenOrigin(bare());
    // Act
    const run = await runCliCaptured('attach', markedConfig());
    // Assess
    expect(run.stdout).toBe(
      [
        `health checks: eu-west-1 ${DUB_CHECK}, eu-central-1 ${FRA_CHECK}`,
        `+ origin.shop.example.com A "dub-a" (eu-west-1): health check ${DUB_CHECK}`,
        `+ origin.shop.example.com A "dub-b" (eu-west-1): health check ${DUB_CHECK}`,
        `+ origin.shop.example.com A "fra-a" (eu-central-1): health check ${FRA_CHECK}`,
        `+ origin.shop.example.com A "fra-b" (eu-central-1): health check ${FRA_CHECK}`,
        'plan: 4 to attach, 0 already attached, 0 refused; run again with --apply to attach',
        '',
      ].join('\n'),
    );
    expect(run.exitCode).toBe(1);
    expect(r53).toHaveReceivedCommandWith(ListHealthChecksCommand, { MaxItems: 1000 });
    // Only the metric checks' tags are asked for, in one batch.
    expect(r53).toHaveReceivedCommandTimes(ListTagsForResourcesCommand, 1);
    expect(r53).toHaveReceivedCommandWith(ListTagsForResourcesCommand, {
      ResourceType: 'healthcheck',
      ResourceIds: [DUB_CHECK, FRA_CHECK, 'other-team'],
    });
    expect(r53).toHaveReceivedCommandWith(ListResourceRecordSetsCommand, {
      HostedZoneId: ZONE,
      StartRecordName: 'origin.shop.example.com',
      StartRecordType: 'A',
      MaxItems: 100,
    });
    expect(r53).toHaveReceivedCommandTimes(ChangeResourceRecordSetsCommand, 0);
  });

  it('--apply writes one compare-and-swap batch per set: DELETE the set read, CREATE it with the check; exit 0', async () => {
    // Prepare
    givenGuardHealthChecks();
    givenOrigin(bare());
    r53.on(ChangeResourceRecordSetsCommand).resolves({
      ChangeInfo: { Id: '/change/C1', Status: 'PENDING', SubmittedAt: new Date() },
    });
    // Act
    const run = await runCliCaptured('attach', markedConfig(), '--apply');
    // Assess
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(
      `+ origin.shop.example.com A "fra-b" (eu-central-1): attached ${FRA_CHECK} (change C1)`,
    );
    expect(run.stdout).toContain('applied: 4 attached, 0 already attached, 0 refused, 0 conflict(s), 0 failed');
    expect(r53).toHaveReceivedCommandTimes(ChangeResourceRecordSetsCommand, 4);
    const bareSet = (id: string) => ({ ...originSet(id), Name: 'origin.shop.example.com' });
    expect(r53).toHaveReceivedNthCommandWith(ChangeResourceRecordSetsCommand, 1, {
      HostedZoneId: ZONE,
      ChangeBatch: {
        Comment: `failover-guard attach: health check ${DUB_CHECK} on dub-a`,
        Changes: [
          { Action: 'DELETE', ResourceRecordSet: bareSet('dub-a') },
          { Action: 'CREATE', ResourceRecordSet: { ...bareSet('dub-a'), HealthCheckId: DUB_CHECK } },
        ],
      },
    });
  });

  it('is idempotent: sets that carry their checks need nothing, exit 0, no write even with --apply', async () => {
    // Prepare
    givenGuardHealthChecks();
    givenOrigin(['dub-a', 'dub-b', 'fra-a', 'fra-b'].map((id) => originSet(id, checkOf(id))));
    // Act
    const run = await runCliCaptured('attach', markedConfig(), '--apply');
    // Assess
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(`= origin.shop.example.com A "dub-a" (eu-west-1): carries ${DUB_CHECK}`);
    expect(run.stdout).toContain('applied: 0 attached, 4 already attached, 0 refused, 0 conflict(s), 0 failed');
    expect(r53).toHaveReceivedCommandTimes(ChangeResourceRecordSetsCommand, 0);
  });

  it('refuses a set carrying a health check it did not plan and never overwrites it; the others are attached, exit 1', async () => {
    // Prepare
    givenGuardHealthChecks();
    givenOrigin(bare().map((s) => (s.SetIdentifier === 'fra-b' ? { ...s, HealthCheckId: 'hand-made' } : s)));
    r53
      .on(ChangeResourceRecordSetsCommand)
      .resolves({ ChangeInfo: { Id: 'C2', Status: 'PENDING', SubmittedAt: new Date() } });
    // Act
    const run = await runCliCaptured('attach', markedConfig(), '--apply');
    // Assess
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(
      `! origin.shop.example.com A "fra-b" (eu-central-1): REFUSED: carries health check hand-made, not the guard's ${FRA_CHECK}; left unchanged (remove it from the set, then attach again)`,
    );
    expect(r53).toHaveReceivedCommandTimes(ChangeResourceRecordSetsCommand, 3);
    const touched = r53
      .commandCalls(ChangeResourceRecordSetsCommand)
      .flatMap((c) => c.args[0].input.ChangeBatch?.Changes ?? [])
      .map((c) => c.ResourceRecordSet?.SetIdentifier);
    expect(touched).not.toContain('fra-b');
  });

  it('says so when a set changed since it was read (InvalidChangeBatch): that set is left as it was, the others go on, exit 1', async () => {
    // Prepare
    givenGuardHealthChecks();
    givenOrigin(bare());
    const message =
      "Tried to delete resource record set [name='origin.shop.example.com.', type='A', set-identifier='dub-b'] but the values provided do not match the current values";
    r53.on(ChangeResourceRecordSetsCommand).callsFake((input: ChangeResourceRecordSetsCommandInput) => {
      if (input.ChangeBatch?.Comment === `failover-guard attach: health check ${DUB_CHECK} on dub-b`)
        throw new InvalidChangeBatch({ message, messages: [message], $metadata: { httpStatusCode: 400 } });
      return { ChangeInfo: { Id: 'C3', Status: 'PENDING', SubmittedAt: new Date() } };
    });
    // Act
    const run = await runCliCaptured('attach', markedConfig(), '--apply');
    // Assess
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(
      /x origin\.shop\.example\.com A "dub-b" \(eu-west-1\): CONFLICT: the set changed since it was read; nothing changed for it, run attach again/,
    );
    expect(run.stdout).toContain('applied: 3 attached, 0 already attached, 0 refused, 1 conflict(s), 0 failed');
  });

  it('pages through a marked record of more than 100 sets and through the health check list', async () => {
    // Prepare: 120 weighted sets, 60 per region.
    const raw = exampleTopology();
    const servers = Array.from({ length: 120 }, (_, i) => ({
      id: `web-${i}`,
      region: i % 2 === 0 ? 'eu-west-1' : 'eu-central-1',
      ip: `10.30.${Math.floor(i / 100)}.${(i % 100) + 1}`,
      probe: { type: 'tcp', host: `10.30.${Math.floor(i / 100)}.${(i % 100) + 1}`, port: 80 },
    }));
    raw.servers.push(...servers);
    raw.dns[1].targets = servers.map((s) => ({
      endpoint: s.id,
      setIdentifier: `s${String(s.id.slice(4)).padStart(3, '0')}`,
    }));
    raw.dns[1].dataPlaneFailover = true;
    const config = files.write('wide.json', raw);
    const set = (i: number): ResourceRecordSet => ({
      Name: 'origin.shop.example.com.',
      Type: 'A',
      TTL: 30,
      SetIdentifier: `s${String(i).padStart(3, '0')}`,
      Weight: 100,
      ResourceRecords: [{ Value: servers[i]!.ip }],
      HealthCheckId: i % 2 === 0 ? DUB_CHECK : FRA_CHECK,
    });
    r53
      .on(ListResourceRecordSetsCommand)
      .resolvesOnce({
        IsTruncated: true,
        MaxItems: 100,
        NextRecordName: 'origin.shop.example.com.',
        NextRecordType: 'A',
        NextRecordIdentifier: 's100',
        ResourceRecordSets: Array.from({ length: 100 }, (_, i) => set(i)),
      })
      .resolvesOnce({
        IsTruncated: false,
        MaxItems: 100,
        ResourceRecordSets: Array.from({ length: 20 }, (_, i) => set(100 + i)),
      });
    givenGuardHealthChecks();
    r53
      .on(ListHealthChecksCommand)
      .resolvesOnce({
        IsTruncated: true,
        NextMarker: 'page-2',
        MaxItems: 1000,
        Marker: undefined,
        HealthChecks: [
          {
            Id: DUB_CHECK,
            CallerReference: 'a',
            HealthCheckVersion: 1,
            HealthCheckConfig: { Type: 'CLOUDWATCH_METRIC' },
          },
        ],
      })
      .resolvesOnce({
        IsTruncated: false,
        MaxItems: 1000,
        Marker: 'page-2',
        HealthChecks: [
          {
            Id: FRA_CHECK,
            CallerReference: 'c',
            HealthCheckVersion: 1,
            HealthCheckConfig: { Type: 'CLOUDWATCH_METRIC' },
          },
        ],
      });
    // Act
    const run = await runCliCaptured('attach', config);
    // Assess
    expect(run.stdout).toContain('plan: 0 to attach, 120 already attached, 0 refused');
    expect(run.exitCode).toBe(0);
    expect(r53).toHaveReceivedNthCommandWith(ListHealthChecksCommand, 2, { MaxItems: 1000, Marker: 'page-2' });
    expect(r53).toHaveReceivedNthCommandWith(ListResourceRecordSetsCommand, 2, {
      HostedZoneId: ZONE,
      StartRecordName: 'origin.shop.example.com.',
      StartRecordType: 'A',
      StartRecordIdentifier: 's100',
      MaxItems: 100,
    });
  });

  it('names the stack to deploy when a region has no guard health check, exit 1', async () => {
    // Prepare
    r53
      .on(ListHealthChecksCommand)
      .resolves({ IsTruncated: false, MaxItems: 1000, Marker: undefined, HealthChecks: [] });
    givenOrigin(bare());
    // Act
    const run = await runCliCaptured('attach', markedConfig());
    // Assess
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('health checks: none found');
    expect(run.stdout).toContain(
      '? origin.shop.example.com A "dub-a" (eu-west-1): no guard health check found for eu-west-1 (the eu-central-1 stack creates it: deploy it)',
    );
  });

  it('refuses a topology without a marked record (exit 2) and reports AWS refusing the listing (exit 3)', async () => {
    // Prepare
    const unmarked = files.write('unmarked.json', exampleTopology());
    r53.on(ListHealthChecksCommand).rejects(
      Object.assign(new Error('User is not authorized to perform: route53:ListHealthChecks'), {
        name: 'AccessDenied',
        $metadata: { httpStatusCode: 403 },
      }),
    );
    // Act
    const noMark = await runCliCaptured('attach', unmarked);
    const denied = await runCliCaptured('attach', markedConfig());
    // Assess
    expect(noMark.exitCode).toBe(2);
    expect(noMark.stderr).toContain('is marked "dataPlaneFailover": true');
    expect(denied.exitCode).toBe(3);
    expect(denied.stderr).toContain('route53:ListHealthChecks');
  });
});
