// HTTP and HTTPS probe: one fresh connection, status, optional body match, latency budget, TLS checks.
import { request as httpRequest, type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { HttpProbe } from '../domain/config/schema';
import { ProbeErrorCode, type CertificateInfo, type Observation } from '../domain/observation';
import { certificateInfo, secureContextFor } from './certificate';
import {
  failedObservation,
  failureFromSocketError,
  observationBase,
  timeoutFailure,
  type ProbeFailure,
  type ProbeRun,
} from './probe-outcome';

/** Body bytes read for a body match; the rest is never read. */
export const bodyMatchLimitBytes = 64 * 1024;

const userAgent = 'failover-guard-probe';

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

function requestOptions(probe: HttpProbe, url: URL, secure: boolean): RequestOptions {
  // URL keeps the brackets of an IPv6 literal; sockets want the bare address.
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const options: RequestOptions & { servername?: string; rejectUnauthorized?: boolean; secureContext?: unknown } = {
    host,
    port: url.port || (secure ? 443 : 80),
    path: `${url.pathname}${url.search}`,
    method: probe.method,
    agent: false,
    headers: {
      host: probe.serverName ? (url.port ? `${probe.serverName}:${url.port}` : probe.serverName) : url.host,
      'user-agent': userAgent,
    },
  };
  if (secure) {
    // Verified by the probe on secureConnect, so a refused certificate's expiry can still be reported.
    options.rejectUnauthorized = false;
    options.secureContext = secureContextFor(probe.caPem);
    if (probe.serverName) options.servername = probe.serverName;
  }
  return options;
}

/**
 * Probes one HTTP(S) endpoint. Never throws; the connection is destroyed on every path.
 * `certificateWarningDays`: a certificate expiring within this many days is flagged expiringSoon.
 */
export function probeHttp(run: ProbeRun, probe: HttpProbe, certificateWarningDays: number): Promise<Observation> {
  const at = new Date().toISOString();
  const startedMs = performance.now();
  let url: URL;
  try {
    url = new URL(probe.url);
  } catch (error) {
    return Promise.resolve(
      failedObservation(run, probe.type, at, startedMs, { error: ProbeErrorCode.PROBE_ERROR, detail: `${probe.url} is not a URL (${(error as Error).message})` }),
    );
  }
  const secure = url.protocol === 'https:';

  return new Promise<Observation>((resolve) => {
    let settled = false;
    let certificate: CertificateInfo | undefined;
    let req: ClientRequest;

    const finish = (failure: ProbeFailure | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      const extra = certificate ? { certificate } : undefined;
      if (failure) {
        resolve(failedObservation(run, probe.type, at, startedMs, failure, extra));
        return;
      }
      const observation: Observation = { ...observationBase(run, probe.type, at, startedMs), ...extra, ok: true };
      if (probe.latencyBudgetMs !== undefined && observation.latencyMs > probe.latencyBudgetMs) {
        resolve({
          ...observation,
          ok: false,
          error: ProbeErrorCode.LATENCY_BUDGET_EXCEEDED,
          detail: `answered in ${observation.latencyMs} ms, over the ${probe.latencyBudgetMs} ms budget`,
        });
        return;
      }
      resolve(observation);
    };

    const timer = setTimeout(() => finish(timeoutFailure(run.timeoutMs)), run.timeoutMs);

    const onSecureConnect = function (this: TLSSocket) {
      certificate = certificateInfo(this, certificateWarningDays);
      if (probe.verifyTls && !this.authorized) finish(tlsVerificationFailure(this, tlsHostname(probe, url)));
    };

    const onResponse = (res: IncomingMessage) => {
      res.on('error', ignoreAfterSettled);
      const status = res.statusCode ?? 0;
      if (!statusExpected(status, probe.expectedStatus)) {
        finish({ error: `HTTP_${status}`, detail: `status ${status}${probe.expectedStatus ? `, expected one of ${probe.expectedStatus.join(', ')}` : ', expected 200–399'}` });
        return;
      }
      const match = probe.bodyMatch;
      if (!match || probe.method === 'HEAD') {
        finish(undefined);
        return;
      }
      const chunks: Buffer[] = [];
      let length = 0;
      const check = () => finish(bodyMismatch(Buffer.concat(chunks, length).toString('utf8', 0, Math.min(length, bodyMatchLimitBytes)), match));
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        length += chunk.length;
        if (length >= bodyMatchLimitBytes) check();
      });
      res.on('end', check);
    };

    try {
      req = (secure ? httpsRequest : httpRequest)(requestOptions(probe, url, secure), onResponse);
    } catch (error) {
      clearTimeout(timer);
      settled = true;
      resolve(failedObservation(run, probe.type, at, startedMs, failureFromSocketError(error)));
      return;
    }
    req.on('error', (error) => finish(failureFromSocketError(error)));
    if (secure) req.once('socket', (socket) => socket.once('secureConnect', onSecureConnect));
    req.end();
  });
}

/** The name the certificate must carry: the server name, else the URL's host. */
function tlsHostname(probe: HttpProbe, url: URL): string {
  return probe.serverName ?? (url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname);
}

function tlsVerificationFailure(socket: TLSSocket, hostname: string): ProbeFailure {
  const code = String(socket.authorizationError ?? 'UNKNOWN');
  const { error } = failureFromSocketError(Object.assign(new Error(code), { code }));
  const peer = socket.getPeerCertificate();
  if (error === ProbeErrorCode.TLS_HOSTNAME_MISMATCH) {
    return { error, detail: `the certificate is for ${peer.subjectaltname ?? peer.subject?.CN ?? 'another name'}, not ${hostname}; fix serverName or the certificate` };
  }
  if (error === ProbeErrorCode.TLS_CERT_EXPIRED) return { error, detail: `the certificate of ${hostname} expired on ${peer.valid_to}` };
  if (error === ProbeErrorCode.TLS_CERT_UNTRUSTED) {
    return { error, detail: `the certificate of ${hostname} is not trusted (${code}); add its CA as caPem, or fix the served chain` };
  }
  return { error: error === ProbeErrorCode.PROBE_ERROR ? ProbeErrorCode.TLS_ERROR : error, detail: `TLS verification of ${hostname} failed: ${code}` };
}

function ignoreAfterSettled(): void {
  // The response stream errors when the probe destroys it mid-body; the outcome is already decided.
}
