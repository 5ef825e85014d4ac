// Raw HTTP responses real servers send, each with the probe's verdict. The differential test serves
// each one split at random points and checks the probe against Node's own client (llhttp); where they
// are meant to disagree, `differs` says why (docs/probes.md lists the same differences).
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import type { z } from 'zod';
import type { probeSchema } from '../../lambdas/domain/config/schema';
import type { Ending } from './raw-response-server';

type ProbeFields = Partial<Omit<z.input<typeof probeSchema> & { type: 'http' }, 'type' | 'url'>>;

/** How the case is served: plain raw bytes, or over TLS with a certificate of some kind. */
export type Transport =
  | 'plain'
  | 'tls-trusted'
  | 'tls-untrusted'
  | 'tls-expired'
  | 'tls-wrong-name'
  | 'tls-cut-in-handshake'
  | 'tls-answered-in-plain-http';

export interface CorpusCase {
  readonly name: string;
  /** Answer by request path ('/' first); `${self}` is this server's port, `${closed}` a port nothing listens on. */
  readonly routes: Readonly<Record<string, Buffer>>;
  readonly ending: Ending;
  readonly probe?: ProbeFields;
  readonly transport?: Transport;
  /** The probe's verdict: its error code (one of them where timing decides), none when ok. */
  readonly error?: string | readonly string[];
  /** The final status the probe reports. */
  readonly status?: number;
  /** Why Node's client judges it otherwise (the probe follows curl there). */
  readonly differs?: string;
}

const bytes = (text: string) => Buffer.from(text, 'latin1');
const ok = bytes('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok');
const statusJson = Buffer.from('{"status":"green","checks":["db","cache"]}');

function withBody(head: string, body: Buffer): Buffer {
  return Buffer.concat([bytes(head), body]);
}

function chunked(body: Buffer, size: number): Buffer {
  const parts: Buffer[] = [];
  for (let at = 0; at < body.length; at += size) {
    const piece = body.subarray(at, at + size);
    parts.push(bytes(`${piece.length.toString(16)}\r\n`), piece, bytes('\r\n'));
  }
  return Buffer.concat([...parts, bytes('0\r\n\r\n')]);
}

const one = (response: Buffer | string) => ({ '/': typeof response === 'string' ? bytes(response) : response });
const green = { bodyMatch: { substring: '"green"' } };
const gzipped = gzipSync(statusJson);

