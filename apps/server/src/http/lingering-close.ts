import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

/** How much of an unread body the hub reads and throws away, and for how long, before it closes anyway. */
const LINGER_BYTES = 64 * 1024 * 1024;
const LINGER_MS = 10_000;

/**
 * Close a socket the way nginx's "lingering close" does: send our answer and a FIN, then keep reading
 * (and dropping) what the client is still sending until it is done, a byte cap or a timer. Closing
 * at once with unread bytes in the kernel's buffer makes it send a reset, and a client still busy
 * sending its body never reads our 413: it sees "connection reset" instead.
 */
function lingerThenClose(socket: Socket): void {
  // Node's HTTP parser may be reading the socket's handle itself (and be paused, its request never
  // read): take the socket back from it, since nothing more on this connection is to be parsed.
  const parser = (socket as Socket & { parser?: { _consumed?: boolean; unconsume?: () => void } }).parser;
  if (parser?._consumed && parser.unconsume) {
    parser.unconsume();
    parser._consumed = false;
  }
  socket.removeAllListeners('data');
  let read = 0;
  const stop = () => {
    clearTimeout(timer);
    socket.destroy();
  };
  const timer = setTimeout(stop, LINGER_MS);
  timer.unref();
  socket.on('data', (chunk: Buffer) => {
    read += chunk.length;
    if (read > LINGER_BYTES) stop();
  });
  socket.once('end', stop);
  socket.once('close', () => clearTimeout(timer));
  socket.end();
  socket.resume();
  // The server may have stopped the handle itself (backpressure on a request nobody read): restart it.
  const internal = socket as Socket & { _paused?: boolean; _handle?: { reading?: boolean; readStart?: () => void } };
  internal._paused = false;
  if (internal._handle && !internal._handle.reading && internal._handle.readStart) {
    internal._handle.reading = true;
    internal._handle.readStart();
  }
}

/**
 * When an answer goes out before the request's body has been read (413, or any error while the body
 * is still arriving) and the connection is to close, close it gently, so that the client reads it.
 */
export function installLingeringClose(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply) => {
    if (request.raw.complete) return;
    const socket = request.raw.socket as Socket | null;
    if (!socket || String(reply.getHeader('connection') ?? '').toLowerCase() !== 'close') return;
    socket.destroySoon = () => lingerThenClose(socket);
  });
}
