import { noReading, type UpsReader, type UpsReading } from '../reading.js';
import { NutClient, NutConnectionError, NutError, type NutClientOptions } from './client.js';
import { readingFromNutVars } from './status.js';

/**
 * Reads one UPS from upsd over a kept connection, opening a new one when it was lost.
 * Never throws: every failure is a reading whose state says what went wrong.
 */
export class NutReader implements UpsReader {
  private client: NutClient | null = null;
  private connecting: Promise<NutClient> | null = null;

  constructor(private readonly options: NutClientOptions & { ups: string }) {}

  async read(): Promise<UpsReading> {
    const { ups } = this.options;
    try {
      const client = await this.connection();
      const vars = await client.listVars(ups);
      return readingFromNutVars(ups, vars);
    } catch (err) {
      if (err instanceof NutError) {
        if (err.code === 'DRIVER-NOT-CONNECTED')
          return noReading('driver-not-connected', `${ups}: upsd runs but its UPS driver is not connected`);
        if (err.code === 'DATA-STALE')
          return noReading('stale', `${ups}: upsd's data is stale (the driver stopped updating it)`);
        return noReading('error', `${ups}: ${err.message}`);
      }
      this.drop();
      const message = err instanceof NutConnectionError ? err.message : String(err);
      return noReading('unreachable', `${ups}: ${message}`);
    }
  }

  close(): void {
    this.drop();
  }

  private drop(): void {
    this.client?.close();
    this.client = null;
  }

  private async connection(): Promise<NutClient> {
    if (this.client && !this.client.closed) return this.client;
    this.connecting ??= NutClient.connect(this.options).finally(() => {
      this.connecting = null;
    });
    const client = await this.connecting;
    client.onClose(() => {
      if (this.client === client) this.client = null;
    });
    this.client = client;
    return client;
  }
}
