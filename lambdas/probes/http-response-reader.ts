// Reads an HTTP/1.x response off a socket as a probe needs it: the final (non-1xx) response's head,
// then its body to the end (Content-Length, chunked terminator or close) or to a cap, whichever is first.
// As tolerant as Node's own parser (llhttp) in lenient mode: LF-only line ends, folded headers, any
// HTTP/d.d version, leading blank lines; the head cap holds however the bytes are split into packets.
// node:http's general client costs about twice the CPU per probe, so the probe has this one.

const lf = 0x0a;
const cr = 0x0d;
const httpPrefix = Buffer.from('HTTP/', 'latin1');
const statusLine = /^HTTP\/\d\.\d (\d{3})(?: [^\r]*)?$/;
const headerName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const chunkSize = /^[0-9A-Fa-f]+$/;
/** Longest chunk-size line (extensions included) read before calling it malformed. */
const maxChunkLineBytes = 4096;

export interface ReaderOptions {
  /** Bytes of one response head (status line and headers) before it is malformed. */
  readonly maxHeadBytes: number;
  /** Body bytes read; past them the body counts as complete and reading stops. */
  readonly maxBodyBytes: number;
  /** Keep the body bytes read (for a body match); otherwise they are only counted. */
  readonly keepBody: boolean;
  /** The request was HEAD: no response carries a body. */
  readonly headRequest: boolean;
}

/** What the reader knows so far. `body`: head read, body under way. */
export type ReaderPhase = 'head' | 'body' | 'complete' | 'malformed' | 'truncated';

type Framing = 'none' | 'length' | 'chunked' | 'close';
type ChunkStep = 'size' | 'data' | 'data-end' | 'trailers';

export class HttpResponseReader {
  phase: ReaderPhase = 'head';
  /** Status of the final response, once its head is read. */
  status: number | undefined;
  /** The Location header of the final response. */
  location: string | undefined;
  /** The Content-Encoding header of the final response, lower-cased. */
  contentEncoding: string | undefined;
  /** Why the bytes are not a readable, complete response (phase malformed or truncated). */
  problem: string | undefined;
  /** Body bytes read (after chunked decoding). */
  bodyBytes = 0;

  private pending: Buffer = Buffer.alloc(0);
  /** Where the search for the end of the head resumes in `pending`. */
  private scanFrom = 0;
  private framing: Framing = 'none';
  private wanted = 0;
  private kept: Buffer[] = [];
  private chunkStep: ChunkStep = 'size';
  private chunkLeft = 0;
  private trailerBytes = 0;

  constructor(private readonly options: ReaderOptions) {}

  /** The body bytes kept (when keepBody), at most maxBodyBytes. */
  body(): Buffer {
    const body = this.kept.length === 1 ? (this.kept[0] as Buffer) : Buffer.concat(this.kept);
    return body.length > this.options.maxBodyBytes ? body.subarray(0, this.options.maxBodyBytes) : body;
  }

  /** Feeds bytes from the socket; then check phase. */
  push(chunk: Buffer): void {
    if (this.phase === 'head') {
      this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
      if (!this.readHeads()) return;
      chunk = this.pending;
      this.pending = Buffer.alloc(0);
    }
    if (this.phase === 'body') this.readBody(chunk);
  }

  /** The peer closed the connection (FIN). */
  end(): void {
    if (this.phase === 'head') {
      this.fail(
        'truncated',
        this.pending.length === 0
          ? 'the server closed the connection without answering'
          : 'the server closed the connection in the middle of the response head',
      );
    } else if (this.phase === 'body') {
      if (this.framing === 'close') this.phase = 'complete';
      else
        this.fail(
          'truncated',
          `the server closed the connection after ${this.bodyBytes} body bytes, before the end of the body`,
        );
    }
  }

  private fail(phase: 'malformed' | 'truncated', problem: string): void {
    this.phase = phase;
    this.problem = problem;
  }

