import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  InvalidChangeBatch,
  ListResourceRecordSetsCommand,
  PriorRequestNotComplete,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { fromAws, Route53DnsAdapter } from '../../../lambdas/adapters/aws/route53-dns.adapter';
import type { RecordSet } from '../../../lambdas/ports/dns.port';
import { CloudCallError, DnsConflictError } from '../../../lambdas/ports/errors';

const r53 = mockClient(Route53Client);
const ZONE = 'Z0123456789ABC';
const adapter = () => new Route53DnsAdapter(new Route53Client({ region: 'us-east-1' }));

afterEach(() => r53.reset());

describe('Route53DnsAdapter.listRecordSets', () => {
  it('reads the sets of one name and type, lowercased and without the trailing dot', async () => {
    // Prepare
    r53.on(ListResourceRecordSetsCommand).resolves({
      IsTruncated: false,
      MaxItems: 100,
      ResourceRecordSets: [
        {
          Name: 'WWW.example.com.',
          Type: 'A',
          TTL: 60,
          ResourceRecords: [{ Value: '10.0.0.1' }, { Value: '10.0.0.2' }],
        },
        { Name: 'www.example.com.', Type: 'AAAA', TTL: 60, ResourceRecords: [{ Value: '::1' }] },
      ],
    });
    // Act
    const sets = await adapter().listRecordSets(ZONE, 'www.Example.com.', 'a');
    // Assess
    expect(sets).toEqual([{ name: 'www.example.com', type: 'A', ttl: 60, values: ['10.0.0.1', '10.0.0.2'] }]);
    expect(r53).toHaveReceivedCommandTimes(ListResourceRecordSetsCommand, 1);
    expect(r53).toHaveReceivedCommandWith(ListResourceRecordSetsCommand, {
      HostedZoneId: ZONE,
      StartRecordName: 'www.example.com',
      StartRecordType: 'A',
      MaxItems: 100,
    });
  });

  it('follows the next record while it is still the same name and type', async () => {
    // Prepare
    const weighted = (id: string, weight: number) => ({
      Name: 'origin.example.com.',
      Type: 'A' as const,
      TTL: 30,
      SetIdentifier: id,
      Weight: weight,
      ResourceRecords: [{ Value: `10.0.0.${weight}` }],
    });
    r53
      .on(ListResourceRecordSetsCommand)
      .resolvesOnce({
        IsTruncated: true,
        MaxItems: 100,
        ResourceRecordSets: [weighted('a', 1)],
        NextRecordName: 'origin.example.com.',
        NextRecordType: 'A',
        NextRecordIdentifier: 'b',
      })
      .resolvesOnce({
        IsTruncated: true,
        MaxItems: 100,
        ResourceRecordSets: [weighted('b', 2)],
        NextRecordName: 'other.example.com.',
        NextRecordType: 'A',
      });
    // Act
    const sets = await adapter().listRecordSets(ZONE, 'origin.example.com', 'A');
    // Assess
    expect(sets.map((s) => [s.setIdentifier, s.weight])).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect(r53).toHaveReceivedCommandTimes(ListResourceRecordSetsCommand, 2);
    expect(r53).toHaveReceivedNthCommandWith(ListResourceRecordSetsCommand, 2, {
      HostedZoneId: ZONE,
      StartRecordName: 'origin.example.com.',
      StartRecordType: 'A',
      StartRecordIdentifier: 'b',
      MaxItems: 100,
    });
  });

  it('never hangs on a listing whose next page starts where this one did (a truncated page without NextRecordIdentifier)', async () => {
    // Prepare: moto's Route 53 pages weighted sets this way; re-asking would return the same page for ever
    const page = {
      Name: 'origin.example.com.',
      Type: 'A' as const,
      TTL: 30,
      SetIdentifier: 'a',
      Weight: 1,
      ResourceRecords: [{ Value: '10.0.0.1' }],
    };
    r53.on(ListResourceRecordSetsCommand).resolves({
      IsTruncated: true,
      MaxItems: 100,
      ResourceRecordSets: [page],
      NextRecordName: 'origin.example.com.',
      NextRecordType: 'A',
    });
    // Act
    const listing = adapter().listRecordSets(ZONE, 'origin.example.com', 'A');
    // Assess
    await expect(listing).rejects.toSatisfy(
      (e) =>
        e instanceof CloudCallError &&
        e.retryable &&
        /ListResourceRecordSets on Z0123456789ABC\/origin.example.com failed: .*did not advance/.test(e.message),
    );
    expect(r53).toHaveReceivedCommandTimes(ListResourceRecordSetsCommand, 2);
  });

  it('maps alias, failover and health-check fields, and unescapes \\052 as *', async () => {
    r53.on(ListResourceRecordSetsCommand).resolves({
      IsTruncated: false,
      MaxItems: 100,
      ResourceRecordSets: [
        {
          Name: '\\052.example.com.',
          Type: 'A',
          SetIdentifier: 'p',
          Failover: 'PRIMARY',
          HealthCheckId: 'hc-1',
          AliasTarget: {
            HostedZoneId: 'ZLB',
            DNSName: 'My-LB.eu-west-1.elb.amazonaws.com.',
            EvaluateTargetHealth: true,
          },
        },
      ],
    });
    expect(await adapter().listRecordSets(ZONE, '*.example.com', 'A')).toEqual([
      {
        name: '*.example.com',
        type: 'A',
        values: [],
        setIdentifier: 'p',
        failover: 'PRIMARY',
        healthCheckId: 'hc-1',
        aliasTarget: { hostedZoneId: 'ZLB', dnsName: 'my-lb.eu-west-1.elb.amazonaws.com', evaluateTargetHealth: true },
      },
    ]);
  });

  it('finds the sets of a name given with Route 53 escapes, and reads only octal escapes as characters', async () => {
    r53.on(ListResourceRecordSetsCommand).resolves({
      IsTruncated: false,
      MaxItems: 100,
      ResourceRecordSets: [
        { Name: '\\052.example.com.', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '10.0.0.1' }] },
      ],
    });
    const sets = await adapter().listRecordSets(ZONE, '\\052.example.com.', 'A');
    expect(sets.map((s) => s.name)).toEqual(['*.example.com']);
    expect(fromAws({ Name: 'a\\089.example.com.', Type: 'A' }).name).toBe('a\\089.example.com');
  });

  it('names the zone and retries later when Route 53 throttles beyond the SDK retries', async () => {
    r53
      .on(ListResourceRecordSetsCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } }));
    await expect(adapter().listRecordSets(ZONE, 'www.example.com', 'A')).rejects.toSatisfy(
      (e) =>
        e instanceof CloudCallError &&
        e.retryable &&
        /ListResourceRecordSets on Z0123456789ABC\/www.example.com failed: Throttling/.test(e.message),
    );
  });
});

