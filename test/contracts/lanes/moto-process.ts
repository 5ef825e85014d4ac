// moto's server mode on loopback as a child process: whether it can run here, and starting and
// stopping it with a bounded wait for readiness. Used by the contract tests' moto lane and by the
// state-calls bench (no vitest here, so a bench can import it).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

/** How long moto may take to answer after starting (it takes about 5 s on a loaded 2-core machine). */
const READY_WITHIN_MS = 30_000;
const POLL_EVERY_MS = 100;

/** Why the moto lane cannot run here, or undefined when it can. */
export function motoUnavailable(): string | undefined {
  const probe = spawnSync('python3', ['-c', 'import moto'], { encoding: 'utf8' });
  if (probe.error) return `python3 is not available (${probe.error.message})`;
  if (probe.status !== 0)
    return `moto is not installed for python3 (python3 -c "import moto" failed: ${probe.stderr.trim().split('\n').pop()})`;
  return undefined;
}

/** The fake credentials and endpoint every SDK client of the moto lane is made with. */
export interface MotoEndpoint {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** One SDK attempt: a refused call is an answer to check, not something to retry. */
  readonly maxAttempts: number;
}

export interface MotoServer {
  readonly config: MotoEndpoint;
  stop(): Promise<void>;
}

async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilReady(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + READY_WITHIN_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`moto server exited with code ${child.exitCode} before answering: ${output()}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_EVERY_MS));
  }
  throw new Error(`moto server did not answer on ${url} within ${READY_WITHIN_MS / 1000} s: ${output()}`);
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Starts `python3 -m moto.server` on a free 127.0.0.1 port and waits until it answers. */
export async function startMoto(): Promise<MotoServer> {
  const port = await freeLoopbackPort();
  const child = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(`${endpoint}/moto-api/`, child, () => stderr);
  } catch (error) {
    await stopProcess(child);
    throw error;
  }
  return {
    config: {
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      maxAttempts: 1,
    },
    stop: () => stopProcess(child),
  };
}
