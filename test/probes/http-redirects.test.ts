import { afterEach, describe, expect, it } from 'vitest';
import { maxRedirects, probeHttp } from '../../lambdas/probes/http.probe';
import {
  loopback,
  makeCertificate,
  refusedPort,
  startHttpServer,
  startHttpsServer,
  startSilentListener,
  type RunningServer,
} from './loopback-servers';
import { httpProbe } from './probe-configs';

const run = { targetId: 'web-a', timeoutMs: 2_000 };
let servers: RunningServer[] = [];

/** A server answering each path from `routes` (status, location?, body?); 404 elsewhere. */
async function site(
  routes: Record<string, [number, string?, string?]>,
  tls?: { key: string; cert: string },
): Promise<RunningServer> {
  const handler = (
    req: { url?: string; headers: Record<string, unknown> },
    res: import('node:http').ServerResponse,
  ) => {
    const [status, location, body] = routes[req.url ?? ''] ?? [404];
    res.statusCode = status;
    if (location) res.setHeader('location', location);
    res.end(body ?? `host=${String(req.headers.host)}`);
  };
  const server = tls ? await startHttpsServer(tls, handler) : await startHttpServer(handler);
  servers.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

describe('probeHttp redirects', () => {
  it('follows a redirect by default and judges the final answer', async () => {
    // Prepare
    const server = await site({
      '/': [302, '/healthy'],
      '/healthy': [200],
      '/old': [301, '/broken'],
      '/broken': [503],
    });
    const url = `http://${loopback}:${server.port}`;
    // Act
    const healthy = await probeHttp(run, httpProbe(`${url}/`, { expectedStatus: [200] }), 14);
    const broken = await probeHttp(run, httpProbe(`${url}/old`), 14);
    // Assess
    expect(healthy).toMatchObject({ ok: true, httpStatus: 200 });
    expect(broken).toMatchObject({ ok: false, error: 'HTTP_503', httpStatus: 503 });
  });

  it('fails a redirect to a port nothing listens on', async () => {
    const closed = await refusedPort();
    const server = await site({ '/': [302, `http://${loopback}:${closed}/`] });
    const observation = await probeHttp(run, httpProbe(`http://${loopback}:${server.port}/`), 14);
    expect(observation).toMatchObject({ ok: false, error: 'ECONNREFUSED' });
  });

  it('judges the redirect itself with redirects "accept", and fails on it with "fail"', async () => {
    const server = await site({ '/': [302, '/elsewhere'] });
    const url = `http://${loopback}:${server.port}/`;
    const accepted = await probeHttp(run, httpProbe(url, { redirects: 'accept' }), 14);
    const failed = await probeHttp(run, httpProbe(url, { redirects: 'fail' }), 14);
    expect(accepted).toMatchObject({ ok: true, httpStatus: 302 });
    expect(failed).toMatchObject({ ok: false, error: 'HTTP_302' });
    expect(failed.detail).toContain('/elsewhere');
  });

  it(`gives up after ${maxRedirects} redirects`, async () => {
    const server = await site({ '/loop': [307, '/loop'] });
    const observation = await probeHttp(run, httpProbe(`http://${loopback}:${server.port}/loop`), 14);
    expect(observation).toMatchObject({ ok: false, error: 'HTTP_TOO_MANY_REDIRECTS' });
  });

  it('keeps the server name on a redirect within the same host', async () => {
    const server = await site({ '/': [302, '/here'], '/here': [200] });
    const probe = httpProbe(`http://${loopback}:${server.port}/`, {
      serverName: 'www.shop.test',
      bodyMatch: { substring: `host=www.shop.test:${server.port}` },
    });
    const observation = await probeHttp(run, probe, 14);
    expect(observation).toMatchObject({ ok: true });
  });

  it('refuses a redirect to something other than http(s)', async () => {
    const server = await site({ '/': [301, 'ftp://files.example/'] });
    const observation = await probeHttp(run, httpProbe(`http://${loopback}:${server.port}/`), 14);
    expect(observation).toMatchObject({ ok: false, error: 'HTTP_MALFORMED' });
  });

  it('keeps following within the one timeout', async () => {
    const silent = await startSilentListener();
    servers.push(silent);
    const server = await site({ '/': [302, `http://${loopback}:${silent.port}/`] });
    const observation = await probeHttp(
      { ...run, timeoutMs: 300 },
      httpProbe(`http://${loopback}:${server.port}/`),
      14,
    );
    expect(observation).toMatchObject({ ok: false, error: 'ETIMEDOUT' });
    expect(observation.detail).toContain('300 ms');
  });

  it('verifies the certificate of an https page it is redirected to', async () => {
    const tls = await makeCertificate({ commonName: 'localhost', altNames: [{ ip: loopback }] });
    const secure = await site({ '/': [200] }, tls);
    const server = await site({ '/': [302, `https://${loopback}:${secure.port}/`] });
    const url = `http://${loopback}:${server.port}/`;
    const untrusted = await probeHttp(run, httpProbe(url), 14);
    const trusted = await probeHttp(run, httpProbe(url, { caPem: tls.cert }), 14);
    expect(untrusted).toMatchObject({ ok: false, error: 'TLS_CERT_UNTRUSTED' });
    expect(trusted).toMatchObject({ ok: true, httpStatus: 200 });
    expect(trusted.certificate?.daysLeft).toBeGreaterThan(300);
  });
});
