import { describe, expect, it } from 'vitest';
import { readingFromNutVars } from './status.js';

describe('readingFromNutVars', () => {
  it.each([
    ['OL CHRG', { state: 'ok', power: 'online', lowBattery: false, forcedShutdown: false }],
    ['OB DISCHRG', { state: 'ok', power: 'on-battery', lowBattery: false }],
    ['OB LB', { state: 'ok', power: 'on-battery', lowBattery: true }],
    ['FSD OL', { power: 'on-battery', lowBattery: true, forcedShutdown: true }],
    ['WAIT', { state: 'waiting', power: 'unknown' }],
    ['OL BOOST NEWTOKEN', { power: 'online', flags: ['OL', 'BOOST', 'NEWTOKEN'] }],
    ['', { power: 'unknown' }],
  ])('"%s"', (status, expected) => {
    expect(readingFromNutVars('office', { 'ups.status': status })).toMatchObject(expected);
  });

  it('reads charge, runtime and load, ignoring what is not a number', () => {
    expect(
      readingFromNutVars('office', {
        'ups.status': 'OL',
        'battery.charge': '87',
        'battery.runtime': 'n/a',
        'ups.load': '31.5',
      }),
    ).toMatchObject({ chargePercent: 87, runtimeSeconds: null, loadPercent: 31.5 });
  });
});
