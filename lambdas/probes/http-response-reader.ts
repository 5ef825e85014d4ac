// Reads an HTTP/1.x response off a socket, only as far as a probe needs: the status of the final
// (non-1xx) response, then — when asked — the body up to a limit (Content-Length, chunked or until close).
// A probe needs no more of HTTP than this, and node:http's general client costs twice the CPU per probe.

const crlfcrlf = Buffer.from('\r\n\r\n', 'latin1');
const maxHeadBytes = 16 * 1024;
const statusLine = /^HTTP\/1\.[01] (\d{3})(?: |\r|$)/;

type BodyFraming = { readonly kind: 'length'; readonly length: number } | { readonly kind: 'chunked' } | { readonly kind: 'close' };

export class HttpResponseReader {
  /** Status of the final response, once its head is read. */
  status: number | undefined;
  /** The body (at most `bodyLimitBytes`, decoded as UTF-8), once read. */
  body: string | undefined;
  /** Why the bytes are not a readable HTTP response. */
  malformed: string | undefined;

  private pending: Buffer = Buffer.alloc(0);
  private framing: BodyFraming | undefined;
  private decoded: Buffer[] = [];
  private decodedBytes = 0;
  /** Chunked decoding: bytes of the current chunk still to copy (-1: a size line comes next). */
  private chunkLeft = -1;

  constructor(private readonly bodyLimitBytes: number) {}

  /** Feeds bytes from the socket; afterwards check status, body and malformed. */
  push(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    if (this.status === undefined) this.readHeads();
    if (this.status !== undefined && this.body === undefined && this.malformed === undefined) this.readBody();
  }

  /** The peer closed the connection. */
  end(): void {
    if (this.malformed !== undefined || this.body !== undefined) return;
    if (this.status === undefined) this.malformed = 'the connection closed before a complete response head';
    else if (this.framing?.kind === 'close') this.finishBody();
    else this.malformed = `the connection closed after ${this.decodedBytes} body bytes, before the end of the body`;
  }

  private readHeads(): void {
    // 1xx responses (103 Early Hints) come before the final one; skip them.
    while (this.status === undefined && this.malformed === undefined) {
      const end = this.pending.indexOf(crlfcrlf);
      if (end < 0) {
        if (this.pending.length > maxHeadBytes) this.malformed = `the response head is longer than ${maxHeadBytes} bytes`;
        return;
      }
      const head = this.pending.toString('latin1', 0, end);
      this.pending = this.pending.subarray(end + crlfcrlf.length);
      const match = statusLine.exec(head);
      if (!match) {
        this.malformed = `not an HTTP/1.x response: ${JSON.stringify(head.slice(0, 40))}`;
        return;
      }
      const status = Number(match[1]);
      if (status >= 200) {
        this.status = status;
        this.framing = status === 204 || status === 304 ? { kind: 'length', length: 0 } : framingOf(head);
      }
    }
  }

  private readBody(): void {
    const framing = this.framing as BodyFraming;
    if (framing.kind === 'chunked') {
      this.readChunks();
    } else {
      this.keep(this.pending);
      this.pending = Buffer.alloc(0);
    }
    const wanted = framing.kind === 'length' ? Math.min(framing.length, this.bodyLimitBytes) : this.bodyLimitBytes;
    if (this.decodedBytes >= wanted) this.finishBody();
  }

  private readChunks(): void {
    while (this.malformed === undefined && this.body === undefined) {
      if (this.chunkLeft < 0) {
        const lineEnd = this.pending.indexOf('\r\n', 0, 'latin1');
        if (lineEnd < 0) return;
        const size = Number.parseInt(this.pending.toString('latin1', 0, lineEnd).split(';', 1)[0] as string, 16);
        if (Number.isNaN(size)) {
          this.malformed = 'a chunk size line is not hexadecimal';
          return;
        }
        this.pending = this.pending.subarray(lineEnd + 2);
        if (size === 0) {
          this.finishBody();
          return;
        }
        this.chunkLeft = size;
      }
      // A chunk's data is followed by CRLF; wait for both.
      if (this.pending.length < this.chunkLeft + 2) {
        if (this.decodedBytes + this.pending.length >= this.bodyLimitBytes) {
          this.keep(this.pending.subarray(0, this.chunkLeft));
          this.finishBody();
        }
        return;
      }
      this.keep(this.pending.subarray(0, this.chunkLeft));
      this.pending = this.pending.subarray(this.chunkLeft + 2);
      this.chunkLeft = -1;
      if (this.decodedBytes >= this.bodyLimitBytes) this.finishBody();
    }
  }

  private keep(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.decoded.push(bytes);
    this.decodedBytes += bytes.length;
  }

  private finishBody(): void {
    const length = Math.min(this.decodedBytes, this.bodyLimitBytes);
    this.body = Buffer.concat(this.decoded, this.decodedBytes).toString('utf8', 0, length);
  }
}

function framingOf(head: string): BodyFraming {
  let contentLength: number | undefined;
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim().toLowerCase();
    if (name === 'transfer-encoding' && value.split(',').some((coding) => coding.trim() === 'chunked')) return { kind: 'chunked' };
    if (name === 'content-length' && /^\d+$/.test(value)) contentLength = Number(value);
  }
  return contentLength === undefined ? { kind: 'close' } : { kind: 'length', length: contentLength };
}
