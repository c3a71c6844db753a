import { useLocation } from 'wouter';
import type { Run, TemplateSummary } from '@afterhours/shared';
import type { z } from 'zod';
import { api } from '../../api/client';
import { useApi } from '../../api/use-api';
import { ActionButton } from '../../components/action-button';
import { Section } from '../../components/layout';
import './checklists.css';

type Template = z.infer<typeof TemplateSummary>;

/** Run a checklist at one of an incident's sites: the run goes on the incident's timeline. */
export function IncidentChecklists({
  incidentId,
  sites,
}: {
  incidentId: string;
  sites: { id: string; name: string }[];
}) {
  if (!sites.length) return null;
  return (
    <Section title="Checklists">
      <div className="cl-list">
        {sites.map((site) => (
          <SiteTemplates key={site.id} incidentId={incidentId} site={site} named={sites.length > 1} />
        ))}
      </div>
    </Section>
  );
}

function SiteTemplates({
  incidentId,
  site,
  named,
}: {
  incidentId: string;
  site: { id: string; name: string };
  named: boolean;
}) {
  const [, navigate] = useLocation();
  const templates = useApi<{ items: Template[] }>(`/api/checklists?siteId=${site.id}`, { live: false });
  return (
    <>
      {templates.data?.items.map((t) => (
        <div key={t.id} className="card cl-list-item">
          <div>
            <strong>{t.name}</strong>
            <p className="muted small">
              {named ? `${site.name} · ` : ''}
              {t.steps} steps · {t.automaticSteps} automatic
            </p>
          </div>
          <ActionButton
            variant="primary"
            className="cl-big"
            aria-label={`Run ${t.name} at ${site.name}`}
            action={() =>
              api
                .post<Run>('/api/checklist-runs', { templateId: t.id, siteId: site.id, incidentId })
                .then((run) => navigate(`/checklist-runs/${run.id}`))
            }
          >
            Run
          </ActionButton>
        </div>
      ))}
    </>
  );
}
