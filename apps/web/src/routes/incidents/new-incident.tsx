import { useEffect, useState } from 'react';
import { useLocation, useSearch } from 'wouter';
import type { Alert, IncidentDetail, IncidentSeverity } from '@afterhours/shared';
import { api } from '../../api/client';
import type { ClientList, ContactList, SiteList } from '../../api/types';
import { useApi } from '../../api/use-api';
import { useSubmit } from '../../api/use-submit';
import { Button } from '../../components/button';
import { CheckboxField, SelectField, TextAreaField, TextField } from '../../components/field';
import { ScreenHeader } from '../../components/layout';
import { ErrorNotice } from '../../components/notice';
import { Segmented } from '../../components/segmented';
import { SEVERITY_LABEL } from '../../features/incidents/labels';
import '../../features/incidents/incidents.css';

/**
 * Opening an incident while the client is still on the phone: pick the client, tap who is calling, tap the
 * site, type what they say, open. The call is logged (who, when, their number) and the on-call policy pages.
 * From an alert (?alert=…) it opens with the alert's client, site and words.
 */
export function NewIncidentScreen() {
  const [, navigate] = useLocation();
  const alertId = new URLSearchParams(useSearch()).get('alert');
  const alert = useApi<{ alert: Alert }>(alertId ? `/api/alerts/${alertId}` : null, { live: false });
  const clients = useApi<ClientList>('/api/clients?limit=500', { live: false });
  const [clientId, setClientId] = useState('');
  const contacts = useApi<ContactList>(clientId ? `/api/clients/${clientId}/contacts` : null, { live: false });
  const sites = useApi<SiteList>(clientId ? `/api/sites?clientId=${clientId}&limit=200` : null, { live: false });
  const [contactId, setContactId] = useState<string | null>(null);
  const [callerName, setCallerName] = useState('');
  const [phone, setPhone] = useState('');
  const [siteIds, setSiteIds] = useState<string[]>([]);
  const [summary, setSummary] = useState('');
  const [severity, setSeverity] = useState<IncidentSeverity>('major');
  const [handling, setHandling] = useState(false);

  const fromAlert = alert.data?.alert;
  useEffect(() => {
    if (!fromAlert) return;
    if (fromAlert.clientId) setClientId(fromAlert.clientId);
    setSummary(`${fromAlert.title}: ${fromAlert.reason}`);
  }, [fromAlert]);
  // One site: it is the one.
  const siteItems = sites.data?.items ?? [];
  useEffect(() => {
    if (siteItems.length === 1) setSiteIds([siteItems[0]!.id]);
  }, [siteItems]);

  const called = !fromAlert && (contactId !== null || callerName.trim() !== '');
  const open = useSubmit(
    () =>
      api.post<IncidentDetail>('/api/incidents', {
        clientId,
        siteIds,
        summary,
        severity,
        acknowledge: handling,
        ...(fromAlert ? { fromAlertId: fromAlert.id } : {}),
        ...(called
          ? {
              call: {
                ...(contactId ? { contactId } : {}),
                ...(callerName.trim() ? { callerName } : {}),
                ...(phone.trim() ? { phone } : {}),
              },
            }
          : {}),
      }),
    (incident) => navigate(`/incidents/${incident.id}`),
  );
  const contactItems = contactsOf(contacts.data);
  const fields = open.fields;
  return (
    <>
      <ScreenHeader
        title={fromAlert ? 'Incident from an alert' : 'New incident'}
        back={{ href: '/incidents', label: 'Incidents' }}
      />
      <form className="new-incident" onSubmit={open.submit}>
        <SelectField
          label="Client"
          value={clientId}
          onChange={(e) => {
            setClientId(e.target.value);
            setContactId(null);
            setSiteIds([]);
          }}
          error={fields.clientId}
          options={[
            { value: '', label: 'Choose the client' },
            ...(clients.data?.items ?? []).map((c) => ({ value: c.id, label: c.name })),
          ]}
          required
        />
        {clientId && !fromAlert && (
          <fieldset className="chips-field">
            <legend>Who is calling</legend>
            <div className="chip-row">
              {contactItems.map((c) => (
                <button
                  key={c.id}
                  type="button"
                  className={`chip${contactId === c.id ? ' is-on' : ''}`}
                  aria-pressed={contactId === c.id}
                  onClick={() => setContactId(contactId === c.id ? null : c.id)}
                >
                  {c.name}
                  {c.phone && <small> {c.phone}</small>}
                </button>
              ))}
            </div>
            {contactId === null && (
              <div className="caller-fields">
                <TextField
                  label="Someone else: name"
                  value={callerName}
                  onChange={(e) => setCallerName(e.target.value)}
                  error={fields['call.callerName']}
                  autoComplete="off"
                />
                <TextField
                  label="Their number"
                  type="tel"
                  value={phone}
                  onChange={(e) => setPhone(e.target.value)}
                  error={fields['call.phone']}
                />
              </div>
            )}
          </fieldset>
        )}
        {siteItems.length > 0 && (
          <fieldset className="chips-field">
            <legend>Site</legend>
            <div className="chip-row">
              {siteItems.map((s) => {
                const on = siteIds.includes(s.id);
                return (
                  <button
                    key={s.id}
                    type="button"
                    className={`chip${on ? ' is-on' : ''}`}
                    aria-pressed={on}
                    onClick={() => setSiteIds(on ? siteIds.filter((x) => x !== s.id) : [...siteIds, s.id])}
                  >
                    {s.name}
                  </button>
                );
              })}
            </div>
            {fields.siteIds && <p className="field-error">Site {fields.siteIds}</p>}
          </fieldset>
        )}
        <TextAreaField
          label={fromAlert ? 'What is wrong' : 'What they said'}
          value={summary}
          onChange={(e) => setSummary(e.target.value)}
          error={fields.summary}
          rows={4}
          required
          maxLength={5000}
        />
        <Segmented<IncidentSeverity>
          label="Severity"
          name="severity"
          value={severity}
          onChange={setSeverity}
          choices={(['critical', 'major', 'minor'] as const).map((s) => [s, SEVERITY_LABEL[s]] as const)}
        />
        <CheckboxField
          label="I am handling it"
          hint="Acknowledged at once: nobody is paged."
          checked={handling || Boolean(fromAlert)}
          onChange={setHandling}
        />
        <ErrorNotice error={Object.keys(fields).length ? undefined : open.error} />
        <Button type="submit" variant="primary" className="btn-block" busy={open.busy} disabled={!clientId}>
          Open incident
        </Button>
      </form>
    </>
  );
}

function contactsOf(list: ContactList | undefined) {
  return (list?.items ?? []).map((c) => ({ id: c.id, name: c.name, phone: c.phone }));
}
