// Reads started by index.html before the app's script arrived (the Now screen's first requests).

interface Early {
  at: number;
  responses: Record<string, Promise<Response | null> | undefined>;
}

declare global {
  interface Window {
    __afterhoursEarly?: Early;
  }
}

/** Older than this and an early answer is not used: the app asks again. */
const FRESH_MS = 10_000;

/**
 * The early answer to GET `path`, once: a successful one only (anything else — signed out, an error — is
 * asked again by the app, so that sign-in and error handling see a request of their own), and only while
 * fresh. Null when there is none.
 */
export async function takeEarly(path: string): Promise<Response | null> {
  const early = window.__afterhoursEarly;
  const pending = early?.responses[path];
  if (!early || !pending) return null;
  delete early.responses[path];
  if (Date.now() - early.at > FRESH_MS) return null;
  const response = await pending;
  return response?.ok ? response : null;
}
