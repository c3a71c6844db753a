import type { EmailPresetName, EmailRule } from '@afterhours/shared';

export interface EmailPreset {
  description: string;
  rules: EmailRule[];
}

/**
 * Rule sets a heartbeat can use as well as its own. Only a generic one ships: a preset for a named
 * backup product must follow that product's documented report format (cited here), and none has been
 * checked against its documentation yet, so products are set up with their own rules (docs/heartbeats.md
 * shows how). Failure words are tried before warning words, and warning before success, so a subject
 * such as "Completed with errors" counts as a failure.
 */
export const PRESETS: Record<EmailPresetName, EmailPreset> = {
  generic: {
    description:
      'Words most backup reports put in their subject: failed/error → failure; warning → warning; success/succeeded/completed → success',
    rules: [
      { result: 'failure', subject: 'fail' },
      { result: 'failure', subject: 'error' },
      { result: 'warning', subject: 'warning' },
      { result: 'success', subject: 'success' },
      { result: 'success', subject: 'succeeded' },
      { result: 'success', subject: 'completed' },
    ],
  },
};
