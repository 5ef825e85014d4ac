// A DNS record's nameserver as written in the config ("ip", "ip:port", "[ipv6]:port"), checked before
// anything reaches the resolver: c-ares aborts the whole process on some addresses (port 0).
import { isIP, isIPv6 } from 'node:net';

export interface NameserverAddress {
  readonly ip: string;
  readonly port: number;
}

const bracketed = /^\[([^\]]*)\](?::([^:]*))?$/;

function portOf(text: string | undefined): number | string {
  if (text === undefined) return 53;
  return /^\d{1,5}$/.test(text) && Number(text) >= 1 && Number(text) <= 65535
    ? Number(text)
    : `port ${JSON.stringify(text)} is not a number from 1 to 65535`;
}

/** The nameserver's address and port (53 when not given), or why it is not one. */
export function parseNameserver(text: string): NameserverAddress | string {
  const inBrackets = bracketed.exec(text);
  const colon = text.indexOf(':');
  // An IPv6 address has colons of its own: with a port it must be bracketed; one colon is "ip:port".
  const [ip, port] = inBrackets
    ? [inBrackets[1] as string, inBrackets[2]]
    : colon < 0 || colon !== text.lastIndexOf(':')
      ? [text, undefined]
      : [text.slice(0, colon), text.slice(colon + 1)];
  if (inBrackets ? !isIPv6(ip) : isIP(ip) === 0) return `${JSON.stringify(ip)} is not an IP address`;
  const parsedPort = portOf(port);
  return typeof parsedPort === 'string' ? parsedPort : { ip, port: parsedPort };
}

/** The nameserver as the resolver's setServers takes it. */
export function resolverServer({ ip, port }: NameserverAddress): string {
  return isIPv6(ip) ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** The config's message for a nameserver that is not one. */
export function nameserverProblem(text: string): string | undefined {
  const parsed = parseNameserver(text);
  return typeof parsed === 'string'
    ? `${JSON.stringify(text)} is not a nameserver ("ip", "ip:port" or "[ipv6]:port"): ${parsed}`
    : undefined;
}
