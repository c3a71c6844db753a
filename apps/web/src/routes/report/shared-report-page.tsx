import type { ReactNode } from 'react';
import { useApi } from '../../api/use-api';
import { Button } from '../../components/button';
import { Loading } from '../../components/notice';
import '../../features/updates/updates.css';

/**
 * A report opened from a shared link, by someone with no account: no sign-in, no menu, just the report and a
 * print button; a withdrawn link says so in words the client understands.
 */
export function SharedReportPage<T>({ url, children }: { url: string; children: (report: T) => ReactNode }) {
  const { data, error, loading } = useApi<T>(url, { live: false });
  return (
    <main className="shared-report" id="main">
      {!data && loading && <Loading label="Opening the report" />}
      {error && (
        <div className="notice notice-warn">
          <h1>{error.status === 410 ? 'This report link has expired' : 'This report link does not work'}</h1>
          <p>
            {error.status === 410
              ? `${error.message}. Ask your IT support firm for a new link.`
              : error.status === 404
                ? 'It may have been withdrawn. Ask your IT support firm for a new link.'
                : 'The report could not be loaded. Check the connection and try again.'}
          </p>
        </div>
      )}
      {data && (
        <>
          <div className="report-actions">
            <Button onClick={() => window.print()}>Print or save as PDF</Button>
          </div>
          {children(data)}
        </>
      )}
    </main>
  );
}
