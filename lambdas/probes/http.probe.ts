// HTTP and HTTPS probe: fresh connections, the whole response read (see http-response-reader.ts),
// redirects followed within the one timeout, status, optional body match, latency budget, TLS checks.
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import type { HttpProbe } from '../domain/config/schema';
import { ProbeErrorCode, type CertificateInfo, type Observation } from '../domain/observation';
import { asError } from '../domain/errors';
import { decodeBody } from './body-decoding';
import { certificateInfo, secureContextFor, tlsVerificationFailure } from './certificate';
import { HttpResponseReader } from './http-response-reader';
import {
  failedObservation,
  failureFromSocketError,
  observationBase,
  timeoutFailure,
  type ProbeFailure,
  type ProbeRun,
} from './probe-outcome';

/** Bytes of one response head; more is HTTP_MALFORMED (Node's own client allows 16 KiB, curl 300 KiB). */
export const maxHeadBytes = 64 * 1024;
/** Redirects followed before HTTP_TOO_MANY_REDIRECTS. */
export const maxRedirects = 5;
const redirectStatuses = new Set([301, 302, 303, 307, 308]);

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
      compiled = asError(error);
    }
    compiledPatterns.set(source, compiled);
  }
  return compiled;
}

/** Why the body fails the probe's bodyMatch, or undefined when it matches. */
function bodyMismatch(body: string, match: NonNullable<HttpProbe['bodyMatch']>): ProbeFailure | undefined {
  if ('substring' in match) {
    return body.includes(match.substring)
      ? undefined
      : {
          error: ProbeErrorCode.BODY_MISMATCH,
          detail: `the body read (${body.length} characters) does not contain ${JSON.stringify(match.substring)}`,
        };
  }
  const pattern = compiledPattern(match.regex);
  if (pattern instanceof Error) {
    return {
      error: ProbeErrorCode.PROBE_ERROR,
      detail: `bodyMatch.regex ${JSON.stringify(match.regex)} is not a valid regular expression (${pattern.message}); fix the probe config`,
    };
  }
  return pattern.test(body)
    ? undefined
    : {
        error: ProbeErrorCode.BODY_MISMATCH,
        detail: `the body read (${body.length} characters) does not match /${match.regex}/`,
      };
}

/** What one request of a probe sends and where. */
interface PreparedRequest {
  readonly url: URL;
  readonly host: string;
  readonly port: number;
  readonly request: Buffer;
  /** Set for https: how to connect and verify. */
  readonly tls?: ConnectionOptions;
  /** The name the certificate must carry: the server name, else the URL's host. */
  readonly tlsHostname: string;
}

function prepareRequest(probe: HttpProbe, url: URL, serverName: string | undefined): PreparedRequest | ProbeFailure {
  if (serverName !== undefined && !hostHeaderValue.test(serverName)) {
    return {
      error: ProbeErrorCode.PROBE_ERROR,
      detail: `serverName ${JSON.stringify(serverName)} is not a host name; fix the probe config`,
    };
  }
  const secure = url.protocol === 'https:';
  // URL keeps the brackets of an IPv6 literal; sockets want the bare address.
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const hostHeader = serverName ? (url.port ? `${serverName}:${url.port}` : serverName) : url.host;
  const request = Buffer.from(
    `${probe.method} ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${hostHeader}\r\nUser-Agent: ${userAgent}\r\nAccept: */*\r\nConnection: close\r\n\r\n`,
    'latin1',
  );
  const port = Number(url.port) || (secure ? 443 : 80);
  if (!secure) return { url, host, port, request, tlsHostname: host };
  // SNI carries a name, never an IP.
  const servername = serverName ?? (isIP(host) ? undefined : host);
  const tls: ConnectionOptions = {
    host,
    port,
    // Verified by the probe on secureConnect, so a refused certificate's expiry can still be reported.
    rejectUnauthorized: false,
    secureContext: secureContextFor(probe.caPem),
    ...(servername ? { servername } : {}),
  };
  return { url, host, port, request, tls, tlsHostname: serverName ?? host };
}

// Targets are probed every cycle: the first request of a probe config is worked out once.
const preparedRequests = new WeakMap<HttpProbe, PreparedRequest | ProbeFailure>();

