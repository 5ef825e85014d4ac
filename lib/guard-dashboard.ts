// A dashboard per guard region: per-target health from the checker's structured logs (Logs
// Insights), per-region aggregates from the custom metrics, and every action the actor took.
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { GuardMetric, LogMessage } from '../lambdas/handlers/telemetry-names';
import { guardMetric, heartbeatMetric, regionHealthyMetric } from './guard-metrics';

export interface GuardDashboardProps {
  readonly topologyName: string;
  readonly checkerRegion: string;
  readonly judgedRegions: readonly string[];
  readonly checkerLogGroup: logs.ILogGroup;
  readonly actorLogGroup: logs.ILogGroup;
  readonly alarms: readonly cloudwatch.IAlarm[];
}

/** Logs Insights queries of the dashboard (exported so tests can check them against the handlers' log fields). */
export const DashboardQuery = {
  notHealthyNow: [
    'fields @timestamp, unhealthyTargets, notHealthy, probes, probeFailures',
    `filter message = "${LogMessage.cycle}"`,
    'sort @timestamp desc',
    'limit 1',
  ],
  transitions: [
    'fields @timestamp, targetId, from, to, error',
    `filter message = "${LogMessage.transition}"`,
    'stats latest(to) as status, latest(@timestamp) as since, latest(error) as lastError by targetId',
    'sort since desc',
  ],
  actions: [
    'fields @timestamp, planId, kind, resource, outcome, detail',
    `filter message = "${LogMessage.action}"`,
    'sort @timestamp desc',
    'limit 50',
  ],
} as const;

export class GuardDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: GuardDashboardProps) {
    super(scope, id);
    const metric = (name: (typeof GuardMetric)[keyof typeof GuardMetric], stat: string) => guardMetric(props.topologyName, name, stat);
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `failover-guard-${props.topologyName}-${props.checkerRegion}`,
      defaultInterval: Duration.hours(3),
    });
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: 24, height: 4 }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.LogQueryWidget({
        title: 'Targets not HEALTHY in the latest cycle (every other target is healthy)',
        logGroupNames: [props.checkerLogGroup.logGroupName],
        queryLines: [...DashboardQuery.notHealthyNow],
        width: 12,
        height: 6,
      }),
      new cloudwatch.LogQueryWidget({
        title: 'Latest status of every target that changed',
        logGroupNames: [props.checkerLogGroup.logGroupName],
        queryLines: [...DashboardQuery.transitions],
        width: 12,
        height: 6,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Unhealthy targets / failed probes',
        left: [metric(GuardMetric.unhealthyTargets, cloudwatch.Stats.MAXIMUM), metric(GuardMetric.probeFailures, cloudwatch.Stats.SUM)],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Region health (1 = up, 0 = dark)',
        left: props.judgedRegions.map((region) => regionHealthyMetric(props.topologyName, region).with({ label: region })),
        leftYAxis: { min: 0, max: 1 },
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Checker cycles per minute (heartbeat)',
        left: [heartbeatMetric(props.topologyName).with({ label: 'cycles' })],
        width: 8,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Actions planned / applied / failed',
        left: [
          metric(GuardMetric.actionsPlanned, cloudwatch.Stats.SUM),
          metric(GuardMetric.actionsApplied, cloudwatch.Stats.SUM),
          metric(GuardMetric.actionsFailed, cloudwatch.Stats.SUM),
        ],
        width: 8,
      }),
      new cloudwatch.LogQueryWidget({
        title: 'Actions taken',
        logGroupNames: [props.actorLogGroup.logGroupName],
        queryLines: [...DashboardQuery.actions],
        width: 16,
        height: 6,
      }),
    );
  }
}
