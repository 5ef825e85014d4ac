import { describe, expect, it } from 'vitest';
import { HttpResponseReader } from '../../lambdas/probes/http-response-reader';

/** Feeds `text` to a reader in pieces of `pieceSize` bytes, as a socket might deliver it. */
function read(text: string, { pieceSize = 7, limit = 1024, close = false } = {}): HttpResponseReader {
  const reader = new HttpResponseReader(limit);
  const bytes = Buffer.from(text, 'latin1');
  for (let i = 0; i < bytes.length; i += pieceSize) reader.push(bytes.subarray(i, i + pieceSize));
  if (close) reader.end();
  return reader;
}

describe('HttpResponseReader', () => {
  it('reads the status and a Content-Length body', () => {
    const reader = read('HTTP/1.1 200 OK\r\nContent-Length: 11\r\nContent-Type: text/plain\r\n\r\nhello world');
    expect([reader.status, reader.body, reader.malformed]).toEqual([200, 'hello world', undefined]);
  });

  it('knows the status before the body has arrived', () => {
    const reader = read('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 100\r\n\r\npartial');
    expect([reader.status, reader.body]).toEqual([503, undefined]);
  });

  it('decodes a chunked body, chunk extensions included', () => {
    const reader = read('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\n\r\n', { pieceSize: 3 });
    expect(reader.body).toBe('hello world');
  });

  it('reads a body without length until the connection closes', () => {
    const open = read('HTTP/1.0 200 OK\r\n\r\nstill coming');
    const closed = read('HTTP/1.0 200 OK\r\n\r\nall of it', { close: true });
    expect(open.body).toBeUndefined();
    expect(closed.body).toBe('all of it');
  });

  it('stops at the body limit, whatever the framing', () => {
    const long = 'x'.repeat(50);
    expect(read(`HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n${long}`, { limit: 10 }).body).toBe('x'.repeat(10));
    expect(read(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n32\r\n${long}`, { limit: 10 }).body).toBe('x'.repeat(10));
    expect(read(`HTTP/1.1 200 OK\r\n\r\n${long}`, { limit: 10 }).body).toBe('x'.repeat(10));
  });

  it('skips 1xx interim responses and reports the final status', () => {
    const reader = read('HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n');
    expect([reader.status, reader.body]).toEqual([204, '']);
  });

  it.each([
    ['bytes that are not HTTP', 'SSH-2.0-OpenSSH_9.6\r\n\r\n', /not an HTTP\/1.x response/],
    ['a bad chunk size', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', /not hexadecimal/],
  ])('calls %s malformed', (_what, text, reason) => {
    expect(read(text).malformed).toMatch(reason);
  });

  it('calls a head longer than 16 KiB malformed', () => {
    expect(read(`HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(17 * 1024)}`, { pieceSize: 4096 }).malformed).toMatch(/longer than/);
  });

  it('calls a connection closed mid-head or mid-body malformed', () => {
    expect(read('HTTP/1.1 200 OK\r\nContent-', { close: true }).malformed).toMatch(/before a complete response head/);
    expect(read('HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nabc', { close: true }).malformed).toMatch(/after 3 body bytes/);
  });
});
