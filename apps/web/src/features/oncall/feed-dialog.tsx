import { useState } from 'react';
import { api } from '../../api/client';
import { useSubmit } from '../../api/use-submit';
import { Button } from '../../components/button';
import { CopyButton } from '../../components/copy-button';
import { Dialog, DialogActions } from '../../components/dialog';
import { ErrorNotice, Notice } from '../../components/notice';

/** Makes a new secret iCal URL (the old one stops working) and shows it once. */
export function FeedDialog({ path, title, onClose }: { path: string; title: string; onClose: () => void }) {
  const [url, setUrl] = useState<string | null>(null);
  const { busy, error, submit } = useSubmit(
    () => api.post<{ url: string }>(path),
    (r) => setUrl(r.url),
  );
  return (
    <Dialog title={title} onClose={onClose}>
      <ErrorNotice error={error} />
      {url ? (
        <>
          <Notice tone="warn">Shown only now. Add it to your calendar app as a subscription; keep it private.</Notice>
          <div className="secret secret-block">
            <code aria-label="Calendar feed URL">{url}</code>
            <CopyButton text={url} label="Copy URL" />
          </div>
        </>
      ) : (
        <p>A secret address your calendar app subscribes to. Making a new one stops the old one working.</p>
      )}
      <DialogActions>
        <Button onClick={onClose}>{url ? 'Done' : 'Cancel'}</Button>
        {!url && (
          <Button variant="primary" busy={busy} onClick={() => submit()}>
            Make feed URL
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}
