import { afterEach, describe, expect, it } from 'vitest';
import { bundledTopology } from '../../lambdas/handlers/bundled-topology';
import { checkerScheduleMode, guardEnvironment } from '../../lambdas/handlers/handler-environment';
import { exampleTopology } from '../cdk/guard-fixtures';

const global = globalThis as { FAILOVER_GUARD_TOPOLOGY?: string };

describe('what a function reads at cold start', () => {
  afterEach(() => {
    delete global.FAILOVER_GUARD_TOPOLOGY;
  });

  it('reads the topology esbuild froze into the bundle', () => {
    global.FAILOVER_GUARD_TOPOLOGY = JSON.stringify(exampleTopology());
    expect(bundledTopology()).toEqual(exampleTopology());
  });

  it('says how to fix a function built without the topology', () => {
    expect(() => bundledTopology()).toThrow(/built without the FAILOVER_GUARD_TOPOLOGY define\. Deploy it with the FailoverGuard construct/);
  });

  it('reads the region, table and topic, and names a missing variable', () => {
    const env = { AWS_REGION: 'eu-west-1', FAILOVER_GUARD_TABLE: 'failover-guard-shop', FAILOVER_GUARD_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:t' };
    expect(guardEnvironment(env)).toEqual({ region: 'eu-west-1', tableName: 'failover-guard-shop', topicArn: 'arn:aws:sns:eu-west-1:123456789012:t' });
    expect(() => guardEnvironment({ AWS_REGION: 'eu-west-1' })).toThrow(/Environment variable FAILOVER_GUARD_TABLE is not set/);
  });

  it('reads the deciding state replicas in order, home first', () => {
    const env = { AWS_REGION: 'eu-central-1', FAILOVER_GUARD_TABLE: 't', FAILOVER_GUARD_TOPIC_ARN: 'arn:aws:sns:eu-central-1:1:t', FAILOVER_GUARD_STATE_REGIONS: 'eu-west-1, eu-central-1' };
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
    expect(() => checkerScheduleMode({ FAILOVER_GUARD_SCHEDULE: 'cron' })).toThrow(/FAILOVER_GUARD_SCHEDULE is "cron", expected "loop" or "tick": set guard\.schedule/);
  });
});
