// `failover-guard discover` end to end against a mocked two-region account: the draft written and
// then validated, exit codes 0 / 1 / 2 / 3, a re-run merging into its own output, --print-policy.
import { readFileSync } from 'node:fs';
import { DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { inventoryPolicy } from '../../lambdas/adapters/aws/inventory-policy';
import { mockTwoRegionAccount } from '../adapters/aws/two-region-account.fixture';
import { runCliCaptured } from './capture-io';
import { useTempDir } from './cli-files';

const files = useTempDir();
let account: ReturnType<typeof mockTwoRegionAccount> | undefined;
afterEach(() => {
  account?.restore();
  account = undefined;
});

describe('failover-guard discover', () => {
  it('writes a draft that validate accepts, with the report on stderr (exit 0)', async () => {
    account = mockTwoRegionAccount();
    const out = `${files.dir}/draft.json`;
    const run = await runCliCaptured('discover', '--region', 'eu-west-1,eu-central-1', '--out', out);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('read: 2 hosted zones (7 record sets); eu-west-1: 2 load balancers');
    expect(run.stderr).toContain(
      `wrote ${out}: 4 servers, 3 load balancers, 3 DNS records (4 targets), 1 database (2 replicas), 2 regions: eu-west-1 (primary), eu-central-1 (standby)\n`,
    );
    const validate = await runCliCaptured('validate', out);
    expect(validate).toMatchObject({ exitCode: 0, stdout: expect.stringMatching(/^ok: 4 servers/) });
  });

  it('prints the draft on stdout without --out, regions repeated instead of listed', async () => {
    account = mockTwoRegionAccount();
    const run = await runCliCaptured(
      'discover',
      '--region',
      'eu-west-1',
      '--region',
      'eu-central-1',
      '--name',
      'www.shop.example.com',
    );
    expect(run.exitCode).toBe(0);
    const draft = JSON.parse(run.stdout);
    expect(draft.dns.map((d: { name: string }) => d.name)).toEqual(['www.shop.example.com']);
  });

  it('merges a re-run into its own output and changes nothing when the account did not change', async () => {
    account = mockTwoRegionAccount();
    const out = `${files.dir}/merged.json`;
    await runCliCaptured('discover', '--region', 'eu-west-1,eu-central-1', '--out', out);
    const first = readFileSync(out, 'utf8');
    const again = await runCliCaptured('discover', out, '--out', out);
    expect(again.exitCode).toBe(0);
    expect(again.stderr).not.toContain('added to the existing topology');
    expect(readFileSync(out, 'utf8')).toBe(first);
  });

  it('exits 1 when a service could not be read, having written the rest', async () => {
    account = mockTwoRegionAccount({ rdsDeniedInFrankfurt: true });
    const out = `${files.dir}/partial.json`;
    const run = await runCliCaptured('discover', '--region', 'eu-west-1,eu-central-1', '--out', out);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(
      /could not read \(the rest is drafted; discover --print-policy prints the permissions it needs\):\n {2}- RDS in eu-central-1 could not be read: RDS DescribeDBInstances on eu-central-1 failed: AccessDenied/,
    );
    expect((await runCliCaptured('validate', out)).exitCode).toBe(0);
  });

  it('exits 3 with a clear error when the SDK gives up on throttling', async () => {
    account = mockTwoRegionAccount();
    const elb = mockClient(ElasticLoadBalancingV2Client);
    const throttled = Object.assign(new Error('Rate exceeded'), {
      name: 'Throttling',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
    });
    elb.on(DescribeLoadBalancersCommand).rejects(throttled);
    try {
      const run = await runCliCaptured('discover', '--region', 'eu-west-1');
      expect(run.exitCode).toBe(3);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain(
        'error: Elastic Load Balancing DescribeLoadBalancers on eu-west-1 failed: Throttling: Rate exceeded; the SDK gave up after its retries: run discover again later, or with AWS_MAX_ATTEMPTS=10',
      );
    } finally {
      elb.restore();
    }
  });

  it.each([
    [[], 'error: name the regions to read with --region (e.g. --region eu-west-1)\n'],
    [
      ['--region', 'eu-wset-1'],
      'error: --region "eu-wset-1" is not an AWS region this SDK knows (did you mean "eu-west-1"?)\n',
    ],
    [['--account', '1234'], 'error: --account "1234" is not a 12-digit AWS account id\n'],
    [['missing.json'], 'error: cannot read the config "missing.json" (ENOENT): no such file; check the path\n'],
    [
      ['--region', 'eu-west-1', '--out', '/no/such/folder/t.json'],
      'error: --out "/no/such/folder/t.json" cannot be written: the folder does not exist (/no/such/folder)\n',
    ],
  ])('exits 2 on bad input, before reading anything: %j', async (args, message) => {
    account = mockTwoRegionAccount();
    const run = await runCliCaptured('discover', ...args);
    expect(run).toEqual({ stdout: '', stderr: message, exitCode: 2 });
    expect(account.log).toEqual([]);
  });
});

describe('failover-guard discover --print-policy', () => {
  it('prints the read-only policy and reads nothing', async () => {
    account = mockTwoRegionAccount();
    const run = await runCliCaptured('discover', '--print-policy');
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(inventoryPolicy());
    expect(account.log).toEqual([]);
  });

  it('scopes record reads to the zones named by id, and RDS to the account', async () => {
    const run = await runCliCaptured('discover', '--print-policy', '--zone', 'Z1SHOP', '--account', '123456789012');
    const policy = JSON.parse(run.stdout);
    expect(policy.Statement[1]).toEqual({
      Sid: 'ReadRecordSets',
      Effect: 'Allow',
      Action: ['route53:ListResourceRecordSets'],
      Resource: ['arn:aws:route53:::hostedzone/Z1SHOP'],
    });
    expect(policy.Statement[3].Resource).toEqual([
      'arn:aws:rds:*:123456789012:db:*',
      'arn:aws:rds:*:123456789012:cluster:*',
      'arn:aws:rds::123456789012:global-cluster:*',
    ]);
    // Every action is a read.
    const actions: string[] = policy.Statement.flatMap((s: { Action: string[] }) => s.Action);
    expect(actions.every((a) => /:(List|Describe)/.test(a))).toBe(true);
  });
});
