// Where each probed endpoint lives, as an address class: loopback (the drill's world), private
// (reachable only from inside a VPC), or public. Decides whether a topology can be drilled or deployed.
import { isIP } from 'node:net';
import type { Probe, Topology } from './schema';
import { probeTargets } from './targets';

type AddressClass = 'loopback' | 'private' | 'public' | 'name';

export interface EndpointAddress {
  readonly id: string;
  readonly region: string;
  readonly host: string;
  readonly addressClass: AddressClass;
}

/** The host a probe connects to: the URL's host, or the TCP probe's host; IPv6 brackets removed. */
function probeHost(probe: Probe): string {
  const host = probe.type === 'tcp' ? probe.host : new URL(probe.url).hostname;
  return host.replace(/^\[(.*)\]$/, '$1');
}

const privateIpv4 = [
  /^10\./,
  /^172\.(1[6-9]|2\d|3[01])\./,
  /^192\.168\./,
  /^169\.254\./,
  /^100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\./,
];

/** loopback: 127/8, ::1, localhost; private: RFC 1918, link-local, carrier-grade NAT, IPv6 ULA and link-local. */
function addressClass(host: string): AddressClass {
  const lower = host.toLowerCase();
  if (lower === 'localhost' || lower.endsWith('.localhost')) return 'loopback';
  const family = isIP(lower);
  if (family === 4) {
    if (lower.startsWith('127.')) return 'loopback';
    return privateIpv4.some((range) => range.test(lower)) ? 'private' : 'public';
  }
  if (family === 6) {
    if (lower === '::1') return 'loopback';
    return /^(f[cd]|fe[89ab])/.test(lower) ? 'private' : 'public';
  }
  return 'name';
}

/** Every probed endpoint with its address class, in probe order. */
export function endpointAddresses(topology: Topology): EndpointAddress[] {
  return probeTargets(topology).map((t) => {
    const host = probeHost(t.probe);
    return { id: t.id, region: t.region, host, addressClass: addressClass(host) };
  });
}
