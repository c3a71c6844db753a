import { useState } from 'react';
import { Button } from '../../components/button';

type Outcome = 'shared' | 'copied' | 'failed' | null;

/** On a phone the system share sheet (to text or mail the client); elsewhere the clipboard. */
async function shareText(text: string): Promise<Outcome> {
  const phone = typeof matchMedia === 'function' && matchMedia('(pointer: coarse)').matches;
  if (phone && typeof navigator.share === 'function') {
    try {
      await navigator.share({ text });
      return 'shared';
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') return null;
    }
  }
  try {
    await navigator.clipboard.writeText(text);
    return 'copied';
  } catch {
    return 'failed';
  }
}

const SAID: Record<Exclude<Outcome, null>, string> = { shared: 'Shared', copied: 'Copied', failed: 'Could not copy' };

/** "Share": sends the line to tell the client; says what happened for a moment. */
export function ShareButton({ text, label }: { text: string; label: string }) {
  const [outcome, setOutcome] = useState<Outcome>(null);
  return (
    <Button
      small
      aria-label={label}
      onClick={() => {
        void shareText(text).then((o) => {
          setOutcome(o);
          if (o) setTimeout(() => setOutcome(null), 2500);
        });
      }}
    >
      <span aria-live="polite">{outcome ? SAID[outcome] : 'Share'}</span>
    </Button>
  );
}
