import { lookup } from 'node:dns/promises';
import { describeNetError, openSnmpSession, readSnmpValue, snmpAuth, where } from '@afterhours/checks';
import { z } from 'zod';
import { noReading, type UpsReader, type UpsReading } from '../reading.js';

/**
 * Reads a UPS over SNMP: RFC 1628 UPS-MIB (most network cards) or APC's PowerNet MIB, with the SNMP
 * session code the snmp check uses.
 */
export const snmpUpsSettings = z.strictObject({
  host: z.string().trim().min(1, { error: 'is required' }),
  port: z.number().int().min(1).max(65_535).default(161),
  auth: snmpAuth,
  mib: z.enum(['ups-mib', 'powernet']).default('ups-mib'),
});
export type SnmpUpsSettings = z.output<typeof snmpUpsSettings>;

const UPS_MIB = {
  outputSource: '1.3.6.1.2.1.33.1.4.1.0',
  batteryStatus: '1.3.6.1.2.1.33.1.2.1.0',
  minutesRemaining: '1.3.6.1.2.1.33.1.2.3.0',
  chargeRemaining: '1.3.6.1.2.1.33.1.2.4.0',
  outputLoad: '1.3.6.1.2.1.33.1.4.4.1.5.1',
};
const POWERNET = {
  outputStatus: '1.3.6.1.4.1.318.1.1.1.4.1.1.0',
  batteryStatus: '1.3.6.1.4.1.318.1.1.1.2.1.1.0',
  capacity: '1.3.6.1.4.1.318.1.1.1.2.2.1.0',
  runTime: '1.3.6.1.4.1.318.1.1.1.2.2.3.0',
  load: '1.3.6.1.4.1.318.1.1.1.4.2.3.0',
};

const UPS_MIB_SOURCES: Record<number, string> = {
  1: 'other',
  2: 'none',
  3: 'normal',
  4: 'bypass',
  5: 'battery',
  6: 'booster',
  7: 'reducer',
};
const UPS_MIB_BATTERY: Record<number, string> = {
  1: 'unknown',
  2: 'batteryNormal',
  3: 'batteryLow',
  4: 'batteryDepleted',
};
const POWERNET_OUTPUT: Record<number, string> = {
  1: 'unknown',
  2: 'onLine',
  3: 'onBattery',
  4: 'onSmartBoost',
  5: 'timedSleeping',
  6: 'softwareBypass',
  7: 'off',
  8: 'rebooting',
  9: 'switchedBypass',
  10: 'hardwareFailureBypass',
  11: 'sleepingUntilPowerReturn',
  12: 'onSmartTrim',
  13: 'ecoMode',
  14: 'hotStandby',
  15: 'onBatteryTest',
  16: 'emergencyStaticBypass',
  17: 'staticBypassStandby',
  18: 'powerSavingMode',
  19: 'spotMode',
  20: 'eConversion',
  21: 'chargerSpotmode',
  22: 'inverterSpotmode',
  23: 'activeLoad',
  24: 'batteryDischargeSpotmode',
  25: 'inverterStandby',
  26: 'chargerOnly',
};
const POWERNET_BATTERY: Record<number, string> = {
  1: 'unknown',
  2: 'batteryNormal',
  3: 'batteryLow',
  4: 'batteryInFaultCondition',
};
const POWERNET_ON_BATTERY = new Set([3, 15, 24]);
const POWERNET_ON_LINE = new Set([2, 4, 6, 9, 10, 12, 13, 14, 16, 17, 18, 20, 23]);

type Values = Record<string, number | null>;

/** UPS-MIB values to a reading. Unknown enumeration numbers are kept as "source(9)". */
export function readingFromUpsMib(name: string, v: Values): UpsReading {
  const source = v.outputSource ?? null;
  const battery = v.batteryStatus ?? null;
  const flags = [
    source === null ? 'source?' : (UPS_MIB_SOURCES[source] ?? `source(${source})`),
    battery === null ? 'battery?' : (UPS_MIB_BATTERY[battery] ?? `battery(${battery})`),
  ];
  const power = source === 5 ? 'on-battery' : source === null || source === 1 || source === 2 ? 'unknown' : 'online';
  const minutes = v.minutesRemaining ?? null;
  return finish(name, {
    power,
    lowBattery: battery === 3 || battery === 4,
    chargePercent: v.chargeRemaining ?? null,
    runtimeSeconds: minutes === null ? null : minutes * 60,
    loadPercent: v.outputLoad ?? null,
    flags,
  });
}

