import { afterEach, describe, expect, it } from 'vitest';
import { probeTcp } from '../../lambdas/probes/tcp.probe';
import {
  eventually,
  expectNothingOpen,
  loopback,
  openSocketsOn,
  refusedPort,
  startSilentListener,
  type RunningServer,
} from './loopback-servers';

const run = { targetId: 'orders-primary', timeoutMs: 1_000, checker: 'eu-west-1' };
let silent: RunningServer | undefined;

afterEach(async () => {
  await silent?.close();
  silent = undefined;
});

describe('probeTcp', () => {
  it('succeeds when the port accepts a connection, and closes it at once', async () => {
    // Prepare
    silent = await startSilentListener();
    // Act
    const observation = await probeTcp(run, { type: 'tcp', host: loopback, port: silent.port });
    // Assess
    expect(observation).toMatchObject({ targetId: 'orders-primary', kind: 'tcp', ok: true, checker: 'eu-west-1' });
    await expectNothingOpen(silent);
  });

  it('reports ECONNREFUSED for a port nothing listens on', async () => {
    const port = await refusedPort();
    const observation = await probeTcp(run, { type: 'tcp', host: loopback, port });
    expect(observation).toMatchObject({ ok: false, error: 'ECONNREFUSED' });
    expect(observation.detail).toContain(String(port));
    await eventually(() => openSocketsOn(port) === 0, 'no socket to the refused port');
  });
});