function preparedRequest(probe: HttpProbe): PreparedRequest | ProbeFailure {
  let prepared = preparedRequests.get(probe);
  if (!prepared) {
    prepared = URL.canParse(probe.url)
      ? prepareRequest(probe, new URL(probe.url), probe.serverName)
      : { error: ProbeErrorCode.PROBE_ERROR, detail: `${probe.url} is not a URL; fix the probe config` };
    preparedRequests.set(probe, prepared);
  }
  return prepared;
}

/** The request a redirect leads to; the server name still applies while the host stays the same. */
function redirectRequest(probe: HttpProbe, from: PreparedRequest, location: string): PreparedRequest | ProbeFailure {
  const url = URL.canParse(location, from.url.href) ? new URL(location, from.url) : undefined;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    return {
      error: ProbeErrorCode.HTTP_MALFORMED,
      detail: `${from.url.href} redirects to ${JSON.stringify(location.slice(0, 200))}, which is not an http(s) URL`,
    };
  }
  return prepareRequest(probe, url, url.hostname === from.url.hostname ? probe.serverName : undefined);
}

// Socket listeners are module functions that find their probe through this key, not closures made per probe.
const probeKey = Symbol('failover-guard.http-probe');
type Tagged = Socket & { [probeKey]?: HttpProbeRun };

const resetCodes = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

class HttpProbeRun {
  private settled = false;
  private certificate: CertificateInfo | undefined;
  private readonly timer: NodeJS.Timeout;
  private socket!: Tagged;
  private reader!: HttpResponseReader;
  private statusJudged = false;
  private redirects = 0;

  constructor(
    readonly run: ProbeRun,
    private readonly probe: HttpProbe,
    private prepared: PreparedRequest,
    private readonly certificateWarningDays: number,
    private readonly at: string,
    private readonly startedMs: number,
    private readonly resolve: (observation: Observation) => void,
  ) {
    // The socket first: if opening it throws, no timer is left behind.
    this.connect();
    this.timer = setTimeout(onTimeout, run.timeoutMs, this);
  }

  private connect(): void {
    const { prepared, probe } = this;
    this.reader = new HttpResponseReader({
      maxHeadBytes,
      maxBodyBytes: probe.maxBodyBytes,
      keepBody: probe.bodyMatch !== undefined,
      headRequest: probe.method === 'HEAD',
    });
    this.statusJudged = false;
    this.socket = prepared.tls ? tlsConnect(prepared.tls) : netConnect(prepared.port, prepared.host);
    this.socket[probeKey] = this;
    this.socket.on('error', onSocketError);
    this.socket.on('data', onSocketData);
    this.socket.on('end', onSocketEnd);
    this.socket.on('close', onSocketEnd);
    // Over TLS the request goes out only once the server's certificate has been checked.
    if (prepared.tls) this.socket.once('secureConnect', onSecureConnect);
    else this.socket.write(prepared.request);
  }

  /** Done with the connection: its late events no longer reach this probe. */
  private release(): void {
    this.socket[probeKey] = undefined;
    this.socket.destroy();
  }

