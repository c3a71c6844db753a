import { z } from 'zod';
import { defineAction } from '../types.js';

export const manualSettings = z.strictObject({
  /** What the person should do: "switch off the old fax server at the wall". */
  instructions: z.string().trim().max(500).default(''),
});

/** A person does it and confirms in the app; the plan waits for the confirmation as its verification. */
export const manual = defineAction({
  kind: 'manual',
  label: 'Manual (a person confirms)',
  settings: manualSettings,
  secrets: [],
  directions: ['shutdown', 'startup'],
  describe: (s, direction) =>
    `a person ${direction === 'shutdown' ? 'shuts it down' : 'starts it'}${s.instructions ? `: ${s.instructions}` : ''} and confirms`,
  run: async (s, direction) => ({
    ok: true,
    message: `waiting for a person to ${direction === 'shutdown' ? 'shut it down' : 'start it'} and confirm${s.instructions ? ` (${s.instructions})` : ''}`,
  }),
});
