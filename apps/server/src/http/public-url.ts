import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { badInput } from './errors.js';

/** Characters an address may have to be put into a shell script and a command line as it is. */
const SAFE_URL = /^https?:\/\/[A-Za-z0-9.\-:[\]]+(\/[A-Za-z0-9._~/-]*)?$/;

/**
 * The hub's address as the offices reach it: AFTERHOURS_PUBLIC_URL, or else the address this request
 * came to (behind a proxy: as the proxy says, with trustProxy). `configured` says which.
 */
export function publicHubUrl(ctx: AppContext, request: FastifyRequest): { url: string; configured: boolean } {
  if (ctx.settings.publicUrl && !ctx.settings.publicUrlGuessed)
    return { url: ctx.settings.publicUrl, configured: true };
  const url = `${request.protocol}://${request.host}`;
  // The Host header is the caller's to choose: never let it put anything but an address into a script.
  if (!SAFE_URL.test(url)) throw badInput({ host: 'is not a plain host name; set AFTERHOURS_PUBLIC_URL' });
  return { url, configured: false };
}
