// A load balancer of the drill: a small HTTP reverse proxy in front of its region's web servers.
// It answers its own /healthz (its listener is alive, as an NLB's listener health check sees it) and
// forwards every other request to the next backend that answers, round robin; 502 when none does.
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { SwitchableListener, type ListenerAddress } from './switchable-listener';

const backendTimeoutMs = 1_000;

function forward(backend: ListenerAddress, incoming: IncomingMessage): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: backend.host,
        port: backend.port,
        path: incoming.url,
        method: incoming.method,
        headers: { ...incoming.headers, connection: 'close' },
        timeout: backendTimeoutMs,
      },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => resolve({ status: answer.statusCode ?? 502, body: Buffer.concat(chunks) }));
        answer.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`backend ${backend.host}:${backend.port} timed out`)));
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/** `backends` is read on each request, so restarted servers (same address) are used again. */
function createLoadBalancerProxy(id: string, backends: () => readonly ListenerAddress[]): Server {
  let next = 0;
  return createServer((incoming: IncomingMessage, response: ServerResponse) => {
    if (incoming.url === '/healthz') {
      response.writeHead(200, { 'content-type': 'text/plain', connection: 'close' });
      response.end(`ok ${id}\n`);
      return;
    }
    const pool = backends();
    const attempt = async () => {
      for (let tried = 0; tried < pool.length; tried += 1) {
        const backend = pool[(next + tried) % pool.length]!;
        try {
          const answer = await forward(backend, incoming);
          next = (next + tried + 1) % pool.length;
          response.writeHead(answer.status, { 'content-type': 'text/plain', connection: 'close', 'x-served-by': id });
          response.end(answer.body);
          return;
        } catch {
          // That backend is down: try the next one, as a load balancer routes around a failed target.
        }
      }
      response.writeHead(502, { 'content-type': 'text/plain', connection: 'close' });
      response.end(`${id}: no backend answered\n`);
    };
    void attempt();
  });
}

export function loadBalancerListener(
  id: string,
  address: ListenerAddress,
  backends: () => readonly ListenerAddress[],
): SwitchableListener {
  return new SwitchableListener(id, address, () => createLoadBalancerProxy(id, backends));
}