export const corpus: readonly CorpusCase[] = [
  // The cases of issue 12, where the probe once disagreed with curl and the exporter.
  {
    name: 'Content-Length 100, head only, then silence',
    routes: one('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n'),
    ending: 'hang',
    error: ['HTTP_BODY_TIMEOUT', 'ETIMEDOUT'],
    status: 200,
  },
  {
    name: 'Content-Length 100, 10 body bytes, then RST',
    routes: one(`HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n${'x'.repeat(10)}`),
    ending: 'reset',
    error: ['HTTP_BODY_TRUNCATED', 'ECONNRESET'],
    status: 200,
  },
  {
    name: 'Content-Length 100, 10 body bytes, then FIN',
    routes: one(`HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n${'x'.repeat(10)}`),
    ending: 'close',
    error: 'HTTP_BODY_TRUNCATED',
    status: 200,
  },
  {
    name: 'no Content-Length, the connection never closes',
    routes: one('HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html>'),
    ending: 'hang',
    error: ['HTTP_BODY_TIMEOUT', 'ETIMEDOUT'],
    status: 200,
  },
  {
    name: '302 to a closed port',
    routes: one('HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:${closed}/\r\nContent-Length: 0\r\n\r\n'),
    ending: 'close',
    error: 'ECONNREFUSED',
  },
  {
    name: '301 to a page that answers 503',
    routes: {
      '/': bytes('HTTP/1.1 301 Moved Permanently\r\nLocation: /down\r\nContent-Length: 0\r\n\r\n'),
      '/down': bytes('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\ndown'),
    },
    ending: 'close',
    error: 'HTTP_503',
    status: 503,
  },
  {
    name: 'LF-only line endings',
    routes: one('HTTP/1.1 200 OK\nContent-Length: 2\n\nok'),
    ending: 'close',
    status: 200,
  },
  {
    name: 'a 20 KiB head',
    routes: one(`HTTP/1.1 200 OK\r\nSet-Cookie: session=${'a'.repeat(20 * 1024)}\r\nContent-Length: 2\r\n\r\nok`),
    ending: 'close',
    status: 200,
  },
  {
    name: '302 to a healthy page, 2xx expected',
    routes: {
      '/': bytes('HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:${self}/healthy\r\nContent-Length: 0\r\n\r\n'),
      '/healthy': ok,
    },
    ending: 'close',
    probe: { expectedStatus: [200] },
    status: 200,
  },
  { name: 'an SSH banner', routes: one('SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n'), ending: 'hang', error: 'HTTP_MALFORMED' },

  // Framing: Content-Length, chunked, close.
  { name: 'a Content-Length body', routes: one(ok), ending: 'close', status: 200 },
  { name: 'a Content-Length body, then the connection stays open', routes: one(ok), ending: 'hang', status: 200 },
  {
    name: 'HTTP/1.0 without a length, ended by the close',
    routes: one('HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nall good'),
    ending: 'close',
    status: 200,
  },
  {
    name: 'a chunked body',
    routes: one(withBody('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n', chunked(statusJson, 7))),
    ending: 'hang',
    probe: green,
    status: 200,
  },
  {
    name: 'chunk extensions and trailers',
    routes: one(
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2;name=value\r\nok\r\n0\r\nX-Checksum: 1\r\n\r\n',
    ),
    ending: 'hang',
    status: 200,
  },
  {
    name: 'a chunked body without its last chunk, then FIN',
    routes: one('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n'),
    ending: 'close',
    error: 'HTTP_BODY_TRUNCATED',
    status: 200,
  },
  {
    name: 'a chunked body without its last chunk, then silence',
    routes: one('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n'),
    ending: 'hang',
    error: ['HTTP_BODY_TIMEOUT', 'ETIMEDOUT'],
    status: 200,
  },
  {
    name: 'a chunk size that is not hexadecimal',
    routes: one('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nok\r\n0\r\n\r\n'),
    ending: 'close',
    error: 'HTTP_MALFORMED',
    status: 200,
  },
  {
    name: 'a chunk size that overflows',
    routes: one('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffffff\r\nok\r\n0\r\n\r\n'),
    ending: 'close',
    error: 'HTTP_MALFORMED',
    status: 200,
  },
  {
    name: 'a chunk longer than its size',
    routes: one('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokXX\r\n0\r\n\r\n'),
    ending: 'close',
    error: 'HTTP_MALFORMED',
    status: 200,
  },
  {
    name: 'chunked framing with LF-only lines',
    routes: one('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\nok\n0\n\n'),
    ending: 'close',
    status: 200,
    differs:
      'llhttp (lenient) does not take a bare LF as the end of a chunk line and calls the body incomplete; curl does, and so does the probe',
  },
  {
    name: 'Transfer-Encoding chunked and a Content-Length',
    routes: one('HTTP/1.1 200 OK\r\nContent-Length: 50\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n'),
    ending: 'hang',
    status: 200,
  },
  {
    name: 'Transfer-Encoding other than chunked, ended by the close',
    routes: one('HTTP/1.1 200 OK\r\nTransfer-Encoding: identity\r\n\r\nall good'),
    ending: 'close',
    status: 200,
  },
  {
    name: 'the same Content-Length twice',
    routes: one('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok'),
    ending: 'close',
    status: 200,
    differs:
      'llhttp refuses any repeated Content-Length; RFC 9110 §8.6 allows identical values, and curl and Go (the exporter) accept them, as the probe does',
  },
  {
    name: 'two different Content-Lengths',
    routes: one('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok'),
    ending: 'close',
    error: 'HTTP_MALFORMED',
    status: 200,
  },
  {
    name: 'a Content-Length that is not a number',
    routes: one('HTTP/1.1 200 OK\r\nContent-Length: two\r\n\r\nok'),
    ending: 'close',
    error: 'HTTP_MALFORMED',
    status: 200,
  },
  {
    name: 'a Content-Length padded with spaces',
    routes: one('HTTP/1.1 200 OK\r\nContent-Length:    2   \r\n\r\nok'),
    ending: 'hang',
    status: 200,
  },
  {
    name: 'a body larger than the cap, read to the cap',
    routes: one(withBody('HTTP/1.1 200 OK\r\nContent-Length: 204800\r\n\r\n', Buffer.alloc(204_800, 'z'))),
    ending: 'hang',
    status: 200,
  },
  {
    name: 'an endless body, read to the cap',
    routes: one(withBody('HTTP/1.1 200 OK\r\n\r\n', Buffer.alloc(80 * 1024, 'z'))),
    ending: 'hang',
    status: 200,
  },

  // Heads.
  {
    name: '100 Continue before the answer',
    routes: one(`HTTP/1.1 100 Continue\r\n\r\n${ok.toString('latin1')}`),
    ending: 'close',
    status: 200,
  },
  {
    name: '103 Early Hints before the answer',
    routes: one(`HTTP/1.1 103 Early Hints\r\nLink: </app.css>; rel=preload\r\n\r\n${ok.toString('latin1')}`),
    ending: 'close',
    status: 200,
  },
  {
    name: 'a folded header',
    routes: one('HTTP/1.1 200 OK\r\nX-Long: first\r\n  second\r\nContent-Length: 2\r\n\r\nok'),
    ending: 'close',
    status: 200,
  },
  {
    name: 'a status line without a reason',
    routes: one('HTTP/1.1 200\r\nContent-Length: 2\r\n\r\nok'),
    ending: 'close',
    status: 200,
  },
  {
    name: 'blank lines before the status line',
    routes: one(`\r\n\r\n${ok.toString('latin1')}`),
    ending: 'close',
    status: 200,
  },
  {
    name: 'a head of 100 KiB',
    routes: one(`HTTP/1.1 200 OK\r\nX-Huge: ${'h'.repeat(100 * 1024)}\r\nContent-Length: 2\r\n\r\nok`),
    ending: 'close',
    error: 'HTTP_MALFORMED',
  },
  {
    name: 'a header line without a colon',
    routes: one('HTTP/1.1 200 OK\r\nBroken header\r\nContent-Length: 2\r\n\r\nok'),
    ending: 'close',
    error: 'HTTP_MALFORMED',
  },
  {
    name: 'CR-only line endings',
    routes: one('HTTP/1.1 200 OK\rContent-Length: 2\r\rok'),
    ending: 'close',
    error: ['HTTP_MALFORMED', 'ECONNRESET'],
  },
  {
    name: 'two spaces before the status',
    routes: one('HTTP/1.1  200 OK\r\nContent-Length: 2\r\n\r\nok'),
    ending: 'close',
    error: 'HTTP_MALFORMED',
  },
  {
    name: 'a lower-case protocol name',
    routes: one('http/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'),
    ending: 'hang',
    error: 'HTTP_MALFORMED',
  },
  { name: 'text that is not HTTP', routes: one('hello there\r\n\r\n'), ending: 'hang', error: 'HTTP_MALFORMED' },
  {
    name: 'a status of 600',
    routes: one('HTTP/1.1 600 Odd\r\nContent-Length: 2\r\n\r\nok'),
    ending: 'close',
    error: 'HTTP_600',
    status: 600,
  },
  {
    name: 'a 204 with a Content-Length',
    routes: one('HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n'),
    ending: 'hang',
    status: 204,
  },
  {
    name: 'HEAD answered with a Content-Length and no body',
    routes: one('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n'),
    ending: 'hang',
    probe: { method: 'HEAD' },
    status: 200,
  },

  // Statuses and bodies.
  {
    name: 'a 503',
    routes: one('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\ndown'),
    ending: 'close',
    error: 'HTTP_503',
    status: 503,
  },
  {
    name: 'a 500 whose body stalls',
    routes: one('HTTP/1.1 500 Internal Server Error\r\nContent-Length: 100\r\n\r\nerr'),
    ending: 'hang',
    error: 'HTTP_500',
    status: 500,
  },
  {
    name: 'a body holding the substring',
    routes: one(withBody(`HTTP/1.1 200 OK\r\nContent-Length: ${statusJson.length}\r\n\r\n`, statusJson)),
    ending: 'close',
    probe: green,
    status: 200,
  },
  {
    name: 'a body without the substring',
    routes: one('HTTP/1.1 200 OK\r\nContent-Length: 17\r\n\r\n{"status":"red"}\n'),
    ending: 'close',
    probe: green,
    error: 'BODY_MISMATCH',
    status: 200,
  },
  {
    name: 'a gzip body matching',
    routes: one(
      withBody(`HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: ${gzipped.length}\r\n\r\n`, gzipped),
    ),
    ending: 'close',
    probe: green,
    status: 200,
  },
  {
    name: 'a gzip body not matching',
    routes: one(
      withBody(`HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: ${gzipped.length}\r\n\r\n`, gzipped),
    ),
    ending: 'close',
    probe: { bodyMatch: { regex: '"status":"red"' } },
    error: 'BODY_MISMATCH',
    status: 200,
  },
  {
    name: 'a chunked gzip body matching',
    routes: one(
      withBody('HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n', chunked(gzipped, 10)),
    ),
    ending: 'hang',
    probe: green,
    status: 200,
  },
  {
    name: 'a corrupt gzip body',
    routes: one(
      withBody(
        'HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 12\r\n\r\n',
        bytes('not gzip at all'.slice(0, 12)),
      ),
    ),
    ending: 'close',
    probe: green,
    error: 'BODY_MISMATCH',
    status: 200,
  },
  {
    name: 'a deflate body matching',
    routes: one(
      withBody(
        `HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\nContent-Length: ${deflateSync(statusJson).length}\r\n\r\n`,
        deflateSync(statusJson),
      ),
    ),
    ending: 'close',
    probe: green,
    status: 200,
  },
  {
    name: 'a br body matching',
    routes: one(
      withBody(
        `HTTP/1.1 200 OK\r\nContent-Encoding: br\r\nContent-Length: ${brotliCompressSync(statusJson).length}\r\n\r\n`,
        brotliCompressSync(statusJson),
      ),
    ),
    ending: 'close',
    probe: green,
    status: 200,
  },

  // Early ends.
  { name: 'a close before any byte', routes: one(''), ending: 'close', error: 'ECONNRESET' },
  { name: 'a reset before any byte', routes: one(''), ending: 'reset', error: 'ECONNRESET' },
  {
    name: 'a close in the middle of the head',
    routes: one('HTTP/1.1 200 OK\r\nContent-Le'),
    ending: 'close',
    error: 'ECONNRESET',
  },

  // Redirects.
  {
    name: 'a redirect loop',
    routes: one('HTTP/1.1 307 Temporary Redirect\r\nLocation: /\r\nContent-Length: 0\r\n\r\n'),
    ending: 'close',
    error: 'HTTP_TOO_MANY_REDIRECTS',
    status: 307,
  },
  {
    name: 'a redirect with redirects "fail"',
    routes: one('HTTP/1.1 302 Found\r\nLocation: /login\r\nContent-Length: 0\r\n\r\n'),
    ending: 'close',
    probe: { redirects: 'fail' },
    error: 'HTTP_302',
    status: 302,
  },
  {
    name: 'a redirect with redirects "accept"',
    routes: one('HTTP/1.1 302 Found\r\nLocation: /login\r\nContent-Length: 0\r\n\r\n'),
    ending: 'close',
    probe: { redirects: 'accept' },
    status: 302,
  },

  // TLS.
  { name: 'TLS with a trusted certificate', routes: one(ok), ending: 'close', transport: 'tls-trusted', status: 200 },
  {
    name: 'TLS with a trusted certificate, body cut short',
    routes: one('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nok'),
    ending: 'close',
    transport: 'tls-trusted',
    error: 'HTTP_BODY_TRUNCATED',
    status: 200,
  },
  {
    name: 'TLS with an untrusted certificate',
    routes: one(ok),
    ending: 'close',
    transport: 'tls-untrusted',
    error: 'TLS_CERT_UNTRUSTED',
  },
  {
    name: 'TLS with an expired certificate',
    routes: one(ok),
    ending: 'close',
    transport: 'tls-expired',
    error: 'TLS_CERT_EXPIRED',
  },
  {
    name: 'TLS with a certificate for another name',
    routes: one(ok),
    ending: 'close',
    transport: 'tls-wrong-name',
    error: 'TLS_HOSTNAME_MISMATCH',
  },
  {
    name: 'TLS cut off in the handshake',
    routes: one(ok),
    ending: 'close',
    transport: 'tls-cut-in-handshake',
    error: 'ECONNRESET',
  },
  {
    name: 'TLS answered in plain HTTP',
    routes: one(ok),
    ending: 'close',
    transport: 'tls-answered-in-plain-http',
    error: 'TLS_ERROR',
  },
];