  /** Reads heads up to the final one's; true when its body comes next. */
  private readHeads(): boolean {
    while (this.phase === 'head') {
      const start = this.skipLeadingBlankLines();
      if (!this.startsLikeHttp(start)) return false;
      const end = this.headEnd(start);
      // Judged on the head's whole length, not on how its bytes were split into packets.
      if ((end < 0 ? this.pending.length : end) - start > this.options.maxHeadBytes) {
        this.fail('malformed', `the response head is longer than ${this.options.maxHeadBytes} bytes`);
        return false;
      }
      if (end < 0) return false;
      const head = this.pending.toString('latin1', start, end);
      this.pending = this.pending.subarray(end);
      this.scanFrom = 0;
      this.readHead(head);
    }
    return this.phase === 'body';
  }

  /** Blank lines before a status line are skipped (as llhttp does); returns where the status line starts. */
  private skipLeadingBlankLines(): number {
    let start = 0;
    while (start < this.pending.length && (this.pending[start] === cr || this.pending[start] === lf)) start += 1;
    return start;
  }

  /** False, and malformed, as soon as the bytes cannot begin "HTTP/" (an SSH banner fails at once). */
  private startsLikeHttp(start: number): boolean {
    const length = Math.min(httpPrefix.length, this.pending.length - start);
    if (length === 0) return false;
    if (this.pending.compare(httpPrefix, 0, length, start, start + length) === 0) return true;
    this.fail(
      'malformed',
      `not an HTTP/1.x response: ${JSON.stringify(this.pending.toString('latin1', start, start + 40))}`,
    );
    return false;
  }

  /** Offset just past the blank line ending the head ("\n\n" or "\n\r\n"), or -1 when not yet there. */
  private headEnd(start: number): number {
    const bytes = this.pending;
    let at = Math.max(start, this.scanFrom);
    for (;;) {
      const newline = bytes.indexOf(lf, at);
      if (newline < 0 || newline + 1 >= bytes.length) {
        this.scanFrom = newline < 0 ? bytes.length : newline;
        return -1;
      }
      const next = bytes[newline + 1];
      if (next === lf) return newline + 2;
      if (next === cr) {
        if (newline + 2 >= bytes.length) {
          this.scanFrom = newline;
          return -1;
        }
        if (bytes[newline + 2] === lf) return newline + 3;
      }
      at = newline + 1;
    }
  }

  private readHead(head: string): void {
    const lines = head.split('\n');
    const match = statusLine.exec(stripCr(lines[0] as string));
    if (!match) {
      this.fail('malformed', `not an HTTP/1.x status line: ${JSON.stringify(lines[0]?.slice(0, 60))}`);
      return;
    }
    const status = Number(match[1]);
    const fields = headerFields(lines);
    if (typeof fields === 'string') {
      this.fail('malformed', fields);
      return;
    }
    // 1xx responses (100 Continue, 103 Early Hints) come before the final one; 101 would switch protocols.
    if (status >= 100 && status < 200 && status !== 101) return;
    this.status = status;
    this.location = fields.get('location')?.split('\n', 1)[0];
    this.contentEncoding = fields.get('content-encoding')?.replaceAll('\n', ',').toLowerCase();
    this.frame(status, fields);
  }

  private frame(status: number, fields: ReadonlyMap<string, string>): void {
    const { maxBodyBytes, headRequest } = this.options;
    const transferEncoding = fields.get('transfer-encoding');
    const contentLength = fields.get('content-length');
    if (headRequest || status === 204 || status === 304 || status < 200) {
      this.framing = 'none';
    } else if (transferEncoding !== undefined) {
      // Transfer-Encoding wins over Content-Length; a last coding other than chunked runs to the close.
      const codings = transferEncoding.toLowerCase().split(/[,\n]/);
      this.framing = codings[codings.length - 1]?.trim() === 'chunked' ? 'chunked' : 'close';
    } else if (contentLength !== undefined) {
      const lengths = new Set(contentLength.split('\n').map((value) => value.trim()));
      const [length] = lengths;
      if (lengths.size > 1 || !/^\d{1,15}$/.test(length as string)) {
        this.fail(
          'malformed',
          `Content-Length ${JSON.stringify(contentLength.replaceAll('\n', ', '))} is not one length`,
        );
        return;
      }
      this.framing = 'length';
      this.wanted = Math.min(Number(length), maxBodyBytes);
    } else {
      this.framing = 'close';
    }
    if (this.framing === 'close') this.wanted = maxBodyBytes;
    this.phase =
      this.framing === 'none' || (this.framing === 'length' && this.wanted === 0) || maxBodyBytes === 0
        ? 'complete'
        : 'body';
  }

