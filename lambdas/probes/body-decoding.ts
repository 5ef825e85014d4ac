// A body sent with Content-Encoding (gzip, deflate, br), decoded for a body match, at most `limit` bytes.
import {
  createBrotliDecompress,
  createGunzip,
  createInflate,
  constants,
  type BrotliDecompress,
  type Gunzip,
  type Inflate,
} from 'node:zlib';

// A body cut at the read cap is a truncated stream: flush what decodes instead of calling it an error.
const decoders: Readonly<Record<string, () => Gunzip | Inflate | BrotliDecompress>> = {
  gzip: () => createGunzip({ finishFlush: constants.Z_SYNC_FLUSH }),
  'x-gzip': () => createGunzip({ finishFlush: constants.Z_SYNC_FLUSH }),
  deflate: () => createInflate({ finishFlush: constants.Z_SYNC_FLUSH }),
  br: () => createBrotliDecompress({ finishFlush: constants.BROTLI_OPERATION_FLUSH }),
};

function codings(contentEncoding: string | undefined): string[] {
  return (contentEncoding ?? '')
    .split(',')
    .map((coding) => coding.trim())
    .filter((coding) => coding !== '' && coding !== 'identity');
}

/**
 * The body with its codings undone (last applied, first undone), at most `limit` bytes; as sent when a
 * coding is unknown. Rejects when a coding's data is corrupt.
 */
export async function decodeBody(body: Buffer, contentEncoding: string | undefined, limit: number): Promise<Buffer> {
  const applied = codings(contentEncoding);
  if (!applied.every((coding) => coding in decoders)) return body;
  let decoded = body;
  for (const coding of applied.reverse()) decoded = await decodeOnce(decoded, coding, limit);
  return decoded;
}

function decodeOnce(input: Buffer, coding: string, limit: number): Promise<Buffer> {
  const decoder = (decoders[coding] as () => Gunzip | Inflate | BrotliDecompress)();
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let length = 0;
    const done = () => {
      decoder.destroy();
      resolve(Buffer.concat(parts, length).subarray(0, limit));
    };
    decoder.on('data', (part: Buffer) => {
      parts.push(part);
      length += part.length;
      if (length >= limit) done();
    });
    decoder.on('end', done);
    decoder.on('error', reject);
    decoder.end(input);
  });
}
