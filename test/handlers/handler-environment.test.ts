import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  bundledTopology,
  parseTopologyFile,
  TOPOLOGY_FILE,
  topologyFileText,
} from '../../lambdas/contracts/bundled-topology';
import { checkerScheduleMode, guardEnvironment } from '../../lambdas/handlers/handler-environment';
import { exampleTopology } from '../fixtures/guard-topologies';

function taskRootWith(text?: string): string {
  const root = mkdtempSync(join(tmpdir(), 'failover-guard-task-'));
  if (text !== undefined) writeFileSync(join(root, TOPOLOGY_FILE), text);
  return root;
}

describe('what a function reads at cold start', () => {
  it('reads the topology file cdk synth put into the asset, where Lambda unpacked it', () => {
    const root = taskRootWith(topologyFileText(exampleTopology()));
    expect(bundledTopology({ LAMBDA_TASK_ROOT: root })).toEqual(exampleTopology());
  });

  it('names the missing file and the fix when the asset has no topology', () => {
    const root = taskRootWith();
    expect(() => bundledTopology({ LAMBDA_TASK_ROOT: root })).toThrow(
      `No topology file at ${join(root, 'topology.json')} (ENOENT). Deploy the function with the FailoverGuard construct (cdk deploy)`,
    );
    expect(() => bundledTopology({})).toThrow(
      /LAMBDA_TASK_ROOT is not set, so the function cannot find its topology\.json/,
    );
  });

  it('refuses a file changed after validation: its digest no longer matches', () => {
    const text = topologyFileText(exampleTopology()).replace('www.shop.example.com', 'www.evil.example.com');
    expect(() => parseTopologyFile(text, '/var/task/topology.json')).toThrow(
      /topology file \/var\/task\/topology\.json does not match the SHA-256 cdk synth wrote: it was changed or truncated/,
    );
  });

  it.each([
    ['{"kind":"failover-guard-topology"', /is not JSON/],
    [JSON.stringify(exampleTopology()), /is not a version 1 failover-guard-topology file/],
  ])('refuses a file that is not a topology file: %#', (text, message) => {
    expect(() => parseTopologyFile(text, 'topology.json')).toThrow(message);
  });

  it('reads the region, table and topic, and names a missing variable', () => {
    const env = {
      AWS_REGION: 'eu-west-1',
      FAILOVER_GUARD_TABLE: 'failover-guard-shop',
      FAILOVER_GUARD_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:t',
    };
    expect(guardEnvironment(env)).toEqual({
      region: 'eu-west-1',
      tableName: 'failover-guard-shop',
      topicArn: 'arn:aws:sns:eu-west-1:123456789012:t',
    });
    expect(() => guardEnvironment({ AWS_REGION: 'eu-west-1' })).toThrow(
      /Environment variable FAILOVER_GUARD_TABLE is not set/,
    );
  });

  it('reads the deciding state replicas in order, home first', () => {
    const env = {
      AWS_REGION: 'eu-central-1',
      FAILOVER_GUARD_TABLE: 't',
      FAILOVER_GUARD_TOPIC_ARN: 'arn:aws:sns:eu-central-1:1:t',
      FAILOVER_GUARD_STATE_REGIONS: 'eu-west-1, eu-central-1',
    };
    expect(guardEnvironment(env).stateRegions).toEqual(['eu-west-1', 'eu-central-1']);
  });

  it.each([
    [{}, 'loop'],
    [{ FAILOVER_GUARD_SCHEDULE: 'loop' }, 'loop'],
    [{ FAILOVER_GUARD_SCHEDULE: 'tick' }, 'tick'],
  ])('reads the checker schedule from %j as %s (a function deployed before schedules existed loops)', (env, mode) => {
    expect(checkerScheduleMode(env)).toBe(mode);
  });

  it('names the variable, the value and the fix when the schedule is unknown', () => {
    expect(() => checkerScheduleMode({ FAILOVER_GUARD_SCHEDULE: 'cron' })).toThrow(
      /FAILOVER_GUARD_SCHEDULE is "cron", expected "loop" or "tick": set guard\.schedule/,
    );
  });
});

describe('the region health checks a function keeps on data-plane record sets', () => {
  const base = {
    AWS_REGION: 'eu-west-1',
    FAILOVER_GUARD_TABLE: 'failover-guard-shop',
    FAILOVER_GUARD_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:t',
  };

  it('reads region=id pairs, and none when the variable is unset (a function deployed before)', () => {
    expect(
      guardEnvironment({ ...base, FAILOVER_GUARD_REGION_HEALTH_CHECKS: 'eu-central-1=abc-1,us-east-1=def-2' })
        .regionHealthChecks,
    ).toEqual({ 'eu-central-1': 'abc-1', 'us-east-1': 'def-2' });
    expect(guardEnvironment(base).regionHealthChecks).toBeUndefined();
  });

  it('names the variable, the entry and the fix when an entry is not region=id', () => {
    expect(() => guardEnvironment({ ...base, FAILOVER_GUARD_REGION_HEALTH_CHECKS: 'eu-central-1' })).toThrow(
      'Environment variable FAILOVER_GUARD_REGION_HEALTH_CHECKS has "eu-central-1", expected region=healthCheckId: redeploy with cdk deploy.',
    );
  });
});
