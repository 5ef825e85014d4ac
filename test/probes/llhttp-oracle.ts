// The oracle of the differential test: Node's own http client (llhttp, lenient as with
// insecureHTTPParser), judging a response by the probe's rules: the status expected (after redirects
// as asked), the body complete or read to the cap, the body match on the decoded body.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';
import { brotliDecompressSync, constants, gunzipSync, inflateSync } from 'node:zlib';
import type { HttpProbe } from '../../lambdas/domain/config/schema';
import { maxHeadBytes, maxRedirects } from '../../lambdas/probes/http.probe';

export interface Verdict {
  readonly ok: boolean;
  /** The final response's status, when one was read. */
  readonly status?: number;
  readonly why: string;
}

const redirectStatuses = new Set([301, 302, 303, 307, 308]);

function decoded(body: Buffer, encoding: string | undefined): Buffer {
  const flush = { finishFlush: constants.Z_SYNC_FLUSH };
  switch (encoding?.toLowerCase()) {
    case 'gzip':
      return gunzipSync(body, flush);
    case 'deflate':
      return inflateSync(body, flush);
    case 'br':
      return brotliDecompressSync(body);
    default:
      return body;
  }
}

function bodyMatches(body: string, match: NonNullable<HttpProbe['bodyMatch']>): boolean {
  return 'substring' in match ? body.includes(match.substring) : new RegExp(match.regex).test(body);
}

function statusVerdict(status: number, probe: HttpProbe): Verdict | undefined {
  const expected = probe.expectedStatus ? probe.expectedStatus.includes(status) : status >= 200 && status <= 399;
  if (probe.redirects === 'fail' && redirectStatuses.has(status)) return { ok: false, status, why: 'a redirect' };
  return expected ? undefined : { ok: false, status, why: `status ${status}` };
}

/** Reads the body to its end or to the cap; the verdict on it. */
function bodyVerdict(response: IncomingMessage, probe: HttpProbe, settle: (verdict: Verdict) => void): void {
  const status = response.statusCode as number;
  const parts: Buffer[] = [];
  let length = 0;
  const verdict = (): Verdict => {
    if (!probe.bodyMatch || probe.method === 'HEAD') return { ok: true, status, why: 'complete' };
    try {
      const body = decoded(
        Buffer.concat(parts).subarray(0, probe.maxBodyBytes),
        response.headers['content-encoding'],
      ).toString('utf8');
      return { ok: bodyMatches(body, probe.bodyMatch), status, why: 'body judged' };
    } catch (error) {
      return { ok: false, status, why: `body not decodable: ${(error as Error).message}` };
    }
  };
  // Judged before the response is destroyed, whose 'aborted' would otherwise come first.
  const judge = () => {
    settle(verdict());
    response.destroy();
  };
  response.on('data', (part: Buffer) => {
    parts.push(part);
    length += part.length;
    if (length >= probe.maxBodyBytes) judge();
  });
  response.on('end', () => (response.complete ? judge() : settle({ ok: false, status, why: 'body incomplete' })));
  response.on('aborted', () => settle({ ok: false, status, why: 'aborted' }));
  response.on('error', (error) => settle({ ok: false, status, why: `body: ${error.message}` }));
  response.on('close', () => settle({ ok: false, status, why: 'closed before the end of the body' }));
}

/** Judges `probe.url` with node:http, following redirects as the probe's `redirects` says. */
export function judgeWithNodeHttp(probe: HttpProbe, timeoutMs: number): Promise<Verdict> {
  return new Promise((resolve) => {
    let settled = false;
    let hops = 0;
    const settle = (verdict: Verdict) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(verdict);
    };
    const timer = setTimeout(() => settle({ ok: false, why: 'timeout' }), timeoutMs);
    const ask = (url: URL) => {
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const request = send(url, {
        method: probe.method,
        agent: false,
        insecureHTTPParser: true,
        maxHeaderSize: maxHeadBytes,
        headers: { connection: 'close', ...(probe.serverName ? { host: probe.serverName } : {}) },
        ...(url.protocol === 'https:'
          ? { ca: [...rootCertificates, ...(probe.caPem ? [probe.caPem] : [])], rejectUnauthorized: probe.verifyTls }
          : {}),
      });
      request.on('error', (error) =>
        settle({ ok: false, why: `request: ${(error as NodeJS.ErrnoException).code ?? error.message}` }),
      );
      request.on('response', (response) => {
        const status = response.statusCode as number;
        const location = response.headers.location;
        if (probe.redirects === 'follow' && redirectStatuses.has(status) && location !== undefined) {
          response.destroy();
          hops += 1;
          if (hops > maxRedirects) settle({ ok: false, status, why: 'too many redirects' });
          else ask(new URL(location, url));
          return;
        }
        const failed = statusVerdict(status, probe);
        if (failed) {
          response.destroy();
          settle(failed);
        } else {
          bodyVerdict(response, probe, settle);
        }
      });
      request.setTimeout(timeoutMs, () => request.destroy());
      request.end();
    };
    ask(new URL(probe.url));
    // A timed-out verdict comes from the timer; the request it leaves is destroyed with the socket.
    timer.unref();
  });
}
