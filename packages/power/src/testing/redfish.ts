/**
 * A small Redfish service for tests, shaped like DMTF's public mockups (one ComputerSystem
 * 437XR1138R2 with #ComputerSystem.Reset and its AllowableValues). HTTP basic auth; a reset changes
 * PowerState after `settleMs`. Not part of the build.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestRedfish {
  url: string;
  powerState: () => string;
  setPowerState: (state: 'On' | 'Off') => void;
  resets: { type: string; at: number }[];
  onReset?: (type: string) => void;
  close(): Promise<void>;
}

const ID = '437XR1138R2';
const ALLOWED = [
  'On',
  'ForceOff',
  'GracefulShutdown',
  'GracefulRestart',
  'ForceRestart',
  'Nmi',
  'ForceOn',
  'PushPowerButton',
];

export async function startRedfish({
  username = 'admin',
  password = 'bmc-secret',
  settleMs = 50,
} = {}): Promise<TestRedfish> {
  let state = 'On';
  const service: TestRedfish = {
    url: '',
    powerState: () => state,
    setPowerState: (s) => {
      state = s;
    },
    resets: [],
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const expected = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  const send = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'odata-version': '4.0' });
    res.end(JSON.stringify(body));
  };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      if (req.headers.authorization !== expected)
        return send(res, 401, { error: { code: 'Base.1.0.GeneralError', message: 'authentication required' } });
      const url = req.url ?? '';
      if (req.method === 'GET' && url === '/redfish/v1/Systems')
        return send(res, 200, {
          '@odata.id': '/redfish/v1/Systems',
          '@odata.type': '#ComputerSystemCollection.ComputerSystemCollection',
          Name: 'Computer System Collection',
          'Members@odata.count': 1,
          Members: [{ '@odata.id': `/redfish/v1/Systems/${ID}` }],
        });
      if (req.method === 'GET' && url === `/redfish/v1/Systems/${ID}`)
        return send(res, 200, {
          '@odata.id': `/redfish/v1/Systems/${ID}`,
          '@odata.type': '#ComputerSystem.v1_13_0.ComputerSystem',
          Id: ID,
          Name: 'WebFrontEnd483',
          SystemType: 'Physical',
          PowerState: state,
          Actions: {
            '#ComputerSystem.Reset': {
              target: `/redfish/v1/Systems/${ID}/Actions/ComputerSystem.Reset`,
              'ResetType@Redfish.AllowableValues': ALLOWED,
            },
          },
        });
      if (req.method === 'POST' && url === `/redfish/v1/Systems/${ID}/Actions/ComputerSystem.Reset`) {
        const type = String((JSON.parse(body || '{}') as { ResetType?: string }).ResetType);
        if (!ALLOWED.includes(type))
          return send(res, 400, {
            error: { code: 'Base.1.0.ActionParameterNotSupported', message: `bad ResetType ${type}` },
          });
        service.resets.push({ type, at: Date.now() });
        service.onReset?.(type);
        setTimeout(() => {
          state = type === 'On' || type === 'ForceOn' ? 'On' : type.includes('Restart') ? 'On' : 'Off';
        }, settleMs);
        res.writeHead(204);
        return res.end();
      }
      send(res, 404, { error: { code: 'Base.1.0.ResourceMissingAtURI', message: `${url} not found` } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  service.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return service;
}
