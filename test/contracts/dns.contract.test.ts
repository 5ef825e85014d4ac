// The DNS contract run against the in-memory fake and the Route 53 adapter over Route 53's wire answers
// (aws-sdk-client-mock). The moto lane is dns.moto.test.ts (slow lane).
import { Route53DnsAdapter, toAws } from '../../lambdas/adapters/aws/route53-dns.adapter';
import { MemoryCloud } from '../../lambdas/adapters/memory';
import { dnsContract } from './dns.contract';
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
