import { createECDH, createHmac, createPublicKey, randomBytes, verify } from 'node:crypto';
import type { Message } from '@afterhours/shared';
import webpush from 'web-push';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decryptAes128gcm, startHttpSink } from '../test/notify.js';
import type { ChannelDefinition, HubChannels, SendInput } from './channel.js';
import { channels } from './registry.js';
import { twilioSignature, verifyTwilioSignature } from './twilio/api.js';
import { signWebhook } from './webhook/index.js';

const message: Message = {
  title: 'Server down',
  body: 'dc01 has not answered ping for 3 minutes.',
  lines: ['ping: timeout'],
  links: { ack: 'https://desk.example/l/ack?t=abc', open: 'https://desk.example/l/open?t=def' },
  client: 'Harbour Dental',
  site: 'Main office',
  since: '2026-11-20T16:55:00.000Z',
};
const HEADLINE = 'Harbour Dental · Main office: Server down';

type Sink = Awaited<ReturnType<typeof startHttpSink>>;

function input<S>(settings: S, hub: Partial<HubChannels> = {}): SendInput<S> {
  return {
    settings,
    message,
    urgency: 'high',
    hub: { smtp: null, twilio: null, vapid: null, ...hub },
    messageId: '5f0c7c1e-0000-4000-8000-000000000001',
    timeoutMs: 2000,
    publicUrl: 'https://desk.example',
    replyTo: undefined,
  };
}

async function send<S>(definition: ChannelDefinition<S>, raw: unknown, hub: Partial<HubChannels> = {}) {
  return definition.send(input(definition.settings.parse(raw), hub));
}

