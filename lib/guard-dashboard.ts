// The guard's one dashboard, created in the first guard region's stack only: a CloudWatch dashboard
// is global and each widget names the region it reads, so one dashboard shows every guard region
// (a dashboard per stack would cost $3 a month more each). Per region: the state of every alarm of
// that region (by name: alarms are named per guard and region), per-target health and failed probes
// from the checker's structured logs (Logs Insights), the custom metrics, every action taken.
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { GuardMetric, LogMessage } from '../lambdas/contracts/telemetry-names';
import { guardAlarmArn, regionAlarmIds } from './alarm-names';
import { guardLogGroupName } from './guard-function';
import { guardMetric, readinessFailuresMetric, regionHealthyMetric } from './guard-metrics';

/** One guard region as the dashboard shows it. */
export interface DashboardRegion {
  readonly region: string;
  /** The regions its checker judges (one RegionHealthy line each). */
  readonly judgedRegions: readonly string[];
  /** Its checker's shards (a heartbeat alarm each when more than one). */
  readonly shards: number;
}

export interface GuardDashboardProps {
  readonly topologyName: string;
  /** Every guard region, in guard order. */
  readonly regions: readonly DashboardRegion[];
  /** The topology's guard.readinessCheckSeconds (the period of the readiness graph). */
  readonly readinessCheckSeconds: number;
}

/** An alarm status widget lists at most this many alarms. */
const ALARMS_PER_WIDGET = 100;

/** Logs Insights queries of the dashboard (exported so tests can check them against the handlers' log fields). */
const DashboardQuery = {
  notHealthyNow: [
    'fields @timestamp, unhealthyTargets, notHealthy, probes, probeFailures',
    `filter message = "${LogMessage.cycle}"`,
    'sort @timestamp desc',
    'limit 1',
  ],
  /** Completed cycles per minute from the cycle summaries (the heartbeat alarm reads the free Invocations instead). */
  cycles: [`filter message = "${LogMessage.cycle}"`, 'stats count(*) as cycles by bin(1m)'],
  /** Failed probes per minute from the cycle summaries: what a ProbeFailures custom metric would show, for no metric fee. */
  probeFailures: [`filter message = "${LogMessage.cycle}"`, 'stats sum(probeFailures) as failedProbes by bin(1m)'],
  transitions: [
    'fields @timestamp, targetId, from, to, error',
    `filter message = "${LogMessage.transition}"`,
    'stats latest(to) as status, latest(@timestamp) as since, latest(error) as lastError by targetId',
    'sort since desc',
  ],
  /** The readiness reports the actor applied: when readiness was lost or came back, and why. */
  readiness: [
    'fields @timestamp, kind, detail',
    `filter message = "${LogMessage.action}" and kind like /^readiness\\./ and outcome = "applied"`,
    'sort @timestamp desc',
    'limit 20',
  ],
  actions: [
    'fields @timestamp, planId, kind, resource, outcome, detail',
    `filter message = "${LogMessage.action}"`,
    'sort @timestamp desc',
    'limit 50',
  ],
} as const;

/** Dashboards are global per account: the guard's name and its home region keep two guards' apart. */
function guardDashboardName(topologyName: string, homeRegion: string): string {
  return `failover-guard-${topologyName}-${homeRegion}`;
}

export class GuardDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: GuardDashboardProps) {
    super(scope, id);
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: guardDashboardName(props.topologyName, Stack.of(this).region),
      defaultInterval: Duration.hours(3),
    });
    for (const r of props.regions) this.addRegion(props.topologyName, r, props.readinessCheckSeconds);
  }

  /** Every alarm of one guard region, named: this stack cannot reference another region's alarms. */
  private alarmWidgets(topologyName: string, { region, judgedRegions, shards }: DashboardRegion): cloudwatch.IWidget[] {
    const alarms = regionAlarmIds(judgedRegions, shards).map((alarmId) =>
      cloudwatch.Alarm.fromAlarmArn(
        this,
        `${region}-${alarmId}`,
        guardAlarmArn(Stack.of(this), topologyName, region, alarmId),
      ),
    );
    const widgets: cloudwatch.IWidget[] = [];
    for (let first = 0; first < alarms.length; first += ALARMS_PER_WIDGET) {
      widgets.push(
        new cloudwatch.AlarmStatusWidget({
          title: `${region}: alarms`,
          alarms: alarms.slice(first, first + ALARMS_PER_WIDGET),
          width: 24,
          height: 3,
        }),
      );
    }
    return widgets;
  }

  private addRegion(topologyName: string, dashboardRegion: DashboardRegion, readinessCheckSeconds: number): void {
    const { region, judgedRegions } = dashboardRegion;
    const metric = (name: (typeof GuardMetric)[keyof typeof GuardMetric], stat: string) =>
      guardMetric(topologyName, name, stat);
    const logs = (
      title: string,
      handler: 'checker' | 'actor',
      queryLines: readonly string[],
      width: number,
      view?: cloudwatch.LogQueryVisualizationType,
    ) =>
      new cloudwatch.LogQueryWidget({
        title: `${region}: ${title}`,
        region,
        logGroupNames: [guardLogGroupName(topologyName, handler)],
        queryLines: [...queryLines],
        width,
        height: 6,
        ...(view && { view }),
      });
    this.dashboard.addWidgets(new cloudwatch.TextWidget({ markdown: `## Checker in ${region}`, width: 24, height: 1 }));
    for (const widget of this.alarmWidgets(topologyName, dashboardRegion)) this.dashboard.addWidgets(widget);
    this.dashboard.addWidgets(
      logs(
        'targets not HEALTHY in the latest cycle (every other target is healthy)',
        'checker',
        DashboardQuery.notHealthyNow,
        12,
      ),
      logs('latest status of every target that changed', 'checker', DashboardQuery.transitions, 12),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: `${region}: unhealthy targets (no point: none)`,
        region,
        left: [metric(GuardMetric.unhealthyTargets, cloudwatch.Stats.MAXIMUM)],
        width: 6,
      }),
      logs(
        'failed probes per minute',
        'checker',
        DashboardQuery.probeFailures,
        6,
        cloudwatch.LogQueryVisualizationType.LINE,
      ),
      new cloudwatch.GraphWidget({
        title: `${region}: region health (1 = up, 0 = dark; no point: every endpoint healthy and steady)`,
        region,
        left: judgedRegions.map((judged) => regionHealthyMetric(topologyName, judged).with({ label: judged })),
        leftYAxis: { min: 0, max: 1 },
        width: 6,
      }),
      logs('checker cycles per minute', 'checker', DashboardQuery.cycles, 6, cloudwatch.LogQueryVisualizationType.LINE),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: `${region}: actions planned / applied / failed`,
        region,
        left: [
          metric(GuardMetric.actionsPlanned, cloudwatch.Stats.SUM),
          metric(GuardMetric.actionsApplied, cloudwatch.Stats.SUM),
          metric(GuardMetric.actionsFailed, cloudwatch.Stats.SUM),
        ],
        width: 8,
      }),
      logs('actions taken', 'actor', DashboardQuery.actions, 16),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: `${region}: readiness checks failing (0 = ready for failover)`,
        region,
        left: [readinessFailuresMetric(topologyName, readinessCheckSeconds).with({ label: 'failing checks' })],
        leftYAxis: { min: 0 },
        width: 8,
      }),
      logs('readiness lost / ready again', 'actor', DashboardQuery.readiness, 16),
    );
  }
}
