import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { SharedChecklistReportScreen } from './routes/report/shared-checklist-report';
import { SharedIncidentReportScreen } from './routes/report/shared-report';
import { sharedPathOf } from './routes/report/shared-path';
import './styles.css';

// The page a shared report link opens (shared.html, which the hub sends for /shared/…): the report alone,
// without the app's shell, session or screens, so that a long report starts rendering as soon as it can.
const shared = sharedPathOf(window.location.pathname);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    {shared?.kind === 'incident-report' ? (
      <SharedIncidentReportScreen token={shared.token} />
    ) : shared?.kind === 'checklist-report' ? (
      <SharedChecklistReportScreen token={shared.token} />
    ) : (
      <main className="shared-report" id="main">
        <div className="notice notice-warn">
          <h1>This report link does not work</h1>
          <p>Check that the whole link was copied, or ask your IT support firm for a new one.</p>
        </div>
      </main>
    )}
  </StrictMode>,
);
