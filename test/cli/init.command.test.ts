import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCliCaptured } from './capture-io';
import { useTempDir } from './cli-files';

const files = useTempDir();
const base = [
  'init',
  '--account',
  '123456789012',
  '--regions',
  'eu-west-1,eu-central-1',
  '--record',
  'www.shop.example.com',
  '--zone',
  'Z0123456789ABCDEFGHIJ',
];

describe('failover-guard init', () => {
  it('writes a topology that validate accepts, servers in the regions named, what to do next in $comment', async () => {
    // Prepare
    const out = `${files.dir}/topology.json`;
    // Act
    const run = await runCliCaptured(
      ...base,
      '--ip',
      '203.0.113.10',
      '--ip',
      '198.51.100.10@eu-central-1',
      '--out',
      out,
    );
    const validated = await runCliCaptured('validate', out);
    // Assess
    expect(run).toMatchObject({ exitCode: 0, stderr: '' });
    expect(run.stdout).toBe(
      `wrote ${out}: 2 servers, 0 load balancers, 1 DNS record (2 targets), 0 databases (0 replicas), 2 regions: eu-west-1 (primary), eu-central-1 (standby)\nnext: npx --no-install failover-guard validate ${out}\n`,
    );
    expect(validated).toMatchObject({ exitCode: 0, stdout: expect.stringMatching(/^ok: 2 servers/) });
    const written = JSON.parse(readFileSync(out, 'utf8'));
    expect(written.servers).toEqual([
      {
        id: 'web-1',
        region: 'eu-west-1',
        ip: '203.0.113.10',
        probe: { type: 'http', url: 'http://203.0.113.10/healthz' },
      },
      {
        id: 'web-2',
        region: 'eu-central-1',
        ip: '198.51.100.10',
        probe: { type: 'http', url: 'http://198.51.100.10/healthz' },
      },
    ]);
    expect(written.guard).toEqual({ dryRun: true });
    expect(written.$comment.join('\n')).toContain('start with guard.dryRun true');
  });

  it('adds an RDS database from its endpoints, identifier and region read from each', async () => {
    // Act
    const run = await runCliCaptured(
      ...base,
      '--ip',
      '203.0.113.10,203.0.113.11',
      '--database',
      'orders',
      '--db-member',
      'orders-1.c9akciq32.eu-west-1.rds.amazonaws.com',
      '--db-member',
      'orders-2.c9akciq32.eu-central-1.rds.amazonaws.com',
    );
    // Assess
    expect(run.exitCode).toBe(0);
    const database = JSON.parse(run.stdout).databases[0];
    expect(database).toEqual({
      id: 'orders',
      engine: 'rds-instance',
      primary: {
        id: 'orders-1',
        region: 'eu-west-1',
        identifier: 'orders-1',
        endpoint: { host: 'orders-1.c9akciq32.eu-west-1.rds.amazonaws.com', port: 5432 },
      },
      replicas: [
        {
          id: 'orders-2',
          region: 'eu-central-1',
          identifier: 'orders-2',
          endpoint: { host: 'orders-2.c9akciq32.eu-central-1.rds.amazonaws.com', port: 5432 },
        },
      ],
      writerDns: { hostedZoneId: 'Z0123456789ABCDEFGHIJ', name: 'db-writer.shop.example.com' },
    });
  });

  it.each([
    [['--ip', '203.0.113.300'], 'error: "203.0.113.300" is not an IP address (write ip, or ip@region)\n'],
    [
      [],
      'error: name the servers behind the record: --ip 203.0.113.10 --ip 203.0.113.11 (ip@region for another region)\n',
    ],
    [
      ['--ip', '203.0.113.10', '--database', 'orders', '--db-member', 'orders.example.com'],
      'error: "orders.example.com" is not an RDS endpoint (<identifier>.<id>.<region>.rds.amazonaws.com): copy it from the RDS console\n',
    ],
    [['--ip', '203.0.113.10', '--port', '0'], 'error: --port must be a port from 1 to 65535, got "0"\n'],
  ])('refuses %j with exit code 2 and says why', async (extra, stderr) => {
    expect(await runCliCaptured(...base, ...extra)).toEqual({ stdout: '', stderr, exitCode: 2 });
  });

  it('refuses a value the topology would reject, with its path, before writing anything', async () => {
    const run = await runCliCaptured(
      'init',
      '--account',
      '42',
      '--regions',
      'eu-west-1',
      '--record',
      'www.x.example',
      '--zone',
      'Z1',
      '--ip',
      '203.0.113.10',
    );
    expect(run).toEqual({
      stdout: '',
      stderr:
        'error: the topology init would write is not a valid topology (1 problem):\n  account: is not a 12-digit AWS account id\n',
      exitCode: 2,
    });
  });

  it('keeps an existing --out unless --force', async () => {
    const out = files.write('existing.json', { keep: true });
    const refused = await runCliCaptured(...base, '--ip', '203.0.113.10', '--out', out);
    expect(refused).toEqual({
      stdout: '',
      stderr: `error: --out "${out}" exists; add --force to overwrite it\n`,
      exitCode: 2,
    });
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual({ keep: true });
    expect((await runCliCaptured(...base, '--ip', '203.0.113.10', '--out', out, '--force')).exitCode).toBe(0);
  });
});
