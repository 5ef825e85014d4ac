// The DNS contract run against the Route 53 adapter over HTTP to moto's server on loopback (slow lane).
// Where moto answers differently from Route 53, the case names the difference (lanes/differences.ts).
import { ChangeResourceRecordSetsCommand, CreateHostedZoneCommand, Route53Client } from '@aws-sdk/client-route-53';
import { Route53DnsAdapter, toAws } from '../../lambdas/adapters/aws/route53-dns.adapter';
import { dnsContract } from './dns.contract';
import { motoLane } from './lanes/moto-server';

motoLane('DNS contract', (server) => {
  let zones = 0;
  let client: Route53Client | undefined;
  dnsContract(
    'Route 53 adapter over moto',
    async () => {
      client ??= new Route53Client(server());
      const r53 = client;
      zones += 1;
      const created = await r53.send(
        new CreateHostedZoneCommand({ Name: 'example.com', CallerReference: `contract-${zones}-${Date.now()}` }),
      );
      const zoneId = (created.HostedZone?.Id ?? '').replace(/^\/hostedzone\//, '');
      return {
        port: new Route53DnsAdapter(r53),
        zoneId,
        seed: async (sets) => {
          if (sets.length === 0) return;
          await r53.send(
            new ChangeResourceRecordSetsCommand({
              HostedZoneId: zoneId,
              ChangeBatch: { Changes: sets.map((s) => ({ Action: 'CREATE', ResourceRecordSet: toAws(s) })) },
            }),
          );
        },
      };
    },
    {
      'refuses a DELETE whose values changed since the read':
        "moto refuses it with InvalidInput ('Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords]…'), not Route 53's InvalidChangeBatch 'the values provided do not match the current values'",
      'refuses a DELETE whose TTL changed since the read':
        'moto refuses it with InvalidInput, not InvalidChangeBatch, so the adapter cannot tell a lost compare-and-swap',
      'refuses a DELETE of a set that is gone':
        "moto refuses it with InvalidInput, not InvalidChangeBatch 'Tried to delete … but it was not found'",
      'refuses a CREATE of a set that exists':
        'moto accepts a CREATE over an existing set (it overwrites), where Route 53 refuses it',
      'applies nothing of a batch that loses its compare-and-swap':
        'moto accepts the batch: its DELETE does not compare the weight of the set',
      'lists past 100 record sets of one name':
        'moto leaves NextRecordIdentifier out of a truncated page of weighted sets, so the next page cannot start after the last set (the adapter fails the read rather than loop)',
      'refuses a name that would mix routing policies':
        'moto accepts a simple set beside weighted sets of the same name and type',
    },
  );
});
