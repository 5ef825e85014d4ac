// HTTP and HTTPS probe: one fresh connection, status, optional body match, latency budget, TLS checks.
// Speaks just enough HTTP/1.1 over a net/tls socket (see http-response-reader.ts); no agent, no pooling.
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import type { HttpProbe } from '../domain/config/schema';
import { ProbeErrorCode, type CertificateInfo, type Observation } from '../domain/observation';
import { certificateInfo, secureContextFor, tlsVerificationFailure } from './certificate';
import { HttpResponseReader } from './http-response-reader';
import { failedObservation, failureFromSocketError, observationBase, timeoutFailure, type ProbeFailure, type ProbeRun } from './probe-outcome';

/** Body bytes read for a body match; the rest is never read. */
export const bodyMatchLimitBytes = 64 * 1024;

const userAgent = 'failover-guard-probe';
const hostHeaderValue = /^[A-Za-z0-9._:[\]-]+$/;

function statusExpected(status: number, expected: readonly number[] | undefined): boolean {
  return expected ? expected.includes(status) : status >= 200 && status <= 399;
}

const compiledPatterns = new Map<string, RegExp | Error>();

function compiledPattern(source: string): RegExp | Error {
  let compiled = compiledPatterns.get(source);
  if (!compiled) {
    try {
      compiled = new RegExp(source);
    } catch (error) {
      compiled = error as Error;
    }
    compiledPatterns.set(source, compiled);
  }
  return compiled;
}

/** Why the body fails the probe's bodyMatch, or undefined when it matches. */
export function bodyMismatch(body: string, match: NonNullable<HttpProbe['bodyMatch']>): ProbeFailure | undefined {
  if ('substring' in match) {
    return body.includes(match.substring)
      ? undefined
      : { error: ProbeErrorCode.BODY_MISMATCH, detail: `the first ${bodyMatchLimitBytes / 1024} KiB of the body do not contain ${JSON.stringify(match.substring)}` };
  }
  const pattern = compiledPattern(match.regex);
  if (pattern instanceof Error) {
    return { error: ProbeErrorCode.PROBE_ERROR, detail: `bodyMatch.regex ${JSON.stringify(match.regex)} is not a valid regular expression (${pattern.message}); fix the probe config` };
  }
  return pattern.test(body)
    ? undefined
    : { error: ProbeErrorCode.BODY_MISMATCH, detail: `the first ${bodyMatchLimitBytes / 1024} KiB of the body do not match /${match.regex}/` };
}

/** What a probe sends and where, worked out once per probe config (targets are probed every cycle). */
interface PreparedRequest {
  readonly host: string;
  readonly port: number;
  readonly request: Buffer;
  /** Set for https: how to connect and verify. */
  readonly tls?: ConnectionOptions;
  /** The name the certificate must carry: the server name, else the URL's host. */
  readonly tlsHostname: string;
  readonly wantsBody: boolean;
}

const preparedRequests = new WeakMap<HttpProbe, PreparedRequest | ProbeFailure>();

function prepareRequest(probe: HttpProbe): PreparedRequest | ProbeFailure {
  let url: URL;
  try {
    url = new URL(probe.url);
  } catch (error) {
    return { error: ProbeErrorCode.PROBE_ERROR, detail: `${probe.url} is not a URL (${(error as Error).message}); fix the probe config` };
  }
  if (probe.serverName !== undefined && !hostHeaderValue.test(probe.serverName)) {
    return { error: ProbeErrorCode.PROBE_ERROR, detail: `serverName ${JSON.stringify(probe.serverName)} is not a host name; fix the probe config` };
  }
  const secure = url.protocol === 'https:';
  // URL keeps the brackets of an IPv6 literal; sockets want the bare address.
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const hostHeader = probe.serverName ? (url.port ? `${probe.serverName}:${url.port}` : probe.serverName) : url.host;
  const request = Buffer.from(
    `${probe.method} ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${hostHeader}\r\nUser-Agent: ${userAgent}\r\nAccept: */*\r\nConnection: close\r\n\r\n`,
    'latin1',
  );
  const port = Number(url.port) || (secure ? 443 : 80);
  const wantsBody = probe.bodyMatch !== undefined && probe.method !== 'HEAD';
  if (!secure) return { host, port, request, tlsHostname: host, wantsBody };
  // SNI carries a name, never an IP.
  const servername = probe.serverName ?? (isIP(host) ? undefined : host);
  const tls: ConnectionOptions = {
    host,
    port,
    // Verified by the probe on secureConnect, so a refused certificate's expiry can still be reported.
    rejectUnauthorized: false,
    secureContext: secureContextFor(probe.caPem),
    ...(servername ? { servername } : {}),
  };
  return { host, port, request, tls, tlsHostname: probe.serverName ?? host, wantsBody };
}

function preparedRequest(probe: HttpProbe): PreparedRequest | ProbeFailure {
  let prepared = preparedRequests.get(probe);
  if (!prepared) {
    prepared = prepareRequest(probe);
    preparedRequests.set(probe, prepared);
  }
  return prepared;
}

// Socket listeners are module functions that find their probe through this key, not closures made per probe.
const probeKey = Symbol('failover-guard.http-probe');
type Tagged = Socket & { [probeKey]?: HttpProbeRun };

