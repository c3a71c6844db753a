/**
 * The oncall and channels work this engine calls (brief-10.md): who is on call, teams, and the outbox.
 * One seam, so the escalation and alert code import them from here only.
 * TEMPORARY until the channels exports land on main: pages and notices are not written anywhere
 * (subject_pages still records who was paged).
 */
import type { Kdb } from '../../db/database.js';
import type { Subject } from '../alerts/links.js';

export interface Message {
  title: string;
  body: string;
  lines?: string[];
  links: { open?: string; ack?: string };
  client?: string;
  site?: string;
  since?: string;
}

export { onCallAt, teamMembers } from '../oncall/who.js';

export async function pageUser(
  _trx: Kdb,
  _page: {
    userId: string;
    subject: Subject;
    round: string;
    message: Message;
    urgency: 'high' | 'low';
    now: string;
  },
): Promise<void> {}

export async function cancelPending(_trx: Kdb, _subject: Subject, _now: string): Promise<void> {}

export async function notifyUser(
  _trx: Kdb,
  _notice: { userId: string; subject: Subject; message: Message; now: string },
): Promise<void> {}
