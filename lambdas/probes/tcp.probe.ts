// TCP connect probe: the port accepts a connection; the connection is closed at once.
import { connect, type Socket } from 'node:net';
import type { TcpProbe } from '../domain/config/schema';
import type { Observation } from '../domain/observation';
import {
  failedObservation,
  failureFromSocketError,
  observationBase,
  timeoutFailure,
  type ProbeFailure,
  type ProbeRun,
} from './probe-outcome';

/** Connects to host:port. Never throws; the socket is destroyed on every path. */
export function probeTcp(run: ProbeRun, probe: TcpProbe): Promise<Observation> {
  const at = new Date().toISOString();
  const startedMs = performance.now();
  return new Promise<Observation>((resolve) => {
    let settled = false;
    let socket: Socket;
    try {
      socket = connect({ host: probe.host, port: probe.port });
    } catch (error) {
      resolve(failedObservation(run, 'tcp', at, startedMs, failureFromSocketError(error)));
      return;
    }
    const finish = (failure: ProbeFailure | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(
        failure
          ? failedObservation(run, 'tcp', at, startedMs, failure)
          : { ...observationBase(run, 'tcp', at, startedMs), ok: true },
      );
    };
    const timer = setTimeout(() => finish(timeoutFailure(run.timeoutMs)), run.timeoutMs);
    socket.once('connect', () => finish(undefined));
    socket.on('error', (error) => finish(failureFromSocketError(error)));
  });
}
