// Child process of the probe benchmarks: N loopback endpoints on distinct 127.x.y.z addresses, kept
// out of the prober's process so the prober's CPU and memory figures are its own.
// Every 10th endpoint is black-holed (accepts, reads, never answers an HTTP request) unless the fleet
// is all answering; every 20th is a TCP listener. HTTP answers can be delayed, standing for the round
// trips to an endpoint in another region (a TCP probe completes on connect, which the kernel answers).
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';

export interface FleetEndpoint {
  readonly host: string;
  readonly port: number;
  readonly kind: 'http' | 'tcp';
  readonly blackHoled: boolean;
}

export type FleetMessage = { readonly endpoints: readonly FleetEndpoint[] };

/** How the fleet answers; passed as JSON after the endpoint count. */
export interface FleetOptions {
  /** Milliseconds each HTTP endpoint waits before it answers. @default - answers at once */
  readonly answerDelayMs?: number;
  /** Every endpoint answers (none black-holed). @default - every 10th is black-holed */
  readonly allAnswering?: boolean;
}

/** 127.0.<1..>.<1..250>: Linux routes all of 127/8 to the loopback interface. */
export function fleetAddress(index: number): string {
  return `127.0.${1 + Math.floor(index / 250)}.${1 + (index % 250)}`;
}

/** Accepts and reads, never writes: a TCP listener, or (probed over HTTP) a black hole. */
function absorb(socket: Socket): void {
  socket.on('error', () => undefined);
  socket.resume();
}

async function start(count: number, options: FleetOptions): Promise<FleetEndpoint[]> {
  const delayMs = options.answerDelayMs ?? 0;
  const endpoints: FleetEndpoint[] = [];
  for (let i = 0; i < count; i += 1) {
    const blackHoled = !options.allAnswering && i % 10 === 9;
    const kind = !blackHoled && i % 20 === 0 ? 'tcp' : 'http';
    const server =
      kind === 'tcp' || blackHoled
        ? createTcpServer(absorb)
        : createHttpServer((_req, res) => {
            res.setHeader('content-type', 'text/plain');
            if (delayMs > 0) setTimeout(() => res.end('ok'), delayMs);
            else res.end('ok');
          });
    const host = fleetAddress(i);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host, port: 0, backlog: 1024 }, resolve);
    });
    endpoints.push({ host, port: (server.address() as AddressInfo).port, kind, blackHoled });
  }
  return endpoints;
}

const count = Number(process.argv[2]);
const options = JSON.parse(process.argv[3] ?? '{}') as FleetOptions;
start(count, options).then(
  (endpoints) => process.send?.({ endpoints } satisfies FleetMessage),
  (error) => {
    console.error(`loopback fleet: could not start ${count} endpoints: ${(error as Error).message}`);
    process.exit(1);
  },
);
// The fleet lives until the benchmark disconnects.
process.on('disconnect', () => process.exit(0));
