import { describe, expect, it } from 'vitest';
import { socketUrl } from './link.js';

describe('the hub WebSocket address', () => {
  it.each([
    ['https://desk.example.com', 'wss://desk.example.com/api/agent/connect'],
    ['https://desk.example.com/', 'wss://desk.example.com/api/agent/connect'],
    ['http://127.0.0.1:8080', 'ws://127.0.0.1:8080/api/agent/connect'],
    ['https://example.com/desk', 'wss://example.com/desk/api/agent/connect'],
  ])('%s → %s', (hub, expected) => {
    expect(socketUrl(hub)).toBe(expected);
  });
});