/** PowerNet values to a reading; upsAdvBatteryRunTimeRemaining is in hundredths of a second. */
export function readingFromPowerNet(name: string, v: Values): UpsReading {
  const output = v.outputStatus ?? null;
  const battery = v.batteryStatus ?? null;
  const flags = [
    output === null ? 'output?' : (POWERNET_OUTPUT[output] ?? `output(${output})`),
    battery === null ? 'battery?' : (POWERNET_BATTERY[battery] ?? `battery(${battery})`),
  ];
  const power =
    output !== null && POWERNET_ON_BATTERY.has(output)
      ? 'on-battery'
      : output !== null && POWERNET_ON_LINE.has(output)
        ? 'online'
        : 'unknown';
  const ticks = v.runTime ?? null;
  return finish(name, {
    power,
    lowBattery: battery === 3,
    chargePercent: v.capacity ?? null,
    runtimeSeconds: ticks === null ? null : Math.round(ticks / 100),
    loadPercent: v.load ?? null,
    flags,
  });
}

function finish(
  name: string,
  r: Pick<UpsReading, 'power' | 'lowBattery' | 'chargePercent' | 'runtimeSeconds' | 'loadPercent' | 'flags'>,
): UpsReading {
  const parts = [
    r.power === 'online' ? 'on line' : r.power === 'on-battery' ? 'on battery' : `status ${r.flags.join(' ')}`,
    ...(r.lowBattery ? ['low battery'] : []),
    ...(r.chargePercent !== null ? [`charge ${r.chargePercent}%`] : []),
    ...(r.runtimeSeconds !== null ? [`runtime ${Math.round(r.runtimeSeconds / 60)} min`] : []),
  ];
  return { state: 'ok', forcedShutdown: false, ...r, message: `${name}: ${parts.join(', ')}` };
}

export class SnmpUpsReader implements UpsReader {
  private readonly settings: SnmpUpsSettings;

  constructor(
    settings: z.input<typeof snmpUpsSettings>,
    private readonly timeoutMs = 3000,
  ) {
    this.settings = snmpUpsSettings.parse(settings);
  }

  async read(): Promise<UpsReading> {
    const s = this.settings;
    const name = `snmp ${where(s.host, s.port)}`;
    const oids: Record<string, string> = s.mib === 'powernet' ? POWERNET : UPS_MIB;
    let session: ReturnType<typeof openSnmpSession> | undefined;
    try {
      const { address, family } = await lookup(s.host);
      session = openSnmpSession(s, address, family, this.timeoutMs);
      session.on('error', () => undefined);
      const open = session;
      const names = Object.keys(oids);
      const varbinds = await new Promise<{ oid: string; type: number; value: unknown }[]>((resolve, reject) => {
        open.get(
          names.map((n) => oids[n] ?? ''),
          (error: Error | null, vbs: { oid: string; type: number; value: unknown }[]) =>
            error ? reject(error) : resolve(vbs),
        );
      });
      const values: Values = {};
      names.forEach((n, i) => {
        const vb = varbinds[i];
        values[n] = vb && typeof vb.value === 'number' ? readSnmpValue(vb as never).number : null;
      });
      if (Object.values(values).every((v) => v === null))
        return noReading(
          'error',
          `${name}: the agent answers but has no ${s.mib === 'powernet' ? 'PowerNet' : 'UPS-MIB'} values`,
        );
      return s.mib === 'powernet' ? readingFromPowerNet(name, values) : readingFromUpsMib(name, values);
    } catch (err) {
      const systemError = typeof (err as { code?: unknown }).code === 'string';
      const message = systemError ? describeNetError(err, s.host, s.port) : (err as Error).message;
      return noReading('unreachable', `${name}: ${/timed out/i.test(message) ? 'no SNMP answer' : message}`);
    } finally {
      try {
        session?.close();
      } catch {
        // already closed
      }
    }
  }

  close(): void {}
}
