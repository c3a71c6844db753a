import type { ChannelKind } from '../../api/types';

export interface MethodField {
  name: string;
  label: string;
  placeholder?: string;
  type?: 'text' | 'email' | 'tel' | 'url' | 'password';
  optional?: boolean;
  hint?: string;
}

/** What each kind asks for when adding a method (the hub validates with the kind's own schema). */
export const METHOD_FIELDS: Record<Exclude<ChannelKind, 'push'>, MethodField[]> = {
  email: [{ name: 'address', label: 'E-mail address', type: 'email', placeholder: 'you@example.com' }],
  sms: [
    {
      name: 'number',
      label: 'Mobile number',
      type: 'tel',
      placeholder: '+447700900123',
      hint: 'International form, starting with +',
    },
  ],
  voice: [
    {
      name: 'number',
      label: 'Phone number',
      type: 'tel',
      placeholder: '+447700900123',
      hint: 'International form, starting with +',
    },
  ],
  webhook: [
    { name: 'url', label: 'URL', type: 'url', placeholder: 'https://example.com/afterhours' },
    {
      name: 'secret',
      label: 'Signing secret',
      type: 'password',
      hint: 'At least 16 characters; the receiver checks X-Afterhours-Signature with it',
    },
  ],
  slack: [
    {
      name: 'webhookUrl',
      label: 'Incoming webhook URL',
      type: 'url',
      placeholder: 'https://hooks.slack.com/services/…',
    },
  ],
  teams: [{ name: 'webhookUrl', label: 'Workflow webhook URL', type: 'url' }],
  discord: [
    { name: 'webhookUrl', label: 'Webhook URL', type: 'url', placeholder: 'https://discord.com/api/webhooks/…' },
  ],
  telegram: [
    { name: 'botToken', label: 'Bot token', type: 'password', placeholder: '123456:ABC…' },
    { name: 'chatId', label: 'Chat id', placeholder: '-1001234567890' },
  ],
  ntfy: [
    { name: 'server', label: 'Server', type: 'url', placeholder: 'https://ntfy.sh', optional: true },
    { name: 'topic', label: 'Topic', placeholder: 'acme-oncall-7f3k' },
    { name: 'token', label: 'Access token', type: 'password', optional: true },
  ],
  pushover: [
    { name: 'userKey', label: 'User key', type: 'password' },
    { name: 'appToken', label: 'Application token', type: 'password' },
  ],
};

/** Subscribes this phone's browser to push with the hub's VAPID key: the settings of a 'push' method. */
export async function subscribeThisDevice(
  publicKey: string,
): Promise<{ endpoint: string; keys: { p256dh: string; auth: string } }> {
  if (!('serviceWorker' in navigator) || !('PushManager' in window))
    throw new Error('This browser cannot receive push. On an iPhone, add Afterhours to the Home Screen first.');
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') throw new Error('Notifications are not allowed for Afterhours in this browser.');
  const registration = await navigator.serviceWorker.ready;
  const subscription = await registration.pushManager.subscribe({
    userVisibleOnly: true,
    applicationServerKey: base64UrlToBytes(publicKey),
  });
  const json = subscription.toJSON();
  return { endpoint: json.endpoint ?? '', keys: { p256dh: json.keys?.p256dh ?? '', auth: json.keys?.auth ?? '' } };
}

function base64UrlToBytes(value: string): Uint8Array<ArrayBuffer> {
  const raw = atob(
    value
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .padEnd(Math.ceil(value.length / 4) * 4, '='),
  );
  const bytes = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}
