// One guard region: a stack holding the FailoverGuard construct, its env taken from the config.
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { Topology } from '../lambdas/domain/config/schema';
import { FailoverGuard, type FailoverGuardProps } from './failover-guard';

export interface FailoverGuardStackProps extends Omit<StackProps, 'env'> {
  readonly topology: Topology;
  /** The guard region this stack deploys to. */
  readonly region: string;
  /** Construct options beyond the topology. @default - the construct's defaults */
  readonly guard?: Omit<FailoverGuardProps, 'topology'>;
}

export function guardStackName(topology: Topology, region: string): string {
  return `FailoverGuard-${topology.name}-${region}`;
}

export class FailoverGuardStack extends Stack {
  readonly guard: FailoverGuard;

  constructor(scope: Construct, id: string, props: FailoverGuardStackProps) {
    super(scope, id, {
      ...props,
      env: { account: props.topology.account, region: props.region },
      description: props.description ?? `Failover Guard for ${props.topology.name} in ${props.region}`,
    });
    this.guard = new FailoverGuard(this, 'Guard', { ...props.guard, topology: props.topology });
    new CfnOutput(this, 'TopicArn', {
      value: this.guard.topic.topicArn,
      description: 'Every action, failure and alarm is published here',
    });
    new CfnOutput(this, 'StateTableName', { value: this.guard.stateTable.tableName });
    for (const [region, alarm] of Object.entries(this.guard.regionHealthAlarms)) {
      new CfnOutput(this, `RegionHealthAlarm-${region}`, {
        value: alarm.alarmName,
        description: `The RegionDark alarm of ${region}, judged from ${props.region}`,
      });
    }
    for (const [region, healthCheckId] of Object.entries(this.guard.regionHealthCheckIds)) {
      new CfnOutput(this, `RegionHealthCheck-${region}`, {
        value: healthCheckId,
        description: `Route 53 health check to put on ${region}'s PRIMARY or weighted record sets: unhealthy while ${region} is dark as seen from ${props.region}`,
      });
    }
  }
}
