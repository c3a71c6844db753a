import { describe, expect, it } from 'vitest';
import { reasonKind } from './reason-kind.js';

describe('reasonKind', () => {
  it.each([
    [
      'slow replies (over 200 ms): 3/3 replies from gw.example.net, average 312.4 ms',
      'slow replies (over 200 ms): 2/3 replies from gw.example.net, average 298 ms',
    ],
    [
      '33% packet loss: 2/3 replies from 10.0.0.1, average 12.5 ms',
      '67% packet loss: 1/3 replies from 10.0.0.1, average 40 ms',
    ],
    ['HTTP 200 OK; slow answer after 2.4 s', 'HTTP 200 OK; slow answer after 3 s'],
    ['timed out after 5000ms waiting for 10.1.0.7:443', 'timed out after 4999ms waiting for 10.1.0.7:443'],
    ['1.3.6.1.4.1.318.1.1.1.2.2.2.0 is 41.5, above 40', '1.3.6.1.4.1.318.1.1.1.2.2.2.0 is 44, above 40'],
    ['1.3.6.1.2.1.33.1.2.4.0 is -3, below 10', '1.3.6.1.2.1.33.1.2.4.0 is 7, below 10'],
  ])('one kind: %s / %s', (a, b) => {
    expect(reasonKind(a)).toBe(reasonKind(b));
  });

  it.each([
    ['HTTP 500 Internal Server Error', 'HTTP 503 Service Unavailable'],
    ['HTTP 500', 'HTTP 503'],
    ['connect ECONNREFUSED 10.0.0.1:443', 'connect ECONNREFUSED 10.0.0.2:443'],
    ['connect ECONNREFUSED 10.0.0.1:443', 'connect ECONNREFUSED 10.0.0.1:8443'],
    ['certificate expires in 12 days (2026-12-18)', 'certificate expires in 11 days (2026-12-17)'],
    [
      'slow replies (over 200 ms): 3/3 replies from gw, average 312.4 ms',
      '33% packet loss: 2/3 replies from gw, average 12.5 ms',
    ],
    ['SIP/2.0 503 Service Unavailable (expected 200)', 'SIP/2.0 486 Busy Here (expected 200)'],
    ['1.3.6.1.4.1.318.1.1.1.2.2.2.0 is 41.5, above 40', '1.3.6.1.4.1.318.1.1.1.2.2.2.0 is 41.5, above 45'],
    ['1.3.6.1.4.1.318.1.1.1.2.2.2.0 is 41.5, above 40', '1.3.6.1.2.1.33.1.2.4.0 is 41.5, above 40'],
    ['1.3.6.1.2.1.33.1.2.4.0 is 7, below 10', '1.3.6.1.2.1.33.1.2.4.0 is 7, above 5'],
  ])('two kinds: %s / %s', (a, b) => {
    expect(reasonKind(a)).not.toBe(reasonKind(b));
  });
});
