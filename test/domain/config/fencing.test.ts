// The `fence` field of a database: its default per engine and the checks that go with it.
import { describe, expect, it } from 'vitest';
import { fenceMode } from '../../../lambdas/domain/config/fencing';
import { parseTopology } from '../../../lambdas/domain/config/load';
import { exampleInput } from '../../fixtures/guard-topologies';

const withDatabase = (extra: Record<string, unknown>) => {
  const input = exampleInput();
  return { ...input, databases: input.databases!.map((db) => ({ ...db, ...extra })) };
};

describe('the fence of a database', () => {
  it('stops an rds-instance old primary by default', () => {
    expect(fenceMode(parseTopology(exampleInput()).databases[0]!)).toBe('stop');
  });

  it.each(['stop', 'none'] as const)('accepts fence "%s" without security groups', (fence) => {
    expect(fenceMode(parseTopology(withDatabase({ fence })).databases[0]!)).toBe(fence);
  });

  it('needs an isolation security group for every member region when fence is "isolate"', () => {
    expect(() =>
      parseTopology(
        withDatabase({ fence: 'isolate', isolationSecurityGroups: { 'eu-west-1': 'sg-0123456789abcdef0' } }),
      ),
    ).toThrow(
      /databases\[0\]\.isolationSecurityGroups: needs a security group for eu-central-1 \(fence "isolate" swaps the old primary's groups for it\)/,
    );
  });

  it('refuses isolation security groups that no fence uses, and ids that are not security groups', () => {
    expect(() =>
      parseTopology(withDatabase({ isolationSecurityGroups: { 'eu-west-1': 'sg-0123456789abcdef0' } })),
    ).toThrow(/isolationSecurityGroups: is used only with fence "isolate" \(this database's fence is "stop"\)/);
    expect(() =>
      parseTopology(withDatabase({ fence: 'isolate', isolationSecurityGroups: { 'eu-west-1': 'group-1' } })),
    ).toThrow(/is not a security group id/);
  });

  it('refuses "stop" and "isolate" on Aurora, which demotes the old writer itself', () => {
    const input = exampleInput();
    const aurora = {
      ...input.databases![0]!,
      engine: 'aurora-cluster' as const,
      clusterIdentifier: 'orders-cluster',
      fence: 'stop' as const,
    };
    expect(() => parseTopology({ ...input, databases: [aurora] })).toThrow(
      /databases\[0\]\.fence: "stop" applies to rds-instance databases only; aurora-cluster needs "none"/,
    );
  });
});
