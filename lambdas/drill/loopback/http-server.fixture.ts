// A web server of the drill: answers /healthz with 200 "ok" and every other path with a greeting.
import { createServer, type Server } from 'node:http';
import { SwitchableListener, type ListenerAddress } from './switchable-listener';

function createWebServer(id: string): Server {
  return createServer((request, response) => {
    const body = request.url === '/healthz' ? `ok ${id}\n` : `hello from ${id}\n`;
    response.writeHead(200, { 'content-type': 'text/plain', connection: 'close' });
    response.end(body);
  });
}

export function webServerListener(id: string, address: ListenerAddress): SwitchableListener {
  return new SwitchableListener(id, address, () => createWebServer(id));
}
