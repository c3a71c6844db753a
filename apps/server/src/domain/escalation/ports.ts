/**
 * The oncall and channels work this engine calls (brief-10.md): who is on call, teams, and the outbox.
 * One seam, so the escalation and alert code import them from here only.
 */
export type { Message } from '@afterhours/shared';
export { cancelPending, notifyUser, pageUser } from '../notify/page.js';
export { wakeOutbox } from '../notify/wake.js';
export { onCallAt, teamMembers } from '../oncall/who.js';