class HttpProbeRun {
  private settled = false;
  private certificate: CertificateInfo | undefined;
  private readonly reader: HttpResponseReader;
  private readonly timer: NodeJS.Timeout;
  private readonly socket: Tagged;

  constructor(
    readonly run: ProbeRun,
    private readonly probe: HttpProbe,
    private readonly prepared: PreparedRequest,
    private readonly certificateWarningDays: number,
    private readonly at: string,
    private readonly startedMs: number,
    private readonly resolve: (observation: Observation) => void,
  ) {
    this.reader = new HttpResponseReader(bodyMatchLimitBytes);
    // The socket first: if opening it throws, no timer is left behind.
    this.socket = prepared.tls ? tlsConnect(prepared.tls) : netConnect(prepared.port, prepared.host);
    this.timer = setTimeout(onTimeout, run.timeoutMs, this);
    this.socket[probeKey] = this;
    this.socket.on('error', onSocketError);
    this.socket.on('data', onSocketData);
    this.socket.on('end', onSocketEnd);
    this.socket.on('close', onSocketClose);
    // Over TLS the request goes out only once the server's certificate has been checked.
    if (prepared.tls) this.socket.once('secureConnect', onSecureConnect);
    else this.socket.write(prepared.request);
  }

  finish(failure: ProbeFailure | undefined): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    this.socket.destroy();
    const { run, probe, at, startedMs } = this;
    const extra = this.certificate ? { certificate: this.certificate } : undefined;
    if (failure) {
      this.resolve(failedObservation(run, probe.type, at, startedMs, failure, extra));
      return;
    }
    const observation: Observation = { ...observationBase(run, probe.type, at, startedMs), ...extra, ok: true };
    if (probe.latencyBudgetMs !== undefined && observation.latencyMs > probe.latencyBudgetMs) {
      this.resolve({
        ...observation,
        ok: false,
        error: ProbeErrorCode.LATENCY_BUDGET_EXCEEDED,
        detail: `answered in ${observation.latencyMs} ms, over the ${probe.latencyBudgetMs} ms budget`,
      });
      return;
    }
    this.resolve(observation);
  }

  secureConnected(socket: TLSSocket): void {
    this.certificate = certificateInfo(socket, this.certificateWarningDays);
    if (this.probe.verifyTls && !socket.authorized) this.finish(tlsVerificationFailure(socket, this.prepared.tlsHostname));
    else socket.write(this.prepared.request);
  }

  received(chunk: Buffer | undefined): void {
    const reader = this.reader;
    if (chunk) reader.push(chunk);
    else reader.end();
    if (reader.malformed !== undefined) {
      // Bytes that are not HTTP are a probe error; a server hanging up early is a reset connection.
      this.finish({ error: chunk ? ProbeErrorCode.PROBE_ERROR : ProbeErrorCode.ECONNRESET, detail: `${this.probe.url}: ${reader.malformed}` });
      return;
    }
    const status = reader.status;
    if (status === undefined) return;
    const expected = this.probe.expectedStatus;
    if (!statusExpected(status, expected)) {
      this.finish({ error: `HTTP_${status}`, detail: `status ${status}${expected ? `, expected one of ${expected.join(', ')}` : ', expected 200–399'}` });
    } else if (!this.prepared.wantsBody) {
      this.finish(undefined);
    } else if (reader.body !== undefined) {
      this.finish(bodyMismatch(reader.body, this.probe.bodyMatch as NonNullable<HttpProbe['bodyMatch']>));
    }
  }

  closed(): void {
    this.finish({ error: ProbeErrorCode.ECONNRESET, detail: `${this.probe.url}: the server closed the connection without a complete response` });
  }
}

function onTimeout(probe: HttpProbeRun): void {
  probe.finish(timeoutFailure(probe.run.timeoutMs));
}
function onSocketError(this: Tagged, error: Error): void {
  this[probeKey]?.finish(failureFromSocketError(error));
}
function onSecureConnect(this: Tagged & TLSSocket): void {
  this[probeKey]?.secureConnected(this);
}
function onSocketData(this: Tagged, chunk: Buffer): void {
  this[probeKey]?.received(chunk);
}
function onSocketEnd(this: Tagged): void {
  this[probeKey]?.received(undefined);
}
function onSocketClose(this: Tagged): void {
  this[probeKey]?.closed();
}

/**
 * Probes one HTTP(S) endpoint. Never throws; the connection is destroyed on every path.
 * `certificateWarningDays`: a certificate expiring within this many days is flagged expiringSoon.
 */
export function probeHttp(run: ProbeRun, probe: HttpProbe, certificateWarningDays: number): Promise<Observation> {
  const at = new Date().toISOString();
  const startedMs = performance.now();
  const prepared = preparedRequest(probe);
  if (!('request' in prepared)) return Promise.resolve(failedObservation(run, probe.type, at, startedMs, prepared));
  return new Promise<Observation>((resolve) => {
    try {
      new HttpProbeRun(run, probe, prepared, certificateWarningDays, at, startedMs, resolve);
    } catch (error) {
      resolve(failedObservation(run, probe.type, at, startedMs, failureFromSocketError(error)));
    }
  });
}
