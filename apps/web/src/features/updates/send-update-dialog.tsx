import { useEffect, useState } from 'react';
import { ApiError, api } from '../../api/client';
import type { ClientUpdate, MessageTemplateList, UpdateDraft } from '../../api/types';
import { useApi } from '../../api/use-api';
import { useSubmit } from '../../api/use-submit';
import { Button } from '../../components/button';
import { Dialog, DialogActions } from '../../components/dialog';
import { CheckboxField, SelectField, TextAreaField, TextField } from '../../components/field';
import { ErrorNotice, Loading } from '../../components/notice';
import { CHANNEL_NAMES } from './labels';

/**
 * Tell the client: pick one of the firm's templates, read and change the words, untick anyone who should not
 * get it, send. With an incident the update goes on its timeline too; with a checklist run it is the run's
 * report (checklist-report templates, {checklist} and {result} filled in from the run).
 */
export function SendUpdateDialog({
  clientId,
  incidentId,
  checklistRunId,
  onClose,
  onSent,
}: {
  clientId: string;
  incidentId?: string | undefined;
  checklistRunId?: string | undefined;
  onClose: () => void;
  onSent: (update: ClientUpdate) => void;
}) {
  const templates = useApi<MessageTemplateList>(
    `/api/message-templates?kind=${checklistRunId ? 'checklist_report' : 'incident_update'}`,
    { live: false },
  );
  const [templateId, setTemplateId] = useState('');
  const [draft, setDraft] = useState<UpdateDraft | null>(null);
  const [draftTemplateId, setDraftTemplateId] = useState('');
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [unticked, setUnticked] = useState<string[]>([]);
  const [draftError, setDraftError] = useState<ApiError | undefined>(undefined);
  // A new draft each time another template is picked; an answer for a template no longer picked is dropped.
  useEffect(() => {
    if (!templateId) return;
    let current = true;
    setDraftError(undefined);
    (checklistRunId
      ? api.post<UpdateDraft>(`/api/checklist-runs/${checklistRunId}/report-draft`, { templateId })
      : api.post<UpdateDraft>('/api/client-updates/draft', {
          templateId,
          clientId,
          ...(incidentId ? { incidentId } : {}),
        })
    )
      .then((d) => {
        if (!current) return;
        setDraft(d);
        setDraftTemplateId(templateId);
        setSubject(d.subject);
        setBody(d.body);
        setUnticked([]);
      })
      .catch((error: unknown) => {
        if (current) setDraftError(error instanceof ApiError ? error : new ApiError(0, 'unknown', String(error)));
      });
    return () => {
      current = false;
    };
  }, [templateId, clientId, incidentId, checklistRunId]);
  const first = templates.data?.items[0]?.id;
  useEffect(() => {
    if (first && !templateId) setTemplateId(first);
  }, [first, templateId]);

  // Until the picked template's draft is in, the last one's words are not shown, so they cannot be sent by mistake.
  const ready = draft !== null && draftTemplateId === templateId;
  const reachable = draft?.recipients.filter((r) => r.channel && r.contactId) ?? [];
  const chosen = reachable.filter((r) => !unticked.includes(r.contactId!));
  const sending = useSubmit(
    () =>
      api.post<ClientUpdate>(sendPath(clientId, incidentId, checklistRunId), {
        subject,
        body,
        ...(unticked.length ? { contactIds: chosen.map((r) => r.contactId) } : {}),
      }),
    onSent,
  );
  return (
    <Dialog
      title={checklistRunId ? 'Send the report to the client' : 'Send an update to the client'}
      onClose={onClose}
      wide
    >
      <form onSubmit={sending.submit} noValidate>
        <ErrorNotice error={templates.error ?? draftError ?? sending.error} />
        {!templates.data && templates.loading && <Loading />}
        {templates.data && (
          <SelectField
            label="Template"
            value={templateId}
            onChange={(e) => setTemplateId(e.target.value)}
            options={templates.data.items.map((t) => ({ value: t.id, label: t.name }))}
          />
        )}
        {templateId && !ready && !draftError && <Loading />}
        {draft && ready && (
          <>
            <TextField
              label="Subject"
              value={subject}
              onChange={(e) => setSubject(e.target.value)}
              error={sending.fields['subject']}
            />
            <TextAreaField
              label="Message"
              rows={9}
              value={body}
              onChange={(e) => setBody(e.target.value)}
              error={sending.fields['body']}
              hint={/\{[a-z]+\}/.test(body) ? 'Replace the words still in braces before sending.' : undefined}
            />
            <fieldset className="fieldset">
              <legend>Send to</legend>
              {draft.recipients.length === 0 && (
                <p className="muted">Nobody: add a contact who receives incident updates on the client’s page.</p>
              )}
              {draft.recipients.map((r) =>
                r.channel && r.contactId ? (
                  <CheckboxField
                    key={r.contactId}
                    label={r.name}
                    hint={`${CHANNEL_NAMES[r.channel]} to ${r.to}`}
                    checked={!unticked.includes(r.contactId)}
                    onChange={(on) =>
                      setUnticked((u) => (on ? u.filter((id) => id !== r.contactId) : [...u, r.contactId!]))
                    }
                  />
                ) : (
                  <p key={r.contactId ?? r.name} className="muted small">
                    {r.name}: not sent — {r.skipped}
                  </p>
                ),
              )}
              {sending.fields['contactIds'] && <p className="field-error">{sending.fields['contactIds']}</p>}
            </fieldset>
          </>
        )}
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={sending.busy} disabled={!ready || chosen.length === 0}>
            Send to {chosen.length} {chosen.length === 1 ? 'person' : 'people'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

function sendPath(clientId: string, incidentId?: string, checklistRunId?: string): string {
  if (checklistRunId) return `/api/checklist-runs/${checklistRunId}/updates`;
  return incidentId ? `/api/incidents/${incidentId}/updates` : `/api/clients/${clientId}/updates`;
}
