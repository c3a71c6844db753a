import type { ChannelKind, Message, Urgency } from '@afterhours/shared';
import type { z } from 'zod';

/** The hub-wide settings channels share: the outgoing mail server, the SMS/voice provider, the VAPID keys. */
export interface HubChannels {
  smtp: SmtpServer | null;
  twilio: TwilioAccount | null;
  vapid: VapidKeys | null;
}

export interface SmtpServer {
  host: string;
  port: number;
  security: 'tls' | 'starttls' | 'none';
  username?: string | undefined;
  password?: string | undefined;
  from: string;
}

export interface TwilioAccount {
  baseUrl: string;
  accountSid: string;
  authToken: string;
  from: string;
}

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
  subject: string;
}

export interface SendInput<S> {
  settings: S;
  message: Message;
  urgency: Urgency;
  hub: HubChannels;
  /** The outbox row's id: the idempotency key given to providers that take one, and the reply address. */
  messageId: string;
  /** Every external call gives up after this long (a timeout is a temporary failure). */
  timeoutMs: number;
  /** The hub's public URL, for callbacks (voice keypresses, delivery reports). */
  publicUrl: string | undefined;
  /** Where a reply by e-mail goes (reply+<id>@<domain>), when the hub receives mail. */
  replyTo: string | undefined;
}

export interface SendOutcome {
  /** The provider's id for the message (a Twilio SID, an SMTP Message-ID), for delivery reports. */
  providerRef?: string | undefined;
}

/**
 * A channel's `send` throws this when it did not deliver: `retryable` says whether trying again later
 * can help (a timeout, a 5xx, a 429) or not (a refused address, a revoked token: the method is broken).
 */
export class ChannelError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    /** 'hub' when the hub's own settings are missing or wrong: the person's method is not to blame. */
    readonly blame: 'method' | 'hub' = 'method',
    /** The HTTP status the service answered, when it answered. */
    readonly status?: number,
  ) {
    super(message);
  }
}

export const hubNotSetUp = (what: string) =>
  new ChannelError(
    `The hub has no ${what} set up yet (an owner or admin sets it in Settings → Channels)`,
    false,
    'hub',
  );

export interface ChannelDefinition<S = any> {
  kind: ChannelKind;
  label: string;
  /** The per-person settings (an address, a webhook URL, a token); stored encrypted. */
  settings: z.ZodType<S>;
  /** What the settings may show: an address, a masked number, a host; never a token. */
  summary(settings: S): string;
  /** Which hub-wide settings it needs before it can send (shown as unavailable otherwise). */
  needs?: keyof HubChannels;
  send(input: SendInput<S>): Promise<SendOutcome>;
}
