import { z } from 'zod';
import { defineCheck } from '../types.js';
import { Host, Port } from '../lib/params.js';
import { connect, describeNetError, elapsedSince, where } from '../lib/net.js';

export const tcpParams = z.strictObject({
  host: Host,
  port: Port,
});

export const tcp = defineCheck({
  kind: 'tcp',
  label: 'TCP port',
  params: tcpParams,
  async run({ host, port }, { signal }) {
    const start = process.hrtime.bigint();
    try {
      const socket = await connect({ host, port, signal });
      const latencyMs = elapsedSince(start);
      const address = socket.remoteAddress; // gone once the socket is destroyed
      socket.destroy();
      return { status: 'up', latencyMs, message: `port ${port} open on ${host}`, details: { address } };
    } catch (err) {
      return {
        status: 'down',
        latencyMs: null,
        message: describeNetError(err, host, port),
        details: { target: where(host, port) },
      };
    }
  },
});
