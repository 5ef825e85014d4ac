// A loopback listener the drill can really stop and start again on the same address and port:
// stopping closes the listening socket and destroys every open connection, as a crashed process would.
import type { Server as NetServer, Socket } from 'node:net';

export interface ListenerAddress {
  readonly host: string;
  readonly port: number;
}

/** One loopback endpoint (HTTP server, load-balancer proxy, database listener) under the drill's control. */
export class SwitchableListener {
  readonly id: string;
  readonly host: string;
  private assignedPort: number;
  private readonly create: () => NetServer;
  private server: NetServer | undefined;
  private readonly sockets = new Set<Socket>();

  /** `port` 0 binds any free port on the first start and keeps it for every restart. */
  constructor(id: string, address: ListenerAddress, create: () => NetServer) {
    this.id = id;
    this.host = address.host;
    this.assignedPort = address.port;
    this.create = create;
  }

  get port(): number {
    return this.assignedPort;
  }

  get running(): boolean {
    return this.server !== undefined;
  }

  async start(): Promise<ListenerAddress> {
    if (this.server) return { host: this.host, port: this.assignedPort };
    const server = this.create();
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) =>
        reject(
          new Error(
            `cannot listen on ${this.host}:${this.assignedPort} for "${this.id}" (${error.code}); another process holds it, stop it or run the drill again`,
            { cause: error },
          ),
        );
      server.once('error', onError);
      server.listen({ host: this.host, port: this.assignedPort, exclusive: true }, () => {
        server.off('error', onError);
        resolve();
      });
    });
    const address = server.address();
    if (address && typeof address === 'object') this.assignedPort = address.port;
    this.server = server;
    return { host: this.host, port: this.assignedPort };
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await closed;
  }
}
