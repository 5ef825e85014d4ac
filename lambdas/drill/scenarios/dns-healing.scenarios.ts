// DNS healing on loopback: a server or load balancer really stops, the guard pulls its address out
// of the record (seen by a real DNS query), and puts it back when it answers again; when every
// target is down, DNS stays as it is (fail open) and a critical alert goes out.
import {
  addressesOf,
  expectOutcome,
  healthyStart,
  injectFault,
  list,
  recordOver,
  regionOf,
  type Scenario,
} from './scenario';
import type { DrillSession } from '../drill-session';
import { primaryRegion } from '../../domain/config/targets';

function firstPrimaryTarget(session: DrillSession, kind: 'server' | 'load-balancer') {
  const record = recordOver(session.topology, kind);
  const primary = primaryRegion(session.topology);
  const target = record.targets.find((t) => regionOf(session.topology, t.endpoint) === primary) ?? record.targets[0]!;
  return { record, endpoint: target.endpoint, ips: addressesOf(session.topology, record, target.endpoint) };
}

export const serverDown: Scenario = {
  name: 'server-down',
  summary: 'stop one web server: its IP is pulled from DNS; start it again: its IP is restored',
  async run(session, recordResult) {
    const { record, endpoint, ips } = firstPrimaryTarget(session, 'server');
    const fault = `stop server ${endpoint}`;
    const notHealthy = await healthyStart(session, this.name, fault);
    if (notHealthy) return recordResult(notHealthy);
    const { failureThreshold, recoveryThreshold } = session.topology.checks;
    const cooldownCycles = Math.ceil((session.topology.guard.cooldownSeconds * 1000) / session.intervalMs);

    const stoppedAt = await injectFault(
      session,
      `stopped ${endpoint} (server, ${regionOf(session.topology, endpoint)})`,
      () => session.world.stop(endpoint),
    );
    recordResult(
      await expectOutcome(session, {
        scenario: this.name,
        fault,
        expected: `${ips.join(' ')} pulled from ${record.name}`,
        faultAtMs: stoppedAt,
        detect: { targetIds: [endpoint], to: 'UNHEALTHY' },
        withinCycles: failureThreshold + 6,
        check: async () => {
          const answers = await session.query(record.name, 'A');
          return {
            met: answers.length > 0 && ips.every((ip) => !answers.includes(ip)),
            seen: `DNS answers ${list(answers)}`,
          };
        },
      }),
    );

    const restartedAt = await injectFault(session, `restarted ${endpoint}`, () => session.world.start(endpoint));
    recordResult(
      await expectOutcome(session, {
        scenario: this.name,
        fault: `start server ${endpoint} again`,
        expected: `${ips.join(' ')} back in ${record.name}`,
        faultAtMs: restartedAt,
        detect: { targetIds: [endpoint], to: 'HEALTHY' },
        withinCycles: recoveryThreshold + cooldownCycles + 6,
        check: async () => {
          const answers = await session.query(record.name, 'A');
          return { met: ips.every((ip) => answers.includes(ip)), seen: `DNS answers ${list(answers)}` };
        },
      }),
    );
  },
};

export const loadBalancerDown: Scenario = {
  name: 'lb-down',
  summary: 'stop one load balancer: its IP is pulled from DNS, the other load balancer keeps serving',
  async run(session, recordResult) {
    const { record, endpoint, ips } = firstPrimaryTarget(session, 'load-balancer');
    const fault = `stop load balancer ${endpoint}`;
    const notHealthy = await healthyStart(session, this.name, fault);
    if (notHealthy) return recordResult(notHealthy);
    const stoppedAt = await injectFault(
      session,
      `stopped ${endpoint} (load balancer, ${regionOf(session.topology, endpoint)})`,
      () => session.world.stop(endpoint),
    );
    recordResult(
      await expectOutcome(session, {
        scenario: this.name,
        fault,
        expected: `${ips.join(' ')} pulled from ${record.name}`,
        faultAtMs: stoppedAt,
        detect: { targetIds: [endpoint], to: 'UNHEALTHY' },
        withinCycles: session.topology.checks.failureThreshold + 6,
        check: async () => {
          const answers = await session.query(record.name, 'A');
          return {
            met: answers.length > 0 && ips.every((ip) => !answers.includes(ip)),
            seen: `DNS answers ${list(answers)}`,
          };
        },
      }),
    );
  },
};

export const allServersDown: Scenario = {
  name: 'all-servers-down',
  summary:
    'stop every server of a record: DNS is left as it is (fail open, never empty) and a critical alert is published',
  async run(session, recordResult) {
    const record = recordOver(session.topology, 'server');
    const endpoints = record.targets.map((t) => t.endpoint);
    const fault = `stop all ${endpoints.length} servers of ${record.id}`;
    const notHealthy = await healthyStart(session, this.name, fault);
    if (notHealthy) return recordResult(notHealthy);
    const before = await session.query(record.name, 'A');
    const changesBefore = session.cloud.dns.changes.length;
    const stoppedAt = await injectFault(session, `stopped ${endpoints.join(', ')}`, () =>
      session.world.stop(...endpoints),
    );
    const startedIso = new Date(Date.now() - 1).toISOString();
    const alerted = await expectOutcome(session, {
      scenario: this.name,
      fault,
      expected: `critical alert, ${record.name} still answers all ${before.length}`,
      faultAtMs: stoppedAt,
      detect: { targetIds: endpoints, to: 'UNHEALTHY' },
      withinCycles: session.topology.checks.failureThreshold + 6,
      check: async () => {
        const alert = session.cloud.notifier.outbox.find(
          (n) =>
            n.severity === 'critical' &&
            n.at >= startedIso &&
            [record.id, record.name].some((r) => n.resource.includes(r)),
        );
        const answers = await session.query(record.name, 'A');
        const unchanged = answers.join(' ') === before.join(' ') && session.cloud.dns.changes.length === changesBefore;
        const seen = `${alert ? `alert "${alert.subject}"` : 'no critical alert yet'}; DNS answers ${list(answers)}`;
        return { met: alert !== undefined && unchanged, seen };
      },
    });
    // Fail open must last: a few more cycles, and the record still serves every address.
    await session.waitCycles(2);
    const after = await session.query(record.name, 'A');
    const failedOpen = !alerted.passed || after.join(' ') === before.join(' ');
    recordResult(
      failedOpen
        ? alerted
        : { ...alerted, passed: false, detail: `the record changed after the alert: DNS answers ${list(after)}` },
    );
  },
};