  finish(failure: ProbeFailure | undefined): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    this.release();
    const { run, probe, at, startedMs } = this;
    const status = this.reader.status;
    const extra = {
      ...(this.certificate ? { certificate: this.certificate } : {}),
      ...(status === undefined ? {} : { httpStatus: status }),
    };
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
    this.certificate ??= certificateInfo(socket, this.certificateWarningDays);
    if (this.probe.verifyTls && !socket.authorized)
      this.finish(tlsVerificationFailure(socket, this.prepared.tlsHostname));
    else socket.write(this.prepared.request);
  }

  received(chunk: Buffer): void {
    this.reader.push(chunk);
    this.advance();
  }

  ended(): void {
    this.reader.end();
    this.advance();
  }

  failed(error: Error): void {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (this.reader.phase === 'body' && resetCodes.has(code)) {
      this.finish({
        error: ProbeErrorCode.HTTP_BODY_TRUNCATED,
        detail: `${this.prepared.url.href}: the connection was reset after ${this.reader.bodyBytes} body bytes (${code})`,
      });
    } else {
      this.finish(failureFromSocketError(error));
    }
  }

  timedOut(): void {
    const { reader, run } = this;
    if (reader.phase === 'body') {
      this.finish({
        error: ProbeErrorCode.HTTP_BODY_TIMEOUT,
        detail: `${this.prepared.url.href}: the body stopped after ${reader.bodyBytes} bytes; not complete within ${run.timeoutMs} ms`,
      });
    } else {
      this.finish(timeoutFailure(run.timeoutMs));
    }
  }

  private advance(): void {
    const reader = this.reader;
    const where = this.prepared.url.href;
    if (reader.phase === 'malformed')
      this.finish({ error: ProbeErrorCode.HTTP_MALFORMED, detail: `${where}: ${reader.problem}` });
    else if (reader.phase === 'truncated') {
      this.finish({
        error: reader.status === undefined ? ProbeErrorCode.ECONNRESET : ProbeErrorCode.HTTP_BODY_TRUNCATED,
        detail: `${where}: ${reader.problem}`,
      });
    } else if (reader.phase !== 'head' && (this.statusJudged || this.judgeStatus()) && reader.phase === 'complete') {
      this.judgeBody();
    }
  }

  /** True when the status lets the probe go on reading; otherwise it has finished or followed a redirect. */
  private judgeStatus(): boolean {
    this.statusJudged = true;
    const { probe, reader } = this;
    const status = reader.status as number;
    const location = redirectStatuses.has(status) ? reader.location : undefined;
    if (location !== undefined && probe.redirects === 'follow') {
      this.follow(location);
      return false;
    }
    const expected = probe.expectedStatus;
    if (location !== undefined && probe.redirects === 'fail') {
      this.finish({
        error: `HTTP_${status}`,
        detail: `status ${status}, a redirect to ${location.slice(0, 200)}; the probe's redirects is "fail"`,
      });
      return false;
    }
    if (!statusExpected(status, expected)) {
      this.finish({
        error: `HTTP_${status}`,
        detail: `status ${status}${expected ? `, expected one of ${expected.join(', ')}` : ', expected 200–399'}`,
      });
      return false;
    }
    return true;
  }

  private follow(location: string): void {
    this.redirects += 1;
    if (this.redirects > maxRedirects) {
      this.finish({
        error: ProbeErrorCode.HTTP_TOO_MANY_REDIRECTS,
        detail: `more than ${maxRedirects} redirects; the last to ${location.slice(0, 200)}`,
      });
      return;
    }
    const next = redirectRequest(this.probe, this.prepared, location);
    if (!('request' in next)) {
      this.finish(next);
      return;
    }
    this.release();
    this.prepared = next;
    try {
      this.connect();
    } catch (error) {
      this.finish(failureFromSocketError(error));
    }
  }

  private judgeBody(): void {
    const { probe, reader } = this;
    this.release();
    const match = probe.bodyMatch;
    if (match === undefined || probe.method === 'HEAD') {
      this.finish(undefined);
      return;
    }
    if (reader.contentEncoding === undefined) {
      this.finish(bodyMismatch(reader.body().toString('utf8'), match));
      return;
    }
    decodeBody(reader.body(), reader.contentEncoding, probe.maxBodyBytes).then(
      (body) => this.finish(bodyMismatch(body.toString('utf8'), match)),
      (error: Error) =>
        this.finish({
          error: ProbeErrorCode.BODY_MISMATCH,
          detail: `the ${reader.contentEncoding} body cannot be decoded (${error.message})`,
        }),
    );
  }
}

function onTimeout(probe: HttpProbeRun): void {
  probe.timedOut();
}
function onSocketError(this: Tagged, error: Error): void {
  this[probeKey]?.failed(error);
}
function onSecureConnect(this: Tagged & TLSSocket): void {
  this[probeKey]?.secureConnected(this);
}
function onSocketData(this: Tagged, chunk: Buffer): void {
  this[probeKey]?.received(chunk);
}
function onSocketEnd(this: Tagged): void {
  this[probeKey]?.ended();
}

/**
 * Probes one HTTP(S) endpoint. Never throws; every connection is destroyed on every path.
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
