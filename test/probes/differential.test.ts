// Differential test: every response of the corpus, served by a raw loopback server that splits its
// bytes at random points (fast-check, fixed seed), judged by the probe and by Node's own client.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HttpProbe } from '../../lambdas/domain/config/schema';
import type { Observation } from '../../lambdas/domain/observation';
import { probeHttp } from '../../lambdas/probes/http.probe';
import { judgeWithNodeHttp, type Verdict } from './llhttp-oracle';
import { loopback, makeCertificate, refusedPort } from './loopback-servers';
import { httpProbe } from './probe-configs';
import { startHangUpServer, startRawServer, type RawServer } from './raw-response-server';
import { corpus, type CorpusCase, type Transport } from './response-corpus';

const seed = 20_261_126;
/** Split patterns tried per case; a case that stalls is judged once (each try waits out the timeout). */
const splitsPerCase = 3;
// A case that answers never waits this out, so it costs nothing to be generous: at 10 s, a redirect loop
// (six connections, each answer written in pieces) ran out on a 2-core machine at load 22.
const answerTimeoutMs = 60_000;
/** Several tries of a case, each of up to 6 connections, on a machine that may be busy. */
const caseTimeoutMs = 4 * answerTimeoutMs;
const stallTimeoutMs = 1_500;

type Certificate = { key: string; cert: string };
let certificates: Record<'trusted' | 'expired' | 'wrongName', Certificate>;
let closedPort: number;

beforeAll(async () => {
  const day = 86_400_000;
  const [trusted, expired, wrongName] = await Promise.all([
    makeCertificate({ commonName: 'localhost', altNames: [{ ip: loopback }] }),
    makeCertificate({
      commonName: 'localhost',
      altNames: [{ ip: loopback }],
      notBefore: new Date(Date.now() - 30 * day),
      notAfter: new Date(Date.now() - day),
    }),
    makeCertificate({ commonName: 'elsewhere.test', altNames: [{ dns: 'elsewhere.test' }] }),
  ]);
  certificates = { trusted, expired, wrongName };
  closedPort = await refusedPort();
});

/** The split offsets of each try of a case: random, reproducible. */
function splitPatterns(length: number, index: number, tries: number): number[][] {
  const offsets = fc
    .uniqueArray(fc.integer({ min: 1, max: Math.max(1, length - 1) }), { maxLength: 6 })
    .map((a) => a.sort((x, y) => x - y));
  return fc.sample(offsets, { seed: seed + index, numRuns: tries });
}

function certificateOf(transport: Transport): Certificate | undefined {
  if (transport === 'tls-expired') return certificates.expired;
  if (transport === 'tls-wrong-name') return certificates.wrongName;
  return transport.startsWith('tls-') ? certificates.trusted : undefined;
}

async function serve(testCase: CorpusCase, splits: readonly number[]): Promise<RawServer> {
  const transport = testCase.transport ?? 'plain';
  if (transport === 'tls-cut-in-handshake') return startHangUpServer();
  if (transport === 'tls-answered-in-plain-http')
    return startHangUpServer('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
  let port = 0;
  const server = await startRawServer({
    answer: (path) => {
      const bytes = testCase.routes[path] ?? testCase.routes['/'] ?? Buffer.alloc(0);
      const text = bytes.toString('latin1');
      const filled = text.includes('${')
        ? Buffer.from(text.replaceAll('${self}', String(port)).replaceAll('${closed}', String(closedPort)), 'latin1')
        : bytes;
      return { bytes: filled, ending: testCase.ending };
    },
    splits,
    tls: certificateOf(transport),
  });
  port = server.port;
  return server;
}

function probeFor(testCase: CorpusCase, port: number): HttpProbe {
  const transport = testCase.transport ?? 'plain';
  const scheme = transport === 'plain' ? 'http' : 'https';
  const trusts =
    transport === 'tls-untrusted'
      ? {}
      : { caPem: [certificates.trusted.cert, certificates.expired.cert, certificates.wrongName.cert].join('\n') };
  return httpProbe(`${scheme}://${loopback}:${port}/`, { ...trusts, ...testCase.probe });
}

function agreement(observation: Observation, verdict: Verdict): { ok: boolean; status: boolean } {
  const bothHaveStatus = observation.httpStatus !== undefined && verdict.status !== undefined;
  return { ok: observation.ok === verdict.ok, status: !bothHaveStatus || observation.httpStatus === verdict.status };
}

describe.concurrent('the probe against Node’s http client (llhttp) on raw responses split at random points', () => {
  it('has at least 40 responses', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(40);
  });

  it.each(corpus.map((testCase, index) => ({ ...testCase, index })))(
    '$name',
    async (testCase) => {
      const stalls = testCase.ending === 'hang' && testCase.error !== undefined;
      const timeoutMs = stalls ? stallTimeoutMs : answerTimeoutMs;
      const length = Math.max(...Object.values(testCase.routes).map((bytes) => bytes.length));
      for (const splits of splitPatterns(length, testCase.index, stalls ? 1 : splitsPerCase)) {
        // Prepare: one server per judge, so neither sees the other's connection
        const [forProbe, forOracle] = await Promise.all([serve(testCase, splits), serve(testCase, splits)]);
        try {
          // Act
          const [observation, verdict] = await Promise.all([
            probeHttp({ targetId: 'corpus', timeoutMs }, probeFor(testCase, forProbe.port), 14),
            judgeWithNodeHttp(probeFor(testCase, forOracle.port), timeoutMs),
          ]);
          // Assess: the probe's own verdict, then the oracle's agreement (or the documented difference)
          const context = `split at ${JSON.stringify(splits)}: probe ${observation.error ?? 'ok'} ${observation.detail ?? ''} (${observation.httpStatus}); node ${verdict.ok ? 'ok' : verdict.why} (${verdict.status})`;
          const errors = testCase.error === undefined ? [undefined] : [testCase.error].flat();
          expect(errors, context).toContain(observation.error);
          if (testCase.status !== undefined && (observation.ok || observation.httpStatus !== undefined))
            expect(observation.httpStatus, context).toBe(testCase.status);
          expect(agreement(observation, verdict), context).toEqual(
            testCase.differs ? { ok: false, status: true } : { ok: true, status: true },
          );
        } finally {
          await Promise.all([forProbe.close(), forOracle.close()]);
        }
      }
    },
    caseTimeoutMs,
  );
});
