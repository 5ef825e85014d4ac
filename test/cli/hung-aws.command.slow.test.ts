// `run --once` and `plan` against an AWS that accepts connections and never answers (AWS_ENDPOINT_URL
// at a loopback listener): the real CLI process ends by its deadline, exits 1 and names the service
// that hung, without a stack trace. Short timeouts come from the topology's guard.aws.
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Accepts every connection and never writes a byte back. */
async function silentListener(): Promise<{ server: Server; port: number; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port, sockets };
}

async function topologyFile(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'fg-hung-'));
  const path = join(dir, 'topology.json');
  await writeFile(
    path,
    JSON.stringify({
      name: 'shop',
      account: '123456789012',
      regions: [{ name: 'eu-west-1', role: 'primary' }],
      checks: { timeoutMs: 500 },
      // Port 9 on loopback: nothing listens, the probe fails at once.
      servers: [
        { id: 'web', region: 'eu-west-1', ip: '127.0.0.1', probe: { type: 'tcp', host: '127.0.0.1', port: 9 } },
      ],
      guard: {
        aws: { connectTimeoutSeconds: 0.5, requestTimeoutSeconds: 0.5, maxAttempts: 2, cycleDeadlineSeconds: 2 },
      },
    }),
  );
  return path;
}

interface Exit {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(args: readonly string[], endpoint: string): Promise<Exit> {
  const env = {
    ...process.env,
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'AKIDTEST',
    AWS_SECRET_ACCESS_KEY: 'secret',
    AWS_PROFILE: '',
    AWS_MAX_ATTEMPTS: '',
    FAILOVER_GUARD_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:guard',
  };
  return new Promise((resolve) => {
    // The timeout only keeps a broken build from hanging the suite; the assertion is on how it ended.
    execFile(
      process.execPath,
      ['bin/failover-guard.mjs', ...args],
      { cwd: repoRoot, env, timeout: 120_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
      },
    );
  });
}

describe('the CLI against an AWS that never answers', () => {
  let listener: Awaited<ReturnType<typeof silentListener>>;
  let endpoint: string;
  let config: string;

  beforeAll(async () => {
    listener = await silentListener();
    endpoint = `http://127.0.0.1:${listener.port}`;
    config = await topologyFile();
  });
  afterAll(async () => {
    for (const socket of listener.sockets) socket.destroy();
    await new Promise((resolve) => listener.server.close(resolve));
  });

  it.each([
    ['run --once', ['run', '--once']],
    ['plan', ['plan']],
  ])(
    '%s ends with exit 3 (the environment) and an error naming DynamoDB, the first service it waits on, and no stack trace',
    async (_, command) => {
      // Act
      const exit = await cli([...command, config, '--table', 'guard-state'], endpoint);
      // Assess
      expect(exit.code).toBe(3);
      expect(exit.stderr).toMatch(
        /^error: DynamoDB (GetItem|Query|get|list) on \S+ failed: (TimeoutError|DeadlineExceeded): /m,
      );
      expect(exit.stderr).not.toMatch(/^\s+at /m);
      expect(exit.stdout).toBe('');
    },
    130_000,
  );
});
