// The guard's one dashboard (`guard.dashboard`): off by default, and when on, one for the whole guard
// in the first guard region's stack, each region's widgets reading that region.
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseTopology } from '../../lambdas/domain/config/load';
import { exampleInput, exampleTopology, guardStacks } from './guard-fixtures';

describe('the guard dashboard', () => {
  it('is not built unless the topology asks for it (guard.dashboard), in any region', () => {
    // Act
    const templates = guardStacks(exampleTopology()).map((stack) => Template.fromStack(stack));
    // Assess
    for (const template of templates) expect(template.findResources('AWS::CloudWatch::Dashboard')).toEqual({});
  });

  describe('with guard.dashboard on', () => {
    let home: Template;
    let other: Template;

    beforeAll(() => {
      const input = exampleInput();
      const topology = parseTopology({ ...input, guard: { ...input.guard, dashboard: true } }, 'test');
      const [first, second] = guardStacks(topology);
      home = Template.fromStack(first!);
      other = Template.fromStack(second!);
    });

    it('builds one dashboard for the whole guard, in the first stack only, with each region\u2019s widgets reading that region', () => {
      expect(other.findResources('AWS::CloudWatch::Dashboard')).toEqual({});
      const dashboards = Object.values(home.findResources('AWS::CloudWatch::Dashboard')) as {
        Properties: { DashboardBody: unknown; DashboardName: string };
      }[];
      expect(dashboards).toHaveLength(1);
      // Named for the guard and its home region: dashboards are global, so two guards' never collide.
      expect(dashboards[0]!.Properties.DashboardName).toBe('failover-guard-shop-eu-west-1');
      // The body is a Fn::Join of text and alarm references; its text parts, unescaped, read as the widgets.
      const parts = (dashboards[0]!.Properties.DashboardBody as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
      const text = parts
        .map((p) => (typeof p === 'string' ? p : JSON.stringify(p)))
        .join('')
        .replace(/\\"/g, '"');
      for (const region of ['eu-west-1', 'eu-central-1']) {
        expect(text).toContain(
          `"title":"${region}: targets not HEALTHY in the latest cycle (every other target is healthy)","region":"${region}","query":"SOURCE '/failover-guard/shop/checker'`,
        );
        expect(text).toContain(`"title":"${region}: failed probes per minute","region":"${region}"`);
        expect(text).toContain(`"SOURCE '/failover-guard/shop/checker' | fields @timestamp, unhealthyTargets`);
        expect(text).toContain(
          `"SOURCE '/failover-guard/shop/checker' | filter message = "checker.cycle"\\n| stats sum(probeFailures)`,
        );
        expect(text).toContain(`"SOURCE '/failover-guard/shop/actor' | fields @timestamp, planId`);
        // Cycles per minute from the cycle summaries: no custom metric is published every cycle to count them.
        expect(text).toContain(
          `"title":"${region}: checker cycles per minute","region":"${region}","query":"SOURCE '/failover-guard/shop/checker' | filter message = "checker.cycle"\\n| stats count(*) as cycles by bin(1m)`,
        );
      }
      expect(text).not.toContain('SampleCount');
      expect(text).toContain('"RegionHealthy","JudgedRegion","eu-central-1"');
      expect(text).toContain('"RegionHealthy","JudgedRegion","eu-west-1"');
      expect(text).not.toContain('ProbeFailures');
    });

    it('shows every region’s alarms on the dashboard: each region’s widget lists exactly the alarms its stack creates, by name', () => {
      const [dashboard] = Object.values(home.findResources('AWS::CloudWatch::Dashboard')) as {
        Properties: { DashboardBody: { 'Fn::Join': [string, unknown[]] } };
      }[];
      const text = dashboard!.Properties.DashboardBody['Fn::Join'][1]
        .map((p) => (typeof p === 'string' ? p : JSON.stringify(p)))
        .join('')
        .replace(/\\"/g, '"');
      const widgets = [...text.matchAll(/"title":"([a-z0-9-]+): alarms","alarms":\[([^\]]*)\]/g)];
      expect(widgets.map((w) => w[1])).toEqual(['eu-west-1', 'eu-central-1']);
      for (const [template, region] of [
        [home, 'eu-west-1'],
        [other, 'eu-central-1'],
      ] as const) {
        const names = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
          (a) => (a as { Properties: { AlarmName: string } }).Properties.AlarmName,
        );
        expect(names.every((n) => n.startsWith(`failover-guard-shop-${region}-`))).toBe(true);
        const listed = [...widgets.find((w) => w[1] === region)![2]!.matchAll(/:alarm:([^"]+)"/g)].map((m) => m[1]);
        expect(listed.sort()).toEqual(names.sort());
        expect(widgets.find((w) => w[1] === region)![2]).toContain(`:cloudwatch:${region}:123456789012:alarm:`);
      }
    });
  });
});
