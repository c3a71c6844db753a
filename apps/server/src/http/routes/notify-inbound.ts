import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { deliveryReport, fromProvider, inboundSms, voiceKeypress } from '../../domain/notify/inbound.js';
import type { ZodApp } from '../zod-app.js';

type Form = Record<string, string>;

/**
 * What the SMS/voice provider calls (Twilio-shaped, form-encoded, signed with X-Twilio-Signature over the
 * hub's public URL): replies by SMS, keypresses on a call, delivery reports. Unsigned calls get 403.
 */
export async function notifyInboundRoutes(app: ZodApp, ctx: AppContext) {
  // biome-ignore lint/nursery/noMisusedPromises: Fastify awaits the promise of an async plugin
  await app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });

    const signed = async (request: FastifyRequest, reply: FastifyReply): Promise<Form | null> => {
      const form = (request.body ?? {}) as Form;
      const signature = request.headers['x-twilio-signature'];
      if (!(await fromProvider(ctx, request.url, form, typeof signature === 'string' ? signature : undefined))) {
        await reply.code(403).type('text/plain').send('invalid signature');
        return null;
      }
      return form;
    };
    const xml = (reply: FastifyReply, body: string) => reply.type('text/xml; charset=utf-8').send(body);
    const config = { public: true };
    const schema = { hide: true };

    scope.post('/api/notify/twilio/sms', { config, schema }, async (request, reply) => {
      const form = await signed(request, reply);
      if (!form) return reply;
      const answer = await inboundSms(ctx, form.From ?? '', form.Body ?? '');
      return xml(reply, `<?xml version="1.0" encoding="UTF-8"?><Response><Message>${answer}</Message></Response>`);
    });

    scope.post<{ Params: { id: string } }>(
      '/api/notify/twilio/voice/:id',
      { config, schema },
      async (request, reply) => {
        const form = await signed(request, reply);
        if (!form) return reply;
        return xml(reply, await voiceKeypress(ctx, request.params.id, form.Digits ?? ''));
      },
    );

    scope.post<{ Params: { id: string } }>(
      '/api/notify/twilio/status/:id',
      { config, schema },
      async (request, reply) => {
        const form = await signed(request, reply);
        if (!form) return reply;
        const status = form.MessageStatus ?? form.CallStatus ?? '';
        await deliveryReport(ctx, request.params.id, status, form.ErrorCode);
        return reply.code(204).send();
      },
    );
  });
}
