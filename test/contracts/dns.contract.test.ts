// The DNS contract run against each lane: the in-memory fake, the Route 53 adapter over Route 53's
// wire answers (aws-sdk-client-mock), and the Route 53 adapter over HTTP to moto's server on loopback.
import { ChangeResourceRecordSetsCommand, CreateHostedZoneCommand, Route53Client } from '@aws-sdk/client-route-53';
import { Route53DnsAdapter, toAws } from '../../lambdas/adapters/aws/route53-dns.adapter';
import { MemoryCloud } from '../../lambdas/adapters/memory';
import { dnsContract } from './dns.contract';
import { motoLane } from './lanes/moto-server';
import { Route53WireModel } from './lanes/route53-wire';

const ZONE = 'Z0CONTRACT00001';

dnsContract('in-memory cloud', async () => {
  const cloud = new MemoryCloud();
  cloud.dns.seed(ZONE);
  return { port: cloud.dns, zoneId: ZONE, seed: async (sets) => cloud.dns.seed(ZONE, sets) };
});

dnsContract('Route 53 adapter over aws-sdk-client-mock', async () => {
  const wire = new Route53WireModel();
  wire.seed(ZONE, []);
  return {
    port: new Route53DnsAdapter(wire.client),
    zoneId: ZONE,
    seed: async (sets) => wire.seed(ZONE, sets.map(toAws)),
  };
});

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
