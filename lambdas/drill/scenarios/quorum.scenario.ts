// One checker is cut off from the network: every probe it makes times out, so it sees the whole
// world down. Its view alone is not a quorum: nothing in DNS or RDS may change.
import { guardRegions, probeTargets } from '../../domain/config/targets';
import { expectOutcome, healthyStart, injectFault, type Scenario } from './scenario';

export const checkerBlackHoled: Scenario = {
  name: 'checker-black-holed',
  summary: 'cut one checker off (every probe it makes times out): no false failover, nothing changes',
  async run(session, recordResult) {
    const regions = guardRegions(session.topology);
    const isolated = regions.at(-1)!;
    const fault = `black-hole checker ${isolated}`;
    const notHealthy = await healthyStart(session, this.name, fault);
    if (notHealthy) return recordResult(notHealthy);
    if (regions.length < 2)
      throw new Error(
        'the drill topology runs the guard in one region only; a black-holed checker there is the whole guard',
      );
    const replicasBefore = await Promise.all(
      session.topology.databases
        .flatMap((db) => db.replicas)
        .map((r) => session.cloud.database.describeInstance(r.region, r.identifier)),
    );
    const changesBefore = session.cloud.dns.changes.length;
    const { failureThreshold } = session.topology.checks;
    const holdCycles = failureThreshold + session.topology.regionFailover.regionFailureThreshold + 3;
    const isolatedAt = await injectFault(session, `every probe of checker ${isolated} now times out`, () =>
      session.checker(isolated).setBlackHoled(true),
    );
    const seenDown = await session.waitFor(
      () =>
        session.firstSeen(
          probeTargets(session.topology).map((t) => t.id),
          'UNHEALTHY',
          isolatedAt,
          isolated,
        ),
      (failureThreshold + 4) * session.intervalMs,
    );
    await session.waitCycles(holdCycles);
    const { actMs: _notAnAction, ...held } = await expectOutcome(session, {
      scenario: this.name,
      fault,
      expected: 'no failover: DNS and databases unchanged',
      faultAtMs: isolatedAt,
      detect: { targetIds: probeTargets(session.topology).map((t) => t.id), to: 'UNHEALTHY', checker: isolated },
      withinCycles: 0,
      check: async () => {
        const replicasNow = await Promise.all(
          session.topology.databases
            .flatMap((db) => db.replicas)
            .map((r) => session.cloud.database.describeInstance(r.region, r.identifier)),
        );
        const promoted = replicasNow.filter(
          (r, i) =>
            replicasBefore[i]?.replicaSourceIdentifier !== undefined && r?.replicaSourceIdentifier === undefined,
        );
        const dnsChanges = session.cloud.dns.changes.length - changesBefore;
        const sawDown =
          seenDown.value !== undefined ? `${isolated} saw everything UNHEALTHY` : `${isolated} never saw a failure`;
        return {
          met: seenDown.value !== undefined && dnsChanges === 0 && promoted.length === 0,
          seen: `${sawDown}; ${dnsChanges} DNS change(s), ${promoted.length} promotion(s) in ${holdCycles} cycles`,
        };
      },
    });
    session.checker(isolated).setBlackHoled(false);
    recordResult(held);
  },
};