describe('channel payloads, against HTTP sinks standing in for each service', () => {
  let sink: Sink;
  let answer: { status: number; body?: string } = { status: 200, body: 'ok' };
  beforeEach(async () => {
    answer = { status: 200, body: 'ok' };
    sink = await startHttpSink(() => answer);
  });
  afterEach(() => sink.close());

  it('Slack: an incoming-webhook message with text and mrkdwn blocks', async () => {
    await send(channels.slack, { webhookUrl: `${sink.url}/services/T000/B000/XXXX` });
    const [req] = sink.requests;
    expect(req?.url).toBe('/services/T000/B000/XXXX');
    expect(req?.headers['content-type']).toBe('application/json');
    const body = req?.json();
    expect(body.text).toBe(HEADLINE);
    expect(body.blocks[0]).toMatchObject({ type: 'section', text: { type: 'mrkdwn' } });
    expect(body.blocks[0].text.text).toContain('dc01 has not answered');
    expect(body.blocks[1].text.text).toBe(
      '<https://desk.example/l/ack?t=abc|Acknowledge>  ·  <https://desk.example/l/open?t=def|Open>',
    );
  });

  it('Microsoft Teams: a message with one Adaptive Card attachment and open-URL actions', async () => {
    answer = { status: 202 };
    await send(channels.teams, { webhookUrl: `${sink.url}/workflows/abc/triggers/manual/paths/invoke?sig=s` });
    const body = sink.requests[0]?.json();
    expect(body.type).toBe('message');
    expect(body.attachments).toHaveLength(1);
    const [attachment] = body.attachments;
    expect(attachment.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(attachment.content.type).toBe('AdaptiveCard');
    expect(attachment.content.version).toBe('1.4');
    expect(attachment.content.body[0]).toMatchObject({ type: 'TextBlock', text: HEADLINE, weight: 'Bolder' });
    expect(attachment.content.actions).toEqual([
      { type: 'Action.OpenUrl', title: 'Acknowledge', url: message.links.ack },
      { type: 'Action.OpenUrl', title: 'Open', url: message.links.open },
    ]);
  });

  it('Discord: content, one embed, no mentions parsed; 204 is success', async () => {
    answer = { status: 204 };
    await send(channels.discord, { webhookUrl: `${sink.url}/api/webhooks/123/token` });
    const body = sink.requests[0]?.json();
    expect(body.content).toBe(HEADLINE);
    expect(body.embeds[0]).toMatchObject({ title: 'Server down', url: message.links.open, timestamp: message.since });
    expect(body.embeds[0].description).toContain('[Acknowledge](https://desk.example/l/ack?t=abc)');
    expect(body.allowed_mentions).toEqual({ parse: [] });
  });

  it('Telegram: Bot API sendMessage with chat_id, text and inline keyboard buttons', async () => {
    answer = { status: 200, body: JSON.stringify({ ok: true, result: { message_id: 42 } }) };
    const outcome = await send(channels.telegram, {
      botToken: '123456:ABCdefGhIJKlmNoPQRsTUVwxyZ012345678',
      chatId: '-1001234567890',
      apiBase: sink.url,
    });
    const req = sink.requests[0];
    expect(req?.url).toBe('/bot123456:ABCdefGhIJKlmNoPQRsTUVwxyZ012345678/sendMessage');
    const body = req?.json();
    expect(body.chat_id).toBe('-1001234567890');
    expect(body.text.startsWith(HEADLINE)).toBe(true);
    expect(body.reply_markup.inline_keyboard).toEqual([
      [
        { text: 'Acknowledge', url: message.links.ack },
        { text: 'Open', url: message.links.open },
      ],
    ]);
    expect(outcome.providerRef).toBe('42');
  });

  it('ntfy: a JSON publish with topic, title, priority 5 for a page, click, actions and the access token', async () => {
    await send(channels.ntfy, { server: sink.url, topic: 'desk-oncall', token: 'tk_abcdef' });
    const req = sink.requests[0];
    expect(req?.url).toBe('/');
    expect(req?.headers.authorization).toBe('Bearer tk_abcdef');
    const body = req?.json();
    expect(body).toMatchObject({ topic: 'desk-oncall', title: HEADLINE, priority: 5, click: message.links.open });
    expect(body.actions).toEqual([
      { action: 'http', label: 'Acknowledge', url: message.links.ack, method: 'POST', clear: true },
      { action: 'view', label: 'Open', url: message.links.open },
    ]);
  });

  it('Pushover: a form-encoded message with title, url, priority 1 and timestamp', async () => {
    answer = { status: 200, body: JSON.stringify({ status: 1, request: 'req-1' }) };
    const outcome = await send(channels.pushover, {
      userKey: 'uQiRzpo4DXghDmr9QzzfQu27cmVRsG',
      appToken: 'azGDORePK8gMaC0QOYAMyEEuzJnyUi',
      apiBase: sink.url,
    });
    const req = sink.requests[0];
    expect(req?.url).toBe('/1/messages.json');
    expect(req?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const form = Object.fromEntries(new URLSearchParams(req?.text));
    expect(form).toMatchObject({
      token: 'azGDORePK8gMaC0QOYAMyEEuzJnyUi',
      user: 'uQiRzpo4DXghDmr9QzzfQu27cmVRsG',
      title: HEADLINE,
      priority: '1',
      url: message.links.ack,
      url_title: 'Acknowledge',
      timestamp: String(Date.parse('2026-11-20T16:55:00.000Z') / 1000),
    });
    expect(outcome.providerRef).toBe('req-1');
  });

  it('webhook: JSON signed with HMAC-SHA256 of timestamp and body under the method secret', async () => {
    const secret = 'a-long-webhook-secret';
    await send(channels.webhook, { url: `${sink.url}/hook`, secret });
    const req = sink.requests[0];
    const timestamp = String(req?.headers['x-afterhours-timestamp']);
    expect(req?.headers['x-afterhours-signature']).toBe(signWebhook(secret, timestamp, req?.text ?? ''));
    expect(req?.headers['x-afterhours-signature']).toBe(
      `sha256=${createHmac('sha256', secret).update(`${timestamp}.${req?.text}`).digest('hex')}`,
    );
    expect(req?.json()).toEqual({ type: 'notification', id: input(null).messageId, urgency: 'high', message });
  });

  const twilio = () => ({
    twilio: { baseUrl: sink.url, accountSid: 'AC0123456789abcdef', authToken: 'twilio-token', from: '+441632960000' },
  });

  it('SMS: Twilio-shaped Messages.json with Basic auth, To/From/Body and the status callback', async () => {
    answer = { status: 201, body: JSON.stringify({ sid: 'SM123', status: 'queued' }) };
    const outcome = await send(channels.sms, { number: '+447700900123' }, twilio());
    const req = sink.requests[0];
    expect(req?.url).toBe('/2010-04-01/Accounts/AC0123456789abcdef/Messages.json');
    expect(req?.headers.authorization).toBe(
      `Basic ${Buffer.from('AC0123456789abcdef:twilio-token').toString('base64')}`,
    );
    const form = Object.fromEntries(new URLSearchParams(req?.text));
    expect(form.To).toBe('+447700900123');
    expect(form.From).toBe('+441632960000');
    expect(form.Body).toContain(HEADLINE);
    expect(form.Body).toContain('Ack: https://desk.example/l/ack?t=abc');
    expect(form.Body).toContain('Reply ACK to acknowledge.');
    expect(form.Body?.length).toBeLessThanOrEqual(320);
    expect(form.StatusCallback).toBe(`https://desk.example/api/notify/twilio/status/${input(null).messageId}`);
    expect(outcome.providerRef).toBe('SM123');
  });

  it('voice: Twilio-shaped Calls.json with TwiML that reads the alert and gathers one digit', async () => {
    answer = { status: 201, body: JSON.stringify({ sid: 'CA123' }) };
    await send(channels.voice, { number: '+447700900123' }, twilio());
    const req = sink.requests[0];
    expect(req?.url).toBe('/2010-04-01/Accounts/AC0123456789abcdef/Calls.json');
    const form = Object.fromEntries(new URLSearchParams(req?.text));
    expect(form.Twiml).toBe(
      `<Response><Gather numDigits="1" timeout="10" action="https://desk.example/api/notify/twilio/voice/${input(null).messageId}" method="POST">` +
        '<Say>Afterhours alert. Harbour Dental, Main office. Server down. dc01 has not answered ping for 3 minutes.</Say>' +
        '<Say>Press 1 to acknowledge.</Say></Gather><Say>No answer was given. Goodbye.</Say></Response>',
    );
  });

  it('SMS/voice: wrong hub credentials blame the hub, a refused number blames the method', async () => {
    answer = { status: 401, body: '{"code":20003}' };
    await expect(send(channels.sms, { number: '+447700900123' }, twilio())).rejects.toMatchObject({
      retryable: false,
      blame: 'hub',
    });
    answer = { status: 400, body: '{"code":21211,"message":"Invalid To"}' };
    await expect(send(channels.sms, { number: '+447700900123' }, twilio())).rejects.toMatchObject({
      retryable: false,
      blame: 'method',
    });
    answer = { status: 503 };
    await expect(send(channels.sms, { number: '+447700900123' }, twilio())).rejects.toMatchObject({ retryable: true });
  });

  it('Twilio signatures: the documented example validates', () => {
    // Twilio's own example (TwilioDevEd/api-snippets, security/signature_validation).
    const params = {
      CallSid: 'CA1234567890ABCDE',
      Caller: '+14158675310',
      Digits: '1234',
      From: '+14158675310',
      To: '+18005551212',
    };
    const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
    expect(twilioSignature('12345', url, params)).toBe('GvWf1cFY/Q7PnoempGyD5oXAezc=');
    expect(verifyTwilioSignature('12345', url, params, 'GvWf1cFY/Q7PnoempGyD5oXAezc=')).toBe(true);
    expect(verifyTwilioSignature('12345', url, { ...params, Digits: '1' }, 'GvWf1cFY/Q7PnoempGyD5oXAezc=')).toBe(false);
  });

  it('web push: the push service receives an RFC 8291 payload the subscription keys decrypt, with a valid VAPID JWT', async () => {
    answer = { status: 201 };
    const ua = createECDH('prime256v1');
    ua.generateKeys();
    const auth = randomBytes(16);
    const vapid = { ...webpush.generateVAPIDKeys(), subject: 'mailto:desk@example.com' };
    await send(
      channels.push,
      {
        endpoint: `${sink.url}/push/abc`,
        keys: { p256dh: ua.getPublicKey().toString('base64url'), auth: auth.toString('base64url') },
      },
      { vapid },
    );
    const req = sink.requests[0];
    expect(req?.url).toBe('/push/abc');
    expect(req?.headers['content-encoding']).toBe('aes128gcm');
    expect(req?.headers.urgency).toBe('high');
    expect(Number(req?.headers.ttl)).toBeGreaterThan(0);
    const payload = JSON.parse(decryptAes128gcm(req?.body ?? Buffer.alloc(0), ua, auth).toString('utf8'));
    expect(payload).toEqual({
      title: HEADLINE,
      body: 'since 20 Nov 16:55 UTC — dc01 has not answered ping for 3 minutes.',
      tag: input(null).messageId,
      urgency: 'high',
      open: message.links.open,
      ack: message.links.ack,
    });
    // VAPID (RFC 8292): "vapid t=<JWT>, k=<public key>", the JWT signed by that key for this origin.
    const match = /^vapid t=([^,]+), k=(.+)$/.exec(String(req?.headers.authorization));
    expect(match?.[2]).toBe(vapid.publicKey);
    const [h, p, s] = (match?.[1] ?? '').split('.');
    const claims = JSON.parse(Buffer.from(p ?? '', 'base64url').toString());
    expect(claims.aud).toBe(sink.url);
    expect(claims.sub).toBe('mailto:desk@example.com');
    const raw = Buffer.from(vapid.publicKey, 'base64url');
    const key = createPublicKey({
      key: {
        kty: 'EC',
        crv: 'P-256',
        x: raw.subarray(1, 33).toString('base64url'),
        y: raw.subarray(33).toString('base64url'),
      },
      format: 'jwk',
    });
    expect(
      verify('sha256', Buffer.from(`${h}.${p}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(s ?? '', 'base64url')),
    ).toBe(true);
  });

  it('web push: a subscription the service no longer knows (410) is a permanent failure', async () => {
    answer = { status: 410 };
    const ua = createECDH('prime256v1');
    ua.generateKeys();
    const raw = {
      endpoint: `${sink.url}/push/gone`,
      keys: { p256dh: ua.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') },
    };
    await expect(
      send(channels.push, raw, { vapid: { ...webpush.generateVAPIDKeys(), subject: 'mailto:a@b.c' } }),
    ).rejects.toMatchObject({
      retryable: false,
      blame: 'method',
    });
  });
});
