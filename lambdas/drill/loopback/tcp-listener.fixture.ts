// A database endpoint of the drill: a TCP listener that accepts connections (the guard probes
// databases with a TCP connect) and holds them until the client leaves.
import { createServer } from 'node:net';
import { SwitchableListener, type ListenerAddress } from './switchable-listener';

export function databaseListener(id: string, address: ListenerAddress): SwitchableListener {
  return new SwitchableListener(id, address, () =>
    createServer((socket) => {
      socket.on('error', () => socket.destroy());
      socket.on('end', () => socket.end());
    }),
  );
}
