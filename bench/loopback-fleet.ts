// Child process of the probe benchmark: N loopback endpoints on distinct 127.x.y.z addresses, kept
// out of the prober's process so the prober's CPU and memory figures are its own.
// Every 10th endpoint is black-holed (accepts, reads, never answers an HTTP request); every 20th is a TCP listener.
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';

export interface FleetEndpoint {
  readonly host: string;
  readonly port: number;
  readonly kind: 'http' | 'tcp';
  readonly blackHoled: boolean;
}

export type FleetMessage = { readonly endpoints: readonly FleetEndpoint[] };

/** 127.0.<1..>.<1..250>: Linux routes all of 127/8 to the loopback interface. */
export function fleetAddress(index: number): string {
  return `127.0.${1 + Math.floor(index / 250)}.${1 + (index % 250)}`;
}

/** Accepts and reads, never writes: a TCP listener, or (probed over HTTP) a black hole. */
function absorb(socket: Socket): void {
  socket.on('error', () => undefined);
  socket.resume();
}

async function start(count: number): Promise<FleetEndpoint[]> {
  const endpoints: FleetEndpoint[] = [];
  for (let i = 0; i < count; i += 1) {
    const blackHoled = i % 10 === 9;
    const kind = !blackHoled && i % 20 === 0 ? 'tcp' : 'http';
    const server =
      kind === 'tcp' || blackHoled
        ? createTcpServer(absorb)
        : createHttpServer((_req, res) => {
            res.setHeader('content-type', 'text/plain');
            res.end('ok');
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
start(count).then(
  (endpoints) => process.send?.({ endpoints } satisfies FleetMessage),
  (error) => {
    console.error(`loopback fleet: could not start ${count} endpoints: ${(error as Error).message}`);
    process.exit(1);
  },
);
// The fleet lives until the benchmark disconnects.
process.on('disconnect', () => process.exit(0));
