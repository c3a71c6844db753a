import type { ChannelKind } from '@afterhours/shared';
import type { ChannelDefinition } from './channel.js';
import { discord } from './discord/index.js';
import { email } from './email/index.js';
import { ntfy } from './ntfy/index.js';
import { push } from './push/index.js';
import { pushover } from './pushover/index.js';
import { slack } from './slack/index.js';
import { sms } from './sms/index.js';
import { teams } from './teams/index.js';
import { telegram } from './telegram/index.js';
import { voice } from './voice/index.js';
import { webhook } from './webhook/index.js';

/** Every notification channel the hub can send through; a kind missing here fails to compile. */
export const channels = {
  email,
  push,
  sms,
  voice,
  webhook,
  slack,
  teams,
  discord,
  telegram,
  ntfy,
  pushover,
} satisfies Record<ChannelKind, ChannelDefinition>;

export function channelOf(kind: string): ChannelDefinition | undefined {
  return (channels as Record<string, ChannelDefinition>)[kind];
}
