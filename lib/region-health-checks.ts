// Route 53 health checks (type CLOUDWATCH_METRIC) that follow this region's RegionDark alarms: put
// one on a region's PRIMARY (or weighted) record set and Route 53's data plane moves traffic away
// from a dark region with no API call, even when the dark region is us-east-1.
import { Tags } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { HealthCheckTag } from '../lambdas/contracts/health-check-tags';

export interface RegionHealthChecksProps {
  readonly topologyName: string;
  /** Where the alarms live: the region judging, never the one judged. */
  readonly checkerRegion: string;
  /** The RegionDark alarm per judged region. */
  readonly regionDarkAlarms: Readonly<Record<string, cloudwatch.IAlarm>>;
}

export class RegionHealthChecks extends Construct {
  /** Per judged region: healthy while its RegionDark alarm is OK, unhealthy while it is in ALARM. */
  readonly healthChecks: Readonly<Record<string, route53.HealthCheck>>;

  constructor(scope: Construct, id: string, props: RegionHealthChecksProps) {
    super(scope, id);
    const healthChecks: Record<string, route53.HealthCheck> = {};
    for (const [region, alarm] of Object.entries(props.regionDarkAlarms)) {
      const healthCheck = new route53.HealthCheck(this, `RegionUp-${region}`, {
        type: route53.HealthCheckType.CLOUDWATCH_METRIC,
        alarmIdentifier: { region: props.checkerRegion, name: alarm.alarmName },
        // No data (a new alarm, or CloudWatch in the judging region unreachable) keeps the last
        // judgement: a fresh deployment or a dead judge never fails a healthy region over.
        insufficientDataHealthStatus: route53.InsufficientDataHealthStatusEnum.LAST_KNOWN_STATUS,
      });
      Tags.of(healthCheck).add(
        'Name',
        `failover-guard-${props.topologyName} ${region} up (judged from ${props.checkerRegion})`,
      );
      // How `failover-guard attach` finds the guard's checks without the stacks' outputs.
      Tags.of(healthCheck).add(HealthCheckTag.topology, props.topologyName);
      Tags.of(healthCheck).add(HealthCheckTag.judgedRegion, region);
      Tags.of(healthCheck).add(HealthCheckTag.checkerRegion, props.checkerRegion);
      healthChecks[region] = healthCheck;
    }
    this.healthChecks = healthChecks;
  }
}
