import http from 'node:http';
import { PEER_ADDRESS_HEADER } from './client-address';

let installed = false;

/**
 * Next.js gives route handlers no socket, and copies a client-sent X-Forwarded-For as it is, so
 * the one address nobody can forge would be lost. This stamps it into a header of every incoming
 * request before Next sees it, overwriting any value a client sent under that name.
 */
export function stampPeerAddresses(): void {
  if (installed) return;
  installed = true;
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === 'request') {
      const request = args[0] as http.IncomingMessage;
      request.headers[PEER_ADDRESS_HEADER] = request.socket?.remoteAddress ?? '';
    }
    return emit.apply(this, [event, ...args] as Parameters<typeof emit>);
  } as typeof emit;
}
