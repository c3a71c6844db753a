import { numberOrNull, type UpsReading } from '../reading.js';

/** NUT's ups.status words (docs/developer-guide, "Status data"). Others are kept as they come. */
export const KNOWN_NUT_FLAGS = new Set([
  'OL',
  'OB',
  'LB',
  'HB',
  'RB',
  'CHRG',
  'DISCHRG',
  'BYPASS',
  'CAL',
  'OFF',
  'OVER',
  'TRIM',
  'BOOST',
  'FSD',
  'WAIT',
  'ALARM',
  'TEST',
  'COMM',
  'NOCOMM',
]);

/** Turns upsd's variables of one UPS into a reading. */
export function readingFromNutVars(ups: string, vars: Record<string, string>): UpsReading {
  const flags = (vars['ups.status'] ?? '').split(/\s+/).filter(Boolean);
  const has = (flag: string) => flags.includes(flag);
  const forcedShutdown = has('FSD');
  const onBattery = has('OB') || forcedShutdown;
  const power = onBattery ? 'on-battery' : has('OL') ? 'online' : 'unknown';
  const lowBattery = has('LB') || forcedShutdown;
  const unknown = flags.filter((f) => !KNOWN_NUT_FLAGS.has(f));
  const chargePercent = numberOrNull(vars['battery.charge']);
  const runtimeSeconds = numberOrNull(vars['battery.runtime']);
  const parts = [
    power === 'online' ? 'on line' : power === 'on-battery' ? 'on battery' : `status "${flags.join(' ')}"`,
    ...(forcedShutdown ? ['forced shutdown'] : lowBattery ? ['low battery'] : []),
    ...(chargePercent !== null ? [`charge ${chargePercent}%`] : []),
    ...(runtimeSeconds !== null ? [`runtime ${Math.round(runtimeSeconds / 60)} min`] : []),
    ...(unknown.length ? [`unknown flags ${unknown.join(' ')}`] : []),
  ];
  return {
    state: has('WAIT') ? 'waiting' : 'ok',
    power: has('WAIT') && !onBattery && !has('OL') ? 'unknown' : power,
    lowBattery,
    forcedShutdown,
    chargePercent,
    runtimeSeconds,
    loadPercent: numberOrNull(vars['ups.load']),
    flags,
    message: `${ups}: ${parts.join(', ')}`,
  };
}
