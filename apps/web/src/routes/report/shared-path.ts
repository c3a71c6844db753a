/** The pages a shared link opens: a report, read by someone with no account. */
export type SharedPath = { kind: 'incident-report' | 'checklist-report'; token: string };

const SHARED = /^\/shared\/(incident-report|checklist-report)\/([A-Za-z0-9_-]+)$/;

export function sharedPathOf(pathname: string): SharedPath | null {
  const match = SHARED.exec(pathname);
  return match ? { kind: match[1] as SharedPath['kind'], token: match[2]! } : null;
}
