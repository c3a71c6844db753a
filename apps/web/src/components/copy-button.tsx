import { useState } from 'react';
import { Button } from './button';

/** Copies text to the clipboard and says so for a moment. */
export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  return (
    <Button
      small
      aria-label={label}
      onClick={() => {
        const done = (ok: boolean) => {
          setCopied(ok ? 'yes' : 'no');
          setTimeout(() => setCopied(null), 2000);
        };
        if (navigator.clipboard?.writeText)
          navigator.clipboard.writeText(text).then(
            () => done(true),
            () => done(false),
          );
        else done(false);
      }}
    >
      <span aria-live="polite">{copied === 'yes' ? 'Copied' : copied === 'no' ? 'Select and copy' : label}</span>
    </Button>
  );
}
