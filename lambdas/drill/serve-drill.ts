// `failover-guard drill --serve`: the drill's loopback world with the guard running on it, on the
// ports the topology names, until Ctrl-C — so a person can `check` it, `dig` it and watch it heal.
import { relative } from 'node:path';
import { DrillSession } from './drill-session';
import { defaultDrillTopologyPath } from './drill-topology';
import { loadDrillTopology } from './run-drill';
import { Timeline } from './timeline';

export interface ServeOptions {
  /** @default - examples/local.json */
  readonly topologyPath?: string;
  readonly write: (text: string) => void;
  /** Ends the serving (Ctrl-C). */
  readonly signal: AbortSignal;
}

/** Where everything listens, and commands to try from another terminal. */
function formatServing(session: DrillSession, topologyPath: string): string {
  const addresses = session.world.addresses();
  const width = Math.max(...addresses.map((a) => a.id.length));
  const [dnsHost, dnsPort] = session.world.nameserver.split(':');
  const names = session.topology.dns.map((r) => r.name);
  const inside = relative(process.cwd(), topologyPath);
  const shownPath = inside && !inside.startsWith('..') ? inside : topologyPath;
  return [
    `Serving the drill world of ${shownPath} with the guard running (${session.checkers.size} checkers). Ctrl-C stops it.`,
    '',
    ...addresses.map((a) => `  ${a.id.padEnd(width)}  ${a.address}`),
    '',
    'From another terminal:',
    `  npx --no-install failover-guard check ${shownPath}`,
    ...names.map((name) => `  dig @${dnsHost} -p ${dnsPort} ${name}`),
    `  dig @${dnsHost} -p ${dnsPort} +tcp ${names[0] ?? 'example'} ANY`,
    '',
  ].join('\n');
}

/** Serves until the signal aborts, then closes every socket. */
export async function serveDrillWorld(options: ServeOptions): Promise<void> {
  const topologyPath = options.topologyPath ?? defaultDrillTopologyPath;
  const topology = await loadDrillTopology(topologyPath, 1);
  const session = await DrillSession.start(topology, new Timeline(Date.now()), 1, { configuredPorts: true });
  try {
    options.write(formatServing(session, topologyPath));
    if (!options.signal.aborted)
      await new Promise((resolve) => options.signal.addEventListener('abort', resolve, { once: true }));
  } finally {
    await session.close();
  }
  options.write('stopped: every endpoint and the DNS server are closed\n');
}
