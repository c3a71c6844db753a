import type { EmailRule, PingAction } from '@afterhours/shared';
import type { EmailSettings } from '../../domain/heartbeats/presenter.js';
import { PRESETS } from './presets.js';

export interface ReportMessage {
  from: string;
  subject: string;
  text: string;
}

const RESULT_ACTION = { success: 'success', warning: 'warning', failure: 'fail', ignore: 'ignore' } as const;

/** Whether every pattern the rule gives is found (case-insensitive) in its part of the message. */
export function ruleMatches(rule: EmailRule, message: ReportMessage): boolean {
  const has = (haystack: string, needle: string | undefined) =>
    !needle || haystack.toLowerCase().includes(needle.toLowerCase());
  return has(message.from, rule.from) && has(message.subject, rule.subject) && has(message.text, rule.body);
}

/**
 * What a report means: the heartbeat's own rules in order, then its preset's, first match wins;
 * otherwise its `otherwise` (ignore by default: recorded with the history, no change of state).
 */
export function classifyReport(message: ReportMessage, settings: EmailSettings): { action: PingAction; rule: string } {
  const rules = [...settings.rules, ...(settings.preset ? PRESETS[settings.preset].rules : [])];
  for (const [i, rule] of rules.entries()) {
    if (ruleMatches(rule, message))
      return {
        action: RESULT_ACTION[rule.result],
        rule: i < settings.rules.length ? `rule ${i + 1}` : `${settings.preset} preset`,
      };
  }
  return { action: RESULT_ACTION[settings.otherwise], rule: 'no rule matched' };
}
