import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { probeHttp } from '../../lambdas/probes/http.probe';
import {
  expectNothingOpen,
  loopback,
  refusedPort,
  startHttpServer,
  startSilentListener,
  type RunningServer,
} from './loopback-servers';
import { httpProbe } from './probe-configs';

const run = { targetId: 'web-a', timeoutMs: 2_000, checker: 'eu-west-1' };
let servers: RunningServer[] = [];

async function serve(handler: Parameters<typeof startHttpServer>[0]): Promise<RunningServer> {
  const server = await startHttpServer(handler);
  servers.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

describe('probeHttp', () => {
  it('reports a 200 answer as ok with the latency, time and checker', async () => {
    // Prepare
    const server = await serve((_req, res) => res.end('ok'));
    // Act
    const observation = await probeHttp(run, httpProbe(`http://${loopback}:${server.port}/healthz`), 14);
    // Assess
    expect(observation).toMatchObject({ targetId: 'web-a', kind: 'http', ok: true, checker: 'eu-west-1' });
    expect(observation.error).toBeUndefined();
    expect(observation.latencyMs).toBeGreaterThanOrEqual(0);
    expect(Date.parse(observation.at)).not.toBeNaN();
    await expectNothingOpen(server);
  });

  it('fails a status outside 200–399 with HTTP_<status>', async () => {
    const server = await serve((_req, res) => {
      res.statusCode = 503;
      res.end('down');
    });
    const observation = await probeHttp(run, httpProbe(`http://${loopback}:${server.port}/`), 14);
    expect(observation).toMatchObject({ ok: false, error: 'HTTP_503' });
    expect(observation.detail).toContain('503');
    await expectNothingOpen(server);
  });

  it('accepts only the configured expected statuses', async () => {
    const server = await serve((req, res) => {
      res.statusCode = req.url === '/empty' ? 204 : 200;
      res.end();
    });
    const onlyNoContent = { expectedStatus: [204] };
    const wrong = await probeHttp(run, httpProbe(`http://${loopback}:${server.port}/`, onlyNoContent), 14);
    const right = await probeHttp(run, httpProbe(`http://${loopback}:${server.port}/empty`, onlyNoContent), 14);
    expect(wrong).toMatchObject({ ok: false, error: 'HTTP_200' });
    expect(right).toMatchObject({ ok: true });
  });

  it('passes a body holding the substring and fails one without it', async () => {
    const server = await serve((req, res) =>
      res.end(req.url === '/good' ? '{"status":"ok"}' : '{"status":"degraded"}'),
    );
    const match = { bodyMatch: { substring: '"ok"' } };
    const good = await probeHttp(run, httpProbe(`http://${loopback}:${server.port}/good`, match), 14);
    const bad = await probeHttp(run, httpProbe(`http://${loopback}:${server.port}/bad`, match), 14);
    expect(good).toMatchObject({ ok: true });
    expect(bad).toMatchObject({ ok: false, error: 'BODY_MISMATCH' });
    await expectNothingOpen(server);
  });

  it('matches the body against a regular expression', async () => {
    const server = await serve((_req, res) => res.end('version=42 status=green'));
    const url = `http://${loopback}:${server.port}/`;
    const matching = await probeHttp(run, httpProbe(url, { bodyMatch: { regex: 'status=(green|yellow)' } }), 14);
    const notMatching = await probeHttp(run, httpProbe(url, { bodyMatch: { regex: '^status=' } }), 14);
    expect(matching.ok).toBe(true);
    expect(notMatching).toMatchObject({ ok: false, error: 'BODY_MISMATCH' });
  });

  it('reports an invalid body regex as a probe error naming the pattern', async () => {
    const server = await serve((_req, res) => res.end('x'));
    const observation = await probeHttp(
      run,
      httpProbe(`http://${loopback}:${server.port}/`, { bodyMatch: { regex: '(' } }),
      14,
    );
    expect(observation).toMatchObject({ ok: false, error: 'PROBE_ERROR' });
    expect(observation.detail).toContain('"("');
  });

  it('reads the body up to maxBodyBytes, judges what it read, and closes a body that goes on', async () => {
    // Prepare: the needle sits past the cap, in a body that never ends on its own
    const server = await serve((_req, res) => {
      res.write(Buffer.alloc(2048, 'a'));
      res.write('needle');
    });
    const url = `http://${loopback}:${server.port}/`;
    // Act
    const capped = await probeHttp(run, httpProbe(url, { maxBodyBytes: 1024 }), 14);
    const needle = await probeHttp(run, httpProbe(url, { maxBodyBytes: 1024, bodyMatch: { substring: 'needle' } }), 14);
    // Assess
    expect(capped).toMatchObject({ ok: true, httpStatus: 200 });
    expect(needle).toMatchObject({ ok: false, error: 'BODY_MISMATCH' });
    await expectNothingOpen(server);
  });

  it('fails a response slower than the latency budget', async () => {
    const server = await serve((_req, res) => setTimeout(() => res.end('ok'), 150));
    const observation = await probeHttp(
      run,
      httpProbe(`http://${loopback}:${server.port}/`, { latencyBudgetMs: 50 }),
      14,
    );
    expect(observation).toMatchObject({ ok: false, error: 'LATENCY_BUDGET_EXCEEDED' });
    expect(observation.latencyMs).toBeGreaterThan(50);
  });

  it('times out with ETIMEDOUT on a listener that never answers, and closes the connection', async () => {
    // Prepare
    const silent = await startSilentListener();
    servers.push(silent);
    // Act
    const observation = await probeHttp(
      { ...run, timeoutMs: 200 },
      httpProbe(`http://${loopback}:${silent.port}/`),
      14,
    );
    // Assess
    expect(observation).toMatchObject({ ok: false, error: 'ETIMEDOUT' });
    expect(observation.latencyMs).toBeGreaterThanOrEqual(199);
    expect(observation.latencyMs).toBeLessThan(2_000);
    await expectNothingOpen(silent);
  });

  it('reports ECONNREFUSED for a port nothing listens on', async () => {
    const port = await refusedPort();
    const observation = await probeHttp(run, httpProbe(`http://${loopback}:${port}/`), 14);
    expect(observation).toMatchObject({ ok: false, error: 'ECONNREFUSED', kind: 'http' });
  });

  it('sends the server name as the Host header when the URL names an IP', async () => {
    const server = await serve((req, res) => res.end(`host=${req.headers.host}`));
    const probe = httpProbe(`http://${loopback}:${server.port}/`, {
      serverName: 'www.shop.test',
      bodyMatch: { substring: `host=www.shop.test:${server.port}` },
    });
    const observation = await probeHttp(run, probe, 14);
    expect(observation.ok).toBe(true);
  });

  it('probes with HEAD without reading a body', async () => {
    const server = await serve((req, res) => {
      res.statusCode = req.method === 'HEAD' ? 200 : 405;
      res.end();
    });
    const observation = await probeHttp(
      run,
      httpProbe(`http://${loopback}:${server.port}/`, { method: 'HEAD', bodyMatch: { substring: 'x' } }),
      14,
    );
    expect(observation.ok).toBe(true);
    await expectNothingOpen(server);
  });

  it.each([
    [
      'answers with something that is not HTTP (an SSH banner), without waiting for the timeout',
      'SSH-2.0-OpenSSH_9.2\r\n',
      false,
      'HTTP_MALFORMED',
    ],
    ['hangs up without answering', '', true, 'ECONNRESET'],
  ])('fails when the server %s', async (_what, reply, hangUp, error) => {
    // Prepare: a raw TCP server, so the reply can be anything; an SSH server keeps the connection open
    const raw = createServer((socket) => {
      socket.on('error', () => undefined);
      socket.resume();
      if (hangUp) socket.end(reply);
      else socket.write(reply);
    });
    await new Promise<void>((resolve) => raw.listen(0, loopback, resolve));
    const { port } = raw.address() as { port: number };
    // Act: a timeout far longer than the test's, so only failing at once passes
    const observation = await probeHttp({ ...run, timeoutMs: 60_000 }, httpProbe(`http://${loopback}:${port}/`), 14);
    // Assess
    expect(observation).toMatchObject({ ok: false, error });
    await new Promise((resolve) => raw.close(resolve));
  });

  it('leaves no socket open after a run of probes with mixed outcomes', async () => {
    const server = await serve((req, res) => {
      res.statusCode = req.url === '/down' ? 500 : 200;
      res.end('ok');
    });
    const urls = ['/', '/down', '/', '/down'].map((path) => `http://${loopback}:${server.port}${path}`);
    const observations = await Promise.all(
      urls.map((url) => probeHttp(run, httpProbe(url, { bodyMatch: { substring: 'ok' } }), 14)),
    );
    expect(observations.map((o) => o.ok)).toEqual([true, false, true, false]);
    await expectNothingOpen(server);
  });
});
