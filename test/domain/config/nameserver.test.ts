import { describe, expect, it } from 'vitest';
import { parseTopology } from '../../../lambdas/domain/config/load';
import { ConfigError } from '../../../lambdas/domain/errors';
import { nameserverProblem, parseNameserver, resolverServer } from '../../../lambdas/domain/config/nameserver';
import { exampleTopology } from './example-topology';

describe('parseNameserver', () => {
  it.each([
    ['10.0.0.2', { ip: '10.0.0.2', port: 53 }],
    ['127.0.0.1:5353', { ip: '127.0.0.1', port: 5353 }],
    ['2001:db8::53', { ip: '2001:db8::53', port: 53 }],
    ['[2001:db8::53]', { ip: '2001:db8::53', port: 53 }],
    ['[::1]:5353', { ip: '::1', port: 5353 }],
  ])('reads %s', (text, address) => {
    expect(parseNameserver(text)).toEqual(address);
  });

  it.each([
    ['1.2.3', '"1.2.3" is not an IP address'],
    ['::::', '"::::" is not an IP address'],
    [':99999', '"" is not an IP address'],
    ['127.0.0.1:0', 'port "0" is not a number from 1 to 65535'],
    ['127.0.0.1:65536', 'port "65536" is not a number from 1 to 65535'],
    ['[::1]:', 'port "" is not a number from 1 to 65535'],
    ['[10.0.0.1]:53', '"10.0.0.1" is not an IP address'],
    ['ns1.example.com', '"ns1.example.com" is not an IP address'],
  ])('refuses %s, saying why', (text, why) => {
    expect(parseNameserver(text)).toBe(why);
    expect(nameserverProblem(text)).toBe(
      `${JSON.stringify(text)} is not a nameserver ("ip", "ip:port" or "[ipv6]:port"): ${why}`,
    );
  });

  it('writes the address as the resolver takes it', () => {
    expect(resolverServer({ ip: '::1', port: 53 })).toBe('[::1]:53');
    expect(resolverServer({ ip: '10.0.0.2', port: 5353 })).toBe('10.0.0.2:5353');
  });
});

describe("a record's nameservers in the config", () => {
  it('refuses each nameserver that is not one, naming its path and why', () => {
    // Prepare
    const topology = exampleTopology();
    topology.dns[0].nameservers = ['127.0.0.1:0', '1.2.3', '10.0.0.2', '::::', ':99999'];
    // Act
    const issues = (() => {
      try {
        parseTopology(topology, 'topology.json');
      } catch (error) {
        if (error instanceof ConfigError) return error.issues;
        throw error;
      }
      throw new Error('the config was accepted');
    })();
    // Assess
    expect(issues.filter((issue) => issue.path.startsWith('dns[0].nameservers'))).toEqual([
      { path: 'dns[0].nameservers[0]', message: nameserverProblem('127.0.0.1:0') },
      { path: 'dns[0].nameservers[1]', message: nameserverProblem('1.2.3') },
      { path: 'dns[0].nameservers[3]', message: nameserverProblem('::::') },
      { path: 'dns[0].nameservers[4]', message: nameserverProblem(':99999') },
    ]);
  });
});
