import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ChannelError, hubNotSetUp, type TwilioAccount } from '../channel.js';
import { postForm } from '../http.js';

/** A phone number in E.164 form, the only form Twilio-shaped APIs take. */
export const PhoneNumber = z
  .string()
  .trim()
  .regex(/^\+[1-9]\d{6,14}$/, { error: 'must be a number in international form, e.g. +447700900123' });

export function maskNumber(number: string): string {
  return number.length > 6 ? `${number.slice(0, 3)}…${number.slice(-3)}` : number;
}

/**
 * POST to a Twilio-shaped REST resource (`/2010-04-01/Accounts/{sid}/Messages.json`, `Calls.json`) with
 * HTTP Basic auth of the account SID and auth token; answers the created resource's `sid`.
 */
export async function createResource(
  account: TwilioAccount | null,
  resource: 'Messages' | 'Calls',
  form: Record<string, string>,
  timeoutMs: number,
): Promise<string | undefined> {
  if (!account) throw hubNotSetUp('SMS and voice provider');
  const url = `${account.baseUrl.replace(/\/$/, '')}/2010-04-01/Accounts/${encodeURIComponent(account.accountSid)}/${resource}.json`;
  const auth = Buffer.from(`${account.accountSid}:${account.authToken}`).toString('base64');
  try {
    const answer = await postForm(url, form, timeoutMs, 'The SMS/voice provider', { authorization: `Basic ${auth}` });
    return (JSON.parse(answer.text || '{}') as { sid?: string }).sid;
  } catch (error) {
    // 401/403: the hub's credentials are wrong, not the person's number.
    if (error instanceof ChannelError && (error.status === 401 || error.status === 403))
      throw new ChannelError(error.message, false, 'hub');
    throw error;
  }
}

/**
 * Twilio's request signature: base64 HMAC-SHA1, under the auth token, of the full URL followed by each
 * POST parameter's name and value, sorted by name.
 */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data =
    url +
    Object.keys(params)
      .sort()
      .map((k) => k + params[k])
      .join('');
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

export function verifyTwilioSignature(
  authToken: string,
  url: string,
  params: Record<string, string>,
  signature: string | undefined,
): boolean {
  if (!signature) return false;
  const expected = Buffer.from(twilioSignature(authToken, url, params));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
