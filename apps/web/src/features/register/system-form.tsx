import { useState } from 'react';
import { api } from '../../api/client';
import type { Criticality, System, SystemKind } from '../../api/types';
import { useSubmit } from '../../api/use-submit';
import { Button } from '../../components/button';
import { Dialog, DialogActions } from '../../components/dialog';
import { SelectField, TextAreaField, TextField } from '../../components/field';
import { ErrorNotice } from '../../components/notice';
import { CRITICALITY_LABELS, options, SYSTEM_KIND_LABELS } from './labels';

/**
 * Add or edit a system. "Depends on" is a list of checkboxes of the site's other systems; the hub
 * refuses a loop (409 dependency_cycle) and names it, shown at the top and beside the list.
 */
export function SystemFormDialog({
  siteId,
  system,
  siteSystems,
  onClose,
  onSaved,
}: {
  siteId: string;
  system?: System;
  siteSystems: readonly System[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const [name, setName] = useState(system?.name ?? '');
  const [kind, setKind] = useState<SystemKind>(system?.kind ?? 'server');
  const [host, setHost] = useState(system?.host ?? '');
  const [criticality, setCriticality] = useState<Criticality>(system?.criticality ?? 'normal');
  const [notes, setNotes] = useState(system?.notes ?? '');
  const [dependsOn, setDependsOn] = useState<string[]>(system?.dependsOn.map((d) => d.id) ?? []);
  const candidates = siteSystems.filter(
    (s) => s.id !== system?.id && (s.archivedAt === null || dependsOn.includes(s.id)),
  );

  const body = () => ({ name, kind, host: host.trim() || null, criticality, notes, dependsOn });
  const { busy, error, fields, submit } = useSubmit(
    () =>
      system
        ? api.patch<System>(`/api/systems/${system.id}`, body())
        : api.post<System>('/api/systems', { siteId, ...body() }),
    () => {
      onClose();
      onSaved();
    },
  );
  const cycle = error?.code === 'dependency_cycle';
  const depsError = fields['dependsOn'] ?? (cycle ? error.message : undefined);

  return (
    <Dialog title={system ? `Edit ${system.name}` : 'Add system'} onClose={onClose} wide>
      <form onSubmit={submit} noValidate>
        <ErrorNotice error={error} title={cycle ? 'That would make a dependency loop' : undefined} />
        <TextField
          label="System name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={fields['name']}
          required
          autoFocus={!system}
          placeholder="FS01"
        />
        <div className="field-pair">
          <SelectField
            label="Kind"
            value={kind}
            onChange={(e) => setKind(e.target.value as SystemKind)}
            options={options(SYSTEM_KIND_LABELS)}
            error={fields['kind']}
          />
          <SelectField
            label="Criticality"
            value={criticality}
            onChange={(e) => setCriticality(e.target.value as Criticality)}
            options={options(CRITICALITY_LABELS)}
            error={fields['criticality']}
          />
        </div>
        <TextField
          label="Host"
          value={host}
          onChange={(e) => setHost(e.target.value)}
          error={fields['host']}
          autoCapitalize="off"
          autoCorrect="off"
          spellCheck={false}
          placeholder="10.0.0.10 or fs01.office.lan"
          hint="Host name or IP address; leave empty for things without one."
        />
        <fieldset
          className={`fieldset deps ${depsError ? 'has-error' : ''}`}
          aria-describedby={depsError ? 'deps-error' : undefined}
        >
          <legend>Depends on</legend>
          {candidates.length === 0 ? (
            <p className="muted small">
              No other systems at this site yet. Add the UPS, host or firewall first, then tick them here.
            </p>
          ) : (
            <>
              <p className="muted small">What this system needs in order to work (its host, UPS, firewall…).</p>
              <div className="check-list">
                {candidates.map((s) => (
                  <label key={s.id} className="check">
                    <input
                      type="checkbox"
                      checked={dependsOn.includes(s.id)}
                      onChange={(e) =>
                        setDependsOn((d) => (e.target.checked ? [...d, s.id] : d.filter((x) => x !== s.id)))
                      }
                    />
                    <span>
                      {s.name} <small className="muted">{SYSTEM_KIND_LABELS[s.kind]}</small>
                    </span>
                  </label>
                ))}
              </div>
            </>
          )}
          {depsError && (
            <p className="field-error" id="deps-error">
              {fields['dependsOn'] ? `Depends on ${fields['dependsOn']}` : depsError}
            </p>
          )}
        </fieldset>
        <TextAreaField
          label="System notes"
          value={notes}
          onChange={(e) => setNotes(e.target.value)}
          error={fields['notes']}
        />
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy}>
            Save system
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
