import type { Browser, Page } from 'playwright-core';
import { launchChromium, phoneContext, signIn } from './browser.js';
import {
  type ApiSession,
  createStorage,
  type HubStorage,
  type RunningHub,
  setUpOwner,
  startHub,
} from './hub-process.js';

export interface Owner {
  name: string;
  email: string;
  password: string;
}

export interface PhoneOptions {
  colorScheme?: 'light' | 'dark';
  timezoneId?: string;
  locale?: string;
}

/** A built hub on a fresh database with its owner set up; a phone signed in as the owner when asked for. */
export interface OwnerHub {
  storage: HubStorage;
  hub: RunningHub;
  /** The owner's API session. */
  api: ApiSession;
  /** Calls the API as the owner and answers the body; throws unless the status is 2xx. */
  ok(method: string, path: string, body?: unknown): Promise<any>;
  /** A new phone-sized page (390×844) in its own context, signed in as the owner; Chromium is closed by close(). */
  phone(options?: PhoneOptions): Promise<{ browser: Browser; page: Page }>;
  /** Closes the browser, stops the hub and drops its database. */
  close(): Promise<void>;
}

export async function startOwnerHub(
  dialect: 'sqlite' | 'postgres',
  owner: Owner,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<OwnerHub> {
  const storage = await createStorage(dialect);
  let hub: RunningHub | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await hub?.stop();
    await storage.destroy();
  };
  try {
    hub = await startHub(storage, undefined, extraEnv);
    const api = await setUpOwner(hub, owner);
    const running = hub;
    return {
      storage,
      hub: running,
      api,
      async ok(method, path, body) {
        const res = await api.call(method, path, body);
        if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
        return res.body;
      },
      async phone({ colorScheme = 'light', ...where }: PhoneOptions = {}) {
        browser ??= await launchChromium();
        const page = await (await phoneContext(browser, colorScheme, where)).newPage();
        await signIn(page, running.url, owner);
        return { browser, page };
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
