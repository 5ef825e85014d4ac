// Starts the loopback fleet (bench/loopback-fleet.ts) in its own process and waits until it listens.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FleetEndpoint, FleetMessage, FleetOptions } from './loopback-fleet';

export interface RunningFleet {
  /** The fleet's process: it exits when the benchmark disconnects from it. */
  readonly fleet: ChildProcess;
  readonly endpoints: readonly FleetEndpoint[];
}

export function startLoopbackFleet(count: number, options: FleetOptions = {}): Promise<RunningFleet> {
  const fleet = fork(
    fileURLToPath(new URL('./loopback-fleet.ts', import.meta.url)),
    [String(count), JSON.stringify(options)],
    {
      execArgv: ['--import', 'tsx'],
    },
  );
  return new Promise((resolve, reject) => {
    fleet.once('message', (message) => resolve({ fleet, endpoints: (message as FleetMessage).endpoints }));
    fleet.once('exit', (code) => reject(new Error(`the loopback fleet exited (${code}) before it was ready`)));
  });
}
