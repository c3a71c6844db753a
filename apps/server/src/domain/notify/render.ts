import type { Message } from '@afterhours/shared';

/** "Harbour Dental · Main office: Server down": who, where, what — the line a lock screen shows first. */
export function headline(m: Message): string {
  const where = [m.client, m.site].filter(Boolean).join(' · ');
  return where ? `${where}: ${m.title}` : m.title;
}

/** "since 5 Dec 03:12 UTC" */
export function sinceText(m: Message): string | undefined {
  if (!m.since) return undefined;
  const d = new Date(m.since);
  const day = d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
  const time = d.toISOString().slice(11, 16);
  return `since ${day} ${time} UTC`;
}

/** The link a one-link message carries: acknowledge where it can be, else open. */
export function mainLink(m: Message): string | undefined {
  return m.links.ack ?? m.links.open;
}

/** The whole message as plain text (e-mail, webhooks, chat). */
export function plainText(m: Message): string {
  const since = sinceText(m);
  const parts = [headline(m), since ? `(${since})` : '', '', m.body, ...(m.lines ?? []).map((l) => `- ${l}`), ''];
  if (m.links.ack) parts.push(`Acknowledge: ${m.links.ack}`);
  if (m.links.open) parts.push(`Open: ${m.links.open}`);
  return parts
    .filter((p, i, all) => !(p === '' && all[i - 1] === ''))
    .join('\n')
    .trim();
}

/** A short form for SMS and push (about one screen): headline, since, one link. */
export function shortText(m: Message, max = 300): string {
  const since = sinceText(m);
  const link = mainLink(m);
  const head = since ? `${headline(m)} (${since})` : headline(m);
  const tail = link ? `\n${m.links.ack ? 'Ack' : 'Open'}: ${link}` : '';
  const room = max - tail.length;
  const text = head.length > room ? `${head.slice(0, Math.max(0, room - 1))}…` : head;
  return text + tail;
}

/** What a voice call says: no links, words a speech engine reads well. */
export function spokenText(m: Message): string {
  const where = [m.client, m.site].filter(Boolean).join(', ');
  return `Afterhours alert. ${where ? `${where}. ` : ''}${m.title}. ${m.body}`.replace(/\s+/g, ' ').trim();
}
