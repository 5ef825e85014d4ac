import { describe, expect, it } from 'vitest';
import { HttpResponseReader, type ReaderOptions } from '../../lambdas/probes/http-response-reader';

const defaults: ReaderOptions = { maxHeadBytes: 16 * 1024, maxBodyBytes: 1024, keepBody: true, headRequest: false };

/** Feeds `text` to a reader in pieces of `pieceSize` bytes, as a socket might deliver it. */
function read(
  text: string,
  { pieceSize = 7, close = false, ...options }: Partial<ReaderOptions> & { pieceSize?: number; close?: boolean } = {},
): HttpResponseReader {
  const reader = new HttpResponseReader({ ...defaults, ...options });
  const bytes = Buffer.from(text, 'latin1');
  for (let i = 0; i < bytes.length; i += pieceSize) reader.push(bytes.subarray(i, i + pieceSize));
  if (close) reader.end();
  return reader;
}

function outcome(reader: HttpResponseReader): [string, number | undefined, string] {
  return [reader.phase, reader.status, reader.body().toString('latin1')];
}

describe('HttpResponseReader', () => {
  it('reads the status and a Content-Length body to its end', () => {
    const reader = read('HTTP/1.1 200 OK\r\nContent-Length: 11\r\nContent-Type: text/plain\r\n\r\nhello world');
    expect(outcome(reader)).toEqual(['complete', 200, 'hello world']);
  });

  it('knows the status before the body has arrived, and is not complete until it has', () => {
    const reader = read('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial');
    expect(outcome(reader)).toEqual(['body', 200, 'partial']);
  });

  it('calls a body cut short by the server truncated, and a close-delimited body complete at the close', () => {
    expect(read('HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nabc', { close: true }).problem).toMatch(
      /after 3 body bytes/,
    );
    expect(outcome(read('HTTP/1.0 200 OK\r\n\r\nstill coming'))).toEqual(['body', 200, 'still coming']);
    expect(outcome(read('HTTP/1.0 200 OK\r\n\r\nall of it', { close: true }))).toEqual(['complete', 200, 'all of it']);
  });

  it('decodes a chunked body, extensions and trailers included, and completes at the terminator', () => {
    const reader = read(
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: 1\r\n\r\n',
      { pieceSize: 3 },
    );
    expect(outcome(reader)).toEqual(['complete', 200, 'hello world']);
    expect(read('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n').phase).toBe('body');
  });

  it('stops at the body cap, whatever the framing, and counts the body complete', () => {
    const long = 'x'.repeat(50);
    const capped = { maxBodyBytes: 10 };
    expect(outcome(read(`HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n${long}`, capped))).toEqual([
      'complete',
      200,
      'x'.repeat(10),
    ]);
    expect(outcome(read(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n32\r\n${long}`, capped))).toEqual([
      'complete',
      200,
      'x'.repeat(10),
    ]);
    expect(outcome(read(`HTTP/1.1 200 OK\r\n\r\n${long}`, capped))).toEqual(['complete', 200, 'x'.repeat(10)]);
  });

  it('reads no body after HEAD, 204 and 304, whatever the headers say', () => {
    expect(read('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n', { headRequest: true }).phase).toBe('complete');
    expect(read('HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n').phase).toBe('complete');
    expect(read('HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n').phase).toBe('complete');
  });

  it('skips 100 Continue and 103 Early Hints and reports the final status', () => {
    const reader = read(
      'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n',
    );
    expect(outcome(reader)).toEqual(['complete', 204, '']);
  });

  it('tolerates what llhttp tolerates: LF-only lines, folded headers, leading blank lines, any HTTP/d.d', () => {
    expect(outcome(read('HTTP/1.1 200 OK\nContent-Length: 2\n\nok', { pieceSize: 1 }))).toEqual([
      'complete',
      200,
      'ok',
    ]);
    expect(outcome(read('HTTP/1.1 200 OK\r\nX-A: a\r\nContent-Length:\r\n 2\r\n\r\nok'))).toEqual([
      'complete',
      200,
      'ok',
    ]);
    expect(outcome(read('\r\nHTTP/1.0 200\r\nContent-Length: 2\r\n\r\nok'))).toEqual(['complete', 200, 'ok']);
  });

  it('takes Transfer-Encoding over Content-Length, and accepts a repeated identical Content-Length', () => {
    expect(
      outcome(read('HTTP/1.1 200 OK\r\nContent-Length: 50\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n')),
    ).toEqual(['complete', 200, 'ok']);
    expect(outcome(read('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok'))).toEqual([
      'complete',
      200,
      'ok',
    ]);
  });

  it('keeps the Location and Content-Encoding of the final response', () => {
    const reader = read('HTTP/1.1 302 Found\r\nLocation: /next\r\nContent-Encoding: GZIP\r\nContent-Length: 0\r\n\r\n');
    expect([reader.status, reader.location, reader.contentEncoding]).toEqual([302, '/next', 'gzip']);
  });

  it.each([
    ['bytes that are not HTTP, as soon as they cannot begin "HTTP/"', 'SSH-2', /not an HTTP\/1.x response/],
    ['a status line without a 3-digit status', 'HTTP/1.1 20 OK\r\n\r\n', /not an HTTP\/1.x status line/],
    ['a header line without a colon', 'HTTP/1.1 200 OK\r\nBogus\r\n\r\n', /is not a header field/],
    [
      'two different Content-Lengths',
      'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok',
      /is not one length/,
    ],
    ['a negative Content-Length', 'HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n', /is not one length/],
    ['a bad chunk size', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', /not a hexadecimal length/],
    [
      'a chunk longer than its size',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokXX\r\n0\r\n\r\n',
      /longer than its size/,
    ],
  ])('calls %s malformed', (_what, text, reason) => {
    const reader = read(text);
    expect(reader.phase).toBe('malformed');
    expect(reader.problem).toMatch(reason);
  });

  it('holds the head cap however the head is split into packets', () => {
    const big = `HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(20 * 1024)}\r\nContent-Length: 2\r\n\r\nok`;
    for (const pieceSize of [big.length, 4096, 10 * 1024]) {
      expect(read(big, { pieceSize, maxHeadBytes: 64 * 1024 }).phase).toBe('complete');
      expect(read(big, { pieceSize, maxHeadBytes: 16 * 1024 }).problem).toMatch(/longer than 16384 bytes/);
    }
  });

  it('calls a connection closed before or within the head truncated', () => {
    expect(read('', { close: true }).problem).toMatch(/without answering/);
    expect(read('HTTP/1.1 200 OK\r\nContent-', { close: true }).problem).toMatch(/in the middle of the response head/);
  });
});