describe('Route53DnsAdapter.changeRecordSets', () => {
  const old: RecordSet = { name: 'www.example.com', type: 'A', ttl: 60, values: ['10.0.0.1', '10.0.0.2'] };

  it('sends the DELETE of the set read and the CREATE of the new one in one batch, every field exact', async () => {
    // Prepare
    r53
      .on(ChangeResourceRecordSetsCommand)
      .resolves({ ChangeInfo: { Id: '/change/C2682N5HXP0BZ4', Status: 'PENDING', SubmittedAt: new Date() } });
    // Act
    const result = await adapter().changeRecordSets(
      ZONE,
      [
        { action: 'DELETE', recordSet: old },
        { action: 'CREATE', recordSet: { ...old, values: ['10.0.0.2'] } },
      ],
      'failover-guard: pull 10.0.0.1',
    );
    // Assess
    expect(result).toEqual({ changeId: 'C2682N5HXP0BZ4' });
    expect(r53).toHaveReceivedCommandTimes(ChangeResourceRecordSetsCommand, 1);
    expect(r53.commandCalls(ChangeResourceRecordSetsCommand)[0]!.args[0].input).toEqual({
      HostedZoneId: ZONE,
      ChangeBatch: {
        Comment: 'failover-guard: pull 10.0.0.1',
        Changes: [
          {
            Action: 'DELETE',
            ResourceRecordSet: {
              Name: 'www.example.com',
              Type: 'A',
              TTL: 60,
              ResourceRecords: [{ Value: '10.0.0.1' }, { Value: '10.0.0.2' }],
            },
          },
          {
            Action: 'CREATE',
            ResourceRecordSet: {
              Name: 'www.example.com',
              Type: 'A',
              TTL: 60,
              ResourceRecords: [{ Value: '10.0.0.2' }],
            },
          },
        ],
      },
    });
  });

  it('sends weighted, multivalue, failover and alias fields as Route 53 names them', async () => {
    r53
      .on(ChangeResourceRecordSetsCommand)
      .resolves({ ChangeInfo: { Id: '/change/C1', Status: 'PENDING', SubmittedAt: new Date() } });
    await adapter().changeRecordSets(ZONE, [
      {
        action: 'UPSERT',
        recordSet: {
          name: 'o.example.com',
          type: 'A',
          ttl: 30,
          values: ['10.0.0.1'],
          setIdentifier: 'a',
          weight: 0,
          healthCheckId: 'hc',
        },
      },
      {
        action: 'UPSERT',
        recordSet: {
          name: 'm.example.com',
          type: 'A',
          ttl: 30,
          values: ['10.0.0.2'],
          setIdentifier: 'm',
          multiValueAnswer: true,
        },
      },
      {
        action: 'UPSERT',
        recordSet: {
          name: 'f.example.com',
          type: 'A',
          values: [],
          setIdentifier: 'p',
          failover: 'PRIMARY',
          aliasTarget: { hostedZoneId: 'ZLB', dnsName: 'lb.example.com', evaluateTargetHealth: true },
        },
      },
    ]);
    expect(r53.commandCalls(ChangeResourceRecordSetsCommand)[0]!.args[0].input).toEqual({
      HostedZoneId: ZONE,
      ChangeBatch: {
        Changes: [
          {
            Action: 'UPSERT',
            ResourceRecordSet: {
              Name: 'o.example.com',
              Type: 'A',
              TTL: 30,
              ResourceRecords: [{ Value: '10.0.0.1' }],
              SetIdentifier: 'a',
              Weight: 0,
              HealthCheckId: 'hc',
            },
          },
          {
            Action: 'UPSERT',
            ResourceRecordSet: {
              Name: 'm.example.com',
              Type: 'A',
              TTL: 30,
              ResourceRecords: [{ Value: '10.0.0.2' }],
              SetIdentifier: 'm',
              MultiValueAnswer: true,
            },
          },
          {
            Action: 'UPSERT',
            ResourceRecordSet: {
              Name: 'f.example.com',
              Type: 'A',
              SetIdentifier: 'p',
              Failover: 'PRIMARY',
              AliasTarget: { HostedZoneId: 'ZLB', DNSName: 'lb.example.com', EvaluateTargetHealth: true },
            },
          },
        ],
      },
    });
  });

  it.each([
    "Tried to delete resource record set [name='www.example.com.', type='A'] but the values provided do not match the current values",
    "Tried to delete resource record set [name='www.example.com.', type='A'] but it was not found",
    "Tried to create resource record set [name='www.example.com.', type='A'] but it already exists",
  ])('raises DnsConflictError when Route 53 answers InvalidChangeBatch: %s', async (message) => {
    r53
      .on(ChangeResourceRecordSetsCommand)
      .rejects(new InvalidChangeBatch({ message, messages: [message], $metadata: { httpStatusCode: 400 } }));
    await expect(adapter().changeRecordSets(ZONE, [{ action: 'DELETE', recordSet: old }])).rejects.toBeInstanceOf(
      DnsConflictError,
    );
  });

  it.each([
    // A missing alias target is a configuration error: re-reading the record would not fix it.
    [
      'Tried to create an alias that targets www.example.com., type A in zone Z0123456789ABC, but that target was not found',
    ],
    [
      "Tried to delete resource record set [name='www.example.com.', type='A'] but it was not found",
      'Tried to create an alias that targets lb.example.com., type A in zone ZLB, but that target was not found',
    ],
  ])(
    'raises CloudCallError, not DnsConflictError, when any message of the batch is not a lost compare-and-swap: %s',
    async (...messages) => {
      const message = `[${messages.join(', ')}]`;
      r53
        .on(ChangeResourceRecordSetsCommand)
        .rejects(new InvalidChangeBatch({ message, messages, $metadata: { httpStatusCode: 400 } }));
      await expect(adapter().changeRecordSets(ZONE, [{ action: 'DELETE', recordSet: old }])).rejects.toSatisfy(
        (e) => e instanceof CloudCallError && !e.retryable && e.message.includes('that target was not found'),
      );
    },
  );

  it('recognises a lost compare-and-swap from the bracketed message when Route 53 sends no message list', async () => {
    const message = "[Tried to delete resource record set [name='www.example.com.', type='A'] but it was not found]";
    r53
      .on(ChangeResourceRecordSetsCommand)
      .rejects(new InvalidChangeBatch({ message, $metadata: { httpStatusCode: 400 } }));
    await expect(adapter().changeRecordSets(ZONE, [{ action: 'DELETE', recordSet: old }])).rejects.toBeInstanceOf(
      DnsConflictError,
    );
  });

  it('raises a non-retryable CloudCallError for any other invalid batch', async () => {
    const message =
      'RRSet of type CNAME with DNS name www.example.com. is not permitted as it conflicts with other records';
    r53
      .on(ChangeResourceRecordSetsCommand)
      .rejects(new InvalidChangeBatch({ message, messages: [message], $metadata: { httpStatusCode: 400 } }));
    await expect(adapter().changeRecordSets(ZONE, [{ action: 'CREATE', recordSet: old }])).rejects.toSatisfy(
      (e) =>
        e instanceof CloudCallError &&
        !e.retryable &&
        e.operation === 'ChangeResourceRecordSets' &&
        e.resource === ZONE,
    );
  });

  it('raises a retryable CloudCallError when the zone stays busy with an earlier change', async () => {
    r53.on(ChangeResourceRecordSetsCommand).rejects(
      new PriorRequestNotComplete({
        message: 'The request was rejected because Route 53 was still processing a prior request.',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    await expect(adapter().changeRecordSets(ZONE, [{ action: 'CREATE', recordSet: old }])).rejects.toSatisfy(
      (e) => e instanceof CloudCallError && e.retryable && /PriorRequestNotComplete/.test(e.message),
    );
  });
});

describe('Route53DnsAdapter.changeStatus', () => {
  it('asks GetChange for the id and reports PENDING, then INSYNC', async () => {
    r53
      .on(GetChangeCommand)
      .resolvesOnce({ ChangeInfo: { Id: '/change/C1', Status: 'PENDING', SubmittedAt: new Date() } })
      .resolvesOnce({ ChangeInfo: { Id: '/change/C1', Status: 'INSYNC', SubmittedAt: new Date() } });
    const dns = adapter();
    expect(await dns.changeStatus('C1')).toBe('PENDING');
    expect(await dns.changeStatus('C1')).toBe('INSYNC');
    expect(r53).toHaveReceivedCommandWith(GetChangeCommand, { Id: 'C1' });
  });
});
