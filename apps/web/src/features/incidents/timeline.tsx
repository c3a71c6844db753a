import { type ReactNode, useRef, useState } from 'react';
import type { TimelineEntry } from '@afterhours/shared';
import { api } from '../../api/client';
import { useSubmit } from '../../api/use-submit';
import { Button } from '../../components/button';
import { CheckboxField } from '../../components/field';
import { ErrorNotice } from '../../components/notice';
import { clockTime } from '../../lib/date-format';

/** A word before lines whose text does not say what they are (calls, tasks and statuses say it themselves). */
const KIND_LABEL: Partial<Record<TimelineEntry['kind'], string>> = {
  alert: 'Alert',
  recovery: 'Recovered',
  power: 'Power',
  checklist: 'Checklist',
};

/**
 * Every line of the incident, in order, with who and when; photos shown where they were taken; `below` adds
 * to a line what other work knows of it (an update's delivery to each recipient).
 */
export function Timeline({
  incidentId,
  entries,
  now,
  below,
}: {
  incidentId: string;
  entries: TimelineEntry[];
  now: Date;
  below?: (entry: TimelineEntry) => ReactNode;
}) {
  return (
    <ol className="card timeline incident-timeline" aria-label="Timeline">
      {entries.map((e) => (
        <li key={e.id} className={`timeline-item is-${e.kind}`}>
          <time dateTime={e.at}>{clockTime(e.at, now)}</time>
          <span>
            {KIND_LABEL[e.kind] && <strong className="timeline-kind">{KIND_LABEL[e.kind]} </strong>}
            {e.text}
            {e.actor && <span className="muted"> · {e.actor.name}</span>}
            {e.internal && <span className="badge badge-info timeline-internal">Team only</span>}
            {below?.(e)}
            {e.kind === 'photo' && e.refId && (
              <a
                href={`/api/incidents/${incidentId}/photos/${e.refId}`}
                target="_blank"
                rel="noreferrer"
                className="timeline-photo"
              >
                <img src={`/api/incidents/${incidentId}/photos/${e.refId}`} alt={e.text} loading="lazy" />
              </a>
            )}
          </span>
        </li>
      ))}
    </ol>
  );
}

/** The longest side a photo keeps: enough to read a UPS display, small enough for a weak signal. */
const PHOTO_SIDE = 1600;

/** Scales a camera photo down to a JPEG before it leaves the phone (the hub refuses more than 5 MB). */
export async function shrink(file: File): Promise<Blob> {
  try {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, PHOTO_SIDE / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.82));
    return blob ?? file;
  } catch {
    return file;
  }
}

/**
 * A note in one line, and a photo from the camera attached to it. Both are the team's unless "Only the team
 * sees this" is unticked (the client is told through updates; see docs/incidents.md).
 */
export function NoteBar({ incidentId, onAdded }: { incidentId: string; onAdded: () => void }) {
  const [text, setText] = useState('');
  const [internal, setInternal] = useState(true);
  const file = useRef<HTMLInputElement>(null);
  const note = useSubmit(
    () => api.post(`/api/incidents/${incidentId}/notes`, { text, internal }),
    () => {
      setText('');
      onAdded();
    },
  );
  const [photo, setPhoto] = useState<File | null>(null);
  const upload = useSubmit(
    async () => {
      if (!photo) return null;
      const blob = await shrink(photo);
      return api.post(
        `/api/incidents/${incidentId}/photos?note=${encodeURIComponent(text)}&internal=${String(internal)}`,
        blob,
      );
    },
    () => {
      setText('');
      setPhoto(null);
      if (file.current) file.current.value = '';
      onAdded();
    },
  );
  return (
    <form
      className="note-bar"
      onSubmit={(e) => {
        e.preventDefault();
        if (photo) upload.submit();
        else if (text.trim()) note.submit();
      }}
    >
      <label className="visually-hidden" htmlFor="note-text">
        Note
      </label>
      <input
        id="note-text"
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder={photo ? 'Say what the photo shows' : 'Add a note'}
        maxLength={2000}
        enterKeyHint="send"
      />
      <label className="btn btn-secondary note-photo">
        <input
          ref={file}
          type="file"
          accept="image/*"
          capture="environment"
          className="visually-hidden"
          onChange={(e) => setPhoto(e.target.files?.[0] ?? null)}
        />
        {photo ? 'Photo ✓' : 'Photo'}
      </label>
      <Button type="submit" variant="primary" busy={note.busy || upload.busy}>
        Add
      </Button>
      <CheckboxField
        label="Only the team sees this"
        hint={internal ? '' : '(the client’s users and the report show it)'}
        checked={internal}
        onChange={setInternal}
      />
      <ErrorNotice error={note.error ?? upload.error} />
    </form>
  );
}
