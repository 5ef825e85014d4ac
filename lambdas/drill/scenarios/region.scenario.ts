// A whole region goes dark: every endpoint in it stops, its cloud APIs fail and its checker dies.
// The checker outside it runs the region runbook: promote the cross-region replica, move DNS to the
// standby, repoint the writer. Then the region comes back and a person fails back on command.
import { primaryRegion, probeTargets, standbyRegions } from '../../domain/config/targets';
import { formatFailback, runFailback } from '../../engine/region';
import type { DrillSession } from '../drill-session';
import {
  addressesOf,
  expectOutcome,
  healthyStart,
  injectFault,
  list,
  recordOver,
  regionOf,
  type Scenario,
  type Seen,
} from './scenario';

function regionAddresses(session: DrillSession, region: string) {
  const record = recordOver(session.topology, 'load-balancer');
  const ips = record.targets
    .filter((t) => regionOf(session.topology, t.endpoint) === region)
    .flatMap((t) => addressesOf(session.topology, record, t.endpoint));
  return { record, ips: ips.sort() };
}

async function servesOnly(session: DrillSession, region: string): Promise<Seen> {
  const { record, ips } = regionAddresses(session, region);
  const answers = await session.query(record.name, 'A');
  return { met: answers.join(' ') === ips.join(' '), seen: `${record.name} A ${list(answers)}` };
}

/**
 * `failover-guard failback <region>` from the standby's checker. The guard refuses until the region
 * has been healthy for failbackHealthyMinutes: the first refusal goes on the timeline, then the
 * command is repeated each cycle, as an operator would. Returns when the accepted command was given,
 * or the last refusal.
 */
async function failBack(
  session: DrillSession,
  region: string,
  checker: string,
  timeoutMs: number,
): Promise<{ atMs: number } | { refusal: string }> {
  let refusal: string | undefined;
  const { value } = await session.waitFor(async () => {
    const commandAtMs = session.timeline.elapsedMs();
    const outcome = await runFailback(session.checker(checker).context, region, { dryRun: false });
    if (outcome.decision.runbook) return { commandAtMs, plan: formatFailback(outcome.decision.runbook).trimEnd() };
    if (refusal === undefined)
      session.timeline.add('operator', `failover-guard failback ${region} refused: ${outcome.decision.refusal}`, {
        checker,
      });
    refusal = outcome.decision.refusal;
    return undefined;
  }, timeoutMs);
  if (value === undefined) return { refusal: refusal ?? 'failback never ran' };
  session.timeline.add('operator', `failover-guard failback ${region} (accepted)`);
  session.timeline.add('action', value.plan, { checker });
  return { atMs: value.commandAtMs };
}

export const regionDark: Scenario = {
  name: 'region-dark',
  summary:
    'take the primary region dark (endpoints, APIs, its checker): region failover; bring it back: failback on command',
  async run(session, recordResult) {
    const dark = primaryRegion(session.topology);
    const standby = standbyRegions(session.topology)[0];
    const fault = `region ${dark} dark`;
    if (!standby)
      throw new Error(`the drill topology "${session.topology.name}" has no standby region to fail over to`);
    const notHealthy = await healthyStart(session, this.name, fault);
    if (notHealthy) return recordResult(notHealthy);
    const endpoints = probeTargets(session.topology)
      .filter((t) => t.region === dark)
      .map((t) => t.id);
    const crossRegion = session.topology.databases.map((db) => ({
      db,
      replica: db.replicas.find((r) => r.region === standby),
    }));
    const { failureThreshold } = session.topology.checks;
    const { regionFailureThreshold } = session.topology.regionFailover;
    const promotionMs = session.cloud.database.timings.promotionMs;

    const darkAt = await injectFault(
      session,
      `stopped all ${endpoints.length} endpoints of ${dark}, its AWS APIs fail, its checker stopped`,
      async () => {
        await session.checker(dark).stop();
        await session.world.stop(...endpoints);
        session.cloud.setRegionDark(dark);
      },
    );
    const failedOver = await expectOutcome(session, {
      scenario: this.name,
      fault,
      expected: `traffic and writer moved to ${standby}`,
      faultAtMs: darkAt,
      detect: { targetIds: endpoints, to: 'UNHEALTHY', checker: standby },
      withinCycles: failureThreshold + regionFailureThreshold + 10,
      extraMs: promotionMs,
      check: async () => {
        const traffic = await servesOnly(session, standby);
        const writers = await Promise.all(
          crossRegion.map(async ({ db, replica }) => {
            const writer = await session.query(db.writerDns.name, 'CNAME');
            return {
              met: replica !== undefined && writer[0] === replica.endpoint.host,
              seen: `${db.writerDns.name} CNAME ${list(writer)}`,
            };
          }),
        );
        return {
          met: traffic.met && writers.every((w) => w.met),
          seen: [traffic.seen, ...writers.map((w) => w.seen)].join('; '),
        };
      },
    });
    recordResult(failedOver);
    if (!failedOver.passed) return;

    await injectFault(
      session,
      `${dark} is back: endpoints restarted, APIs answer, its checker runs again`,
      async () => {
        session.cloud.setRegionLight(dark);
        await session.world.start(...endpoints);
        session.checker(dark).start();
      },
    );
    const healthyFor = session.topology.regionFailover.failbackHealthyMinutes * 60_000;
    const problem = await session.waitHealthy((failureThreshold + 10) * session.intervalMs);
    if (problem)
      return recordResult({
        scenario: this.name,
        fault: `fail back to ${dark}`,
        expected: `${dark} healthy again`,
        passed: false,
        detail: problem,
      });
    // Generous: on a loaded machine the checkers see the region healthy cycles late, and the clock starts then.
    const command = await failBack(session, dark, standby, healthyFor + 30 * session.intervalMs);
    if ('refusal' in command)
      return recordResult({
        scenario: this.name,
        fault: `fail back to ${dark} (command)`,
        expected: `traffic back in ${dark}`,
        passed: false,
        detail: `failback refused: ${command.refusal}`,
      });
    recordResult(
      await expectOutcome(session, {
        scenario: this.name,
        fault: `fail back to ${dark} (command)`,
        expected: `traffic back in ${dark}`,
        faultAtMs: command.atMs,
        withinCycles: 8,
        check: () => servesOnly(session, dark),
      }),
    );
  },
};
