import { connect } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestHub, forEachDatabase, type TestHub } from '../test/harness.js';
import { listen } from '../test/heartbeats.js';

/**
 * A client that sends a whole over-large body on a real socket, as curl or a script would, and reads
 * what comes back. The hub must answer 413 and let the client read it: no connection reset.
 */
function sendLargeBody(port: number, size: number, chunked: boolean): Promise<{ answer: string; error?: string }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    let error: string | undefined;
    socket.on('data', (chunk) => received.push(chunk));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      error = err.code ?? err.message;
    });
    socket.on('close', () => resolve({ answer: Buffer.concat(received).toString('latin1'), error }));
    socket.setTimeout(15_000, () => socket.destroy());
    socket.on('connect', async () => {
      const head = [
        'POST /api/auth/sign-in HTTP/1.1',
        'Host: 127.0.0.1',
        'Content-Type: application/json',
        chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${size}`,
        'Connection: close',
        '',
        '',
      ].join('\r\n');
      socket.write(head);
      const piece = Buffer.alloc(64 * 1024, 'a');
      for (let sent = 0; sent < size && !socket.destroyed; sent += piece.length) {
        const part = piece.subarray(0, Math.min(piece.length, size - sent));
        const frame = chunked
          ? Buffer.concat([Buffer.from(`${part.length.toString(16)}\r\n`), part, Buffer.from('\r\n')])
          : part;
        if (!socket.write(frame)) await new Promise((r) => socket.once('drain', r).once('close', r));
      }
      if (chunked && !socket.destroyed) socket.write('0\r\n\r\n');
      if (!socket.destroyed) socket.end();
    });
  });
}

forEachDatabase('over-large request bodies', (dialect) => {
  let hub: TestHub;
  let port: number;
  beforeAll(async () => {
    hub = await createTestHub(dialect);
    port = Number(new URL(await listen(hub)).port);
  });
  afterAll(() => hub.close());

  for (const size of [1024 * 1024 + 1, 3 * 1024 * 1024, 16 * 1024 * 1024]) {
    for (const chunked of [false, true]) {
      it(`answers 413 to a ${(size / 1024 / 1024).toFixed(1)} MiB ${chunked ? 'chunked' : 'sized'} body, and the client reads it`, async () => {
        for (let round = 0; round < 3; round += 1) {
          const { answer, error } = await sendLargeBody(port, size, chunked);
          expect(error, `round ${round}: ${answer.slice(0, 300)}`).toBeUndefined();
          expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 413 Payload Too Large');
          expect(answer).toContain('"code":"payload_too_large"');
        }
      });
    }
  }
});
