import { createServer, type AddressInfo, type Server } from 'node:net';
import type { TestAgent } from './agent.js';

/** A TCP port on loopback that accepts connections: a system that is up. */
export async function openPort(): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((socket) => socket.end());
  const port = await new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A loopback port nothing listens on (opened and closed again): a system that is down. */
export async function closedPort(): Promise<number> {
  const open = await openPort();
  await open.close();
  return open.port;
}

/** A hub check of a tcp port, through the API. */
export async function tcpCheck(owner: TestAgent, systemId: string, name: string, port: number): Promise<string> {
  const res = await owner.post('/api/checks', {
    systemId,
    name,
    kind: 'tcp',
    probe: 'hub',
    intervalS: 86_400,
    timeoutMs: 2000,
    params: { host: '127.0.0.1', port },
  });
  if (res.status !== 201) throw new Error(`check: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

/** The firm's standard systems checklist, as a technician would write it. */
export const standardChecklist = (overrides: { name?: string; siteId?: string } = {}) => ({
  name: overrides.name ?? 'Systems checklist',
  description: 'After power comes back, and every Monday before opening',
  ...(overrides.siteId ? { siteId: overrides.siteId } : {}),
  body: {
    sections: [
      {
        title: 'In the office',
        steps: [
          { key: 'server-room', title: 'Look at the server room', kind: 'manual', instructions: 'No alarms, no smell' },
          { key: 'phones', title: 'Phones have a dial tone', kind: 'manual' },
        ],
      },
      {
        title: 'Systems',
        steps: [
          { key: 'mail', title: 'Mail server answers', kind: 'check', target: { check: 'SMTP' } },
          { key: 'rdp', title: 'Remote desktop answers', kind: 'check', target: { check: 'RDP' } },
          {
            key: 'backup',
            title: "Last night's backup succeeded",
            kind: 'heartbeat-fresh',
            target: { heartbeat: 'Nightly offsite backup' },
            withinHours: 24,
          },
          { key: 'agent', title: 'Site agent online', kind: 'agent-online' },
          { key: 'ups', title: 'UPS on line', kind: 'ups-on-line' },
        ],
      },
    ],
  },
});

export const tickKey = () => `tick-${Math.random().toString(36).slice(2)}-${Date.now()}`;
