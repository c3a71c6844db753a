/**
 * What a UPS reader tells: one shape for NUT and SNMP, so the agent and the plan triggers do not care
 * which protocol the office's UPS speaks.
 */
export type ReadingState =
  /** The UPS answered with fresh data. */
  | 'ok'
  /** upsd says its driver is (re)connecting (status WAIT). */
  | 'waiting'
  /** upsd has data but its driver stopped updating it (ERR DATA-STALE). */
  | 'stale'
  /** upsd runs, its driver does not (ERR DRIVER-NOT-CONNECTED). */
  | 'driver-not-connected'
  /** No answer from upsd or the SNMP agent, or the connection was lost. */
  | 'unreachable'
  /** Any other refusal (unknown UPS, access denied…); the message says which. */
  | 'error';

export type PowerSource = 'online' | 'on-battery' | 'unknown';

export interface UpsReading {
  state: ReadingState;
  power: PowerSource;
  lowBattery: boolean;
  /** The UPS or its server ordered a forced shutdown (NUT FSD); counted as on battery with low battery. */
  forcedShutdown: boolean;
  chargePercent: number | null;
  runtimeSeconds: number | null;
  loadPercent: number | null;
  /** The status words as the UPS gave them, unknown ones kept (NUT: OL CHRG…; SNMP: onBattery…). */
  flags: string[];
  /** One line a technician understands. */
  message: string;
}

export interface UpsReader {
  read(): Promise<UpsReading>;
  close(): void;
}

export function noReading(state: Exclude<ReadingState, 'ok'>, message: string): UpsReading {
  return {
    state,
    power: 'unknown',
    lowBattery: false,
    forcedShutdown: false,
    chargePercent: null,
    runtimeSeconds: null,
    loadPercent: null,
    flags: [],
    message,
  };
}

export function numberOrNull(text: string | undefined): number | null {
  if (text === undefined || text.trim() === '') return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}