  private readBody(chunk: Buffer): void {
    if (this.framing === 'chunked') {
      this.readChunks(chunk);
      return;
    }
    this.keep(chunk.length > this.wanted - this.bodyBytes ? chunk.subarray(0, this.wanted - this.bodyBytes) : chunk);
    if (this.bodyBytes >= this.wanted) this.phase = 'complete';
  }

  private readChunks(chunk: Buffer): void {
    let bytes = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    this.pending = Buffer.alloc(0);
    while (this.phase === 'body' && bytes.length > 0) {
      if (this.chunkStep === 'data') {
        const take = Math.min(this.chunkLeft, bytes.length);
        this.keep(bytes.subarray(0, take));
        bytes = bytes.subarray(take);
        this.chunkLeft -= take;
        if (this.bodyBytes >= this.options.maxBodyBytes) this.phase = 'complete';
        else if (this.chunkLeft === 0) this.chunkStep = 'data-end';
        continue;
      }
      const newline = bytes.indexOf(lf);
      if (newline < 0) {
        if (bytes.length > maxChunkLineBytes)
          this.fail('malformed', `a chunk line is longer than ${maxChunkLineBytes} bytes`);
        else this.pending = bytes;
        return;
      }
      this.chunkLine(stripCr(bytes.toString('latin1', 0, newline)), newline + 1);
      bytes = bytes.subarray(newline + 1);
    }
  }

  /** One line of chunked framing: a size line, the end of a chunk's data, or a trailer. */
  private chunkLine(line: string, lineBytes: number): void {
    if (this.chunkStep === 'data-end') {
      if (line === '') this.chunkStep = 'size';
      else this.fail('malformed', 'a chunk is longer than its size says');
    } else if (this.chunkStep === 'trailers') {
      this.trailerBytes += lineBytes;
      if (line === '') this.phase = 'complete';
      else if (this.trailerBytes > this.options.maxHeadBytes)
        this.fail('malformed', `the trailers are longer than ${this.options.maxHeadBytes} bytes`);
    } else {
      const size = (line.split(';', 1)[0] as string).trim();
      if (!chunkSize.test(size) || size.length > 12) {
        this.fail('malformed', `chunk size ${JSON.stringify(size.slice(0, 20))} is not a hexadecimal length`);
        return;
      }
      this.chunkLeft = Number.parseInt(size, 16);
      this.chunkStep = this.chunkLeft === 0 ? 'trailers' : 'data';
    }
  }

  private keep(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.bodyBytes += bytes.length;
    if (this.options.keepBody) this.kept.push(bytes);
  }
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/**
 * The header fields a probe reads, by lower-case name (repeated fields joined by "\n"), with folded
 * lines joined to the field they continue; or why the head is malformed.
 */
function headerFields(lines: readonly string[]): Map<string, string> | string {
  const fields = new Map<string, string>();
  let last: string | undefined;
  // The head ends with a blank line: lines[length - 1] is "" and lines[length - 2] is "" or "\r".
  for (let i = 1; i < lines.length - 2; i += 1) {
    const line = stripCr(lines[i] as string);
    if (line.includes('\r')) return 'a header line holds a bare CR';
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (last !== undefined && fields.has(last)) fields.set(last, `${fields.get(last)} ${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trimEnd().toLowerCase() : '';
    if (!headerName.test(name)) return `${JSON.stringify(line.slice(0, 60))} is not a header field`;
    last = relevantFields.has(name) ? name : undefined;
    if (last === undefined) continue;
    const value = line.slice(colon + 1).trim();
    const seen = fields.get(name);
    fields.set(name, seen === undefined ? value : `${seen}\n${value}`);
  }
  return fields;
}

const relevantFields = new Set(['content-length', 'transfer-encoding', 'location', 'content-encoding']);
