// The loopback target of bench/probe.mjs, in a process of its own so its CPU is not the hub's:
// a TCP port that accepts and closes, and an HTTP server that answers 200 "ok". Prints the ports as JSON.
import { createServer as createHttp } from 'node:http';
import { createServer as createTcp } from 'node:net';

const tcp = createTcp((socket) => socket.end());
const http = createHttp((req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('ok');
});
tcp.maxConnections = 10_000;
const listen = (server) =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', 1024, () => resolve(server.address().port)));
const ports = { tcp: await listen(tcp), http: await listen(http) };
process.stdout.write(`${JSON.stringify(ports)}\n`);
process.on('SIGTERM', () => process.exit(0));
