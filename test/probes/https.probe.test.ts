import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeHttp } from '../../lambdas/probes/http.probe';
import {
  expectNothingOpen,
  loopback,
  makeCertificate,
  startHttpsServer,
  startSilentListener,
  type RunningServer,
} from './loopback-servers';
import { httpProbe } from './probe-configs';

const day = 86_400_000;
const run = { targetId: 'nlb-a', timeoutMs: 2_000 };

interface Site {
  readonly server: RunningServer;
  readonly cert: string;
  readonly url: string;
}

async function site(certificate: Parameters<typeof makeCertificate>[0]): Promise<Site> {
  const tls = await makeCertificate(certificate);
  const server = await startHttpsServer(tls, (_req, res) => res.end('ok'));
  return { server, cert: tls.cert, url: `https://${loopback}:${server.port}/healthz` };
}

let valid: Site;
let expired: Site;
let expiringSoon: Site;
let otherName: Site;
let named: Site;

beforeAll(async () => {
  [valid, expired, expiringSoon, otherName, named] = await Promise.all([
    site({ commonName: 'loopback', altNames: [{ ip: loopback }] }),
    site({
      commonName: 'loopback',
      altNames: [{ ip: loopback }],
      notBefore: new Date(Date.now() - 30 * day),
      notAfter: new Date(Date.now() - 2 * day),
    }),
    site({
      commonName: 'loopback',
      altNames: [{ ip: loopback }],
      notAfter: new Date(Date.now() + 5 * day + 3_600_000),
    }),
    site({ commonName: 'other.test', altNames: [{ dns: 'other.test' }] }),
    site({ commonName: 'www.shop.test', altNames: [{ dns: 'www.shop.test' }] }),
  ]);
});

afterAll(async () => {
  await Promise.all([valid, expired, expiringSoon, otherName, named].map((s) => s?.server.close()));
});

describe('probeHttp over TLS', () => {
  it('trusts a certificate signed by the configured caPem and reports its days left', async () => {
    // Act
    const observation = await probeHttp(run, httpProbe(valid.url, { caPem: valid.cert }), 14);
    // Assess
    expect(observation).toMatchObject({ ok: true, kind: 'https', certificate: { daysLeft: 364, expiringSoon: false } });
    expect(Date.parse(observation.certificate?.validTo ?? '')).toBeGreaterThan(Date.now());
    await expectNothingOpen(valid.server);
  });

  it('fails a certificate no trusted CA signed with TLS_CERT_UNTRUSTED', async () => {
    const observation = await probeHttp(run, httpProbe(valid.url), 14);
    expect(observation).toMatchObject({ ok: false, error: 'TLS_CERT_UNTRUSTED' });
    await expectNothingOpen(valid.server);
  });

  it('accepts an untrusted certificate when verifyTls is false, still reporting its expiry', async () => {
    const observation = await probeHttp(run, httpProbe(valid.url, { verifyTls: false }), 14);
    expect(observation).toMatchObject({ ok: true, certificate: { daysLeft: 364 } });
  });

  it('fails an expired certificate with TLS_CERT_EXPIRED and reports how long ago it expired', async () => {
    const observation = await probeHttp(run, httpProbe(expired.url, { caPem: expired.cert }), 14);
    expect(observation).toMatchObject({
      ok: false,
      error: 'TLS_CERT_EXPIRED',
      certificate: { daysLeft: -2, expiringSoon: true },
    });
    await expectNothingOpen(expired.server);
  });

  it('fails a certificate for another name with TLS_HOSTNAME_MISMATCH', async () => {
    const observation = await probeHttp(run, httpProbe(otherName.url, { caPem: otherName.cert }), 14);
    expect(observation).toMatchObject({ ok: false, error: 'TLS_HOSTNAME_MISMATCH' });
    expect(observation.detail).toContain('other.test');
  });

  it('verifies the certificate against serverName when the URL names an IP', async () => {
    const rightName = await probeHttp(
      run,
      httpProbe(named.url, { caPem: named.cert, serverName: 'www.shop.test' }),
      14,
    );
    const wrongName = await probeHttp(
      run,
      httpProbe(named.url, { caPem: named.cert, serverName: 'api.shop.test' }),
      14,
    );
    expect(rightName).toMatchObject({ ok: true });
    expect(wrongName).toMatchObject({ ok: false, error: 'TLS_HOSTNAME_MISMATCH' });
  });

  it('flags a certificate expiring within the warning threshold, without failing the probe', async () => {
    const warned = await probeHttp(run, httpProbe(expiringSoon.url, { caPem: expiringSoon.cert }), 14);
    const notWarned = await probeHttp(run, httpProbe(expiringSoon.url, { caPem: expiringSoon.cert }), 3);
    expect(warned).toMatchObject({ ok: true, certificate: { daysLeft: 5, expiringSoon: true } });
    expect(notWarned).toMatchObject({ ok: true, certificate: { daysLeft: 5, expiringSoon: false } });
  });
});

describe('probeHttp over TLS against a listener that never answers', () => {
  it('times out during the handshake with ETIMEDOUT and closes the connection', async () => {
    const silent = await startSilentListener();
    try {
      const observation = await probeHttp(
        { ...run, timeoutMs: 200 },
        httpProbe(`https://${loopback}:${silent.port}/`),
        14,
      );
      expect(observation).toMatchObject({ ok: false, error: 'ETIMEDOUT', kind: 'https' });
      expect(observation.certificate).toBeUndefined();
      await expectNothingOpen(silent);
    } finally {
      await silent.close();
    }
  });
});
