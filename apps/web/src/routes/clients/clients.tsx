import { useEffect, useState } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { query } from '../../api/client';
import type { ClientList } from '../../api/types';
import { useApi } from '../../api/use-api';
import { ArchivedFilterControl, type ArchivedFilter } from '../../components/archived-filter';
import { Button } from '../../components/button';
import { ChevronIcon, PlusIcon, SearchIcon } from '../../components/icons';
import { ScreenHeader } from '../../components/layout';
import { Empty, ErrorNotice, Loading } from '../../components/notice';
import { ClientFormDialog } from '../../features/register/client-form';
import { describeHours, formatMinutes } from '../../features/register/contract';
import { StateDot } from '../../features/monitoring/state-badge';
import { StateLine } from '../../features/monitoring/state-line';
import { problemsFirst, useStates } from '../../features/monitoring/use-states';
import { useMe } from '../../features/session/session';

const PAGE = 50;

export function ClientsScreen() {
  const { canEdit } = useMe();
  const [, navigate] = useLocation();
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  const [archived, setArchived] = useState<ArchivedFilter>('false');
  const [limit, setLimit] = useState(PAGE);
  const search0 = useSearch();
  const [adding, setAdding] = useState(() => new URLSearchParams(search0).get('add') === '1');

  useEffect(() => {
    const timer = setTimeout(() => setQ(search.trim()), 250);
    return () => clearTimeout(timer);
  }, [search]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new search or filter starts at the first page
  useEffect(() => {
    setLimit(PAGE);
  }, [q, archived]);

  const { data, error, loading, reload } = useApi<ClientList>(`/api/clients${query({ q, archived, limit })}`);
  const states = useStates();

  return (
    <>
      <ScreenHeader
        title="Clients"
        actions={
          canEdit && (
            <Button variant="primary" onClick={() => setAdding(true)}>
              <PlusIcon /> Add client
            </Button>
          )
        }
      />
      <div className="toolbar">
        <label className="search">
          <SearchIcon />
          <span className="visually-hidden">Search clients</span>
          <input
            type="search"
            placeholder="Search clients"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            autoCapitalize="off"
          />
        </label>
        <ArchivedFilterControl label="Which clients" value={archived} onChange={setArchived} />
      </div>
      <ErrorNotice error={error} onRetry={reload} />
      {!data && loading && <Loading />}
      {data &&
        (data.items.length === 0 ? (
          <Empty title={q ? `No clients match “${q}”` : archived === 'true' ? 'No archived clients' : 'No clients yet'}>
            {canEdit && !q && archived !== 'true' && <p>Add the first client to start the register.</p>}
          </Empty>
        ) : (
          <>
            <ul className="card rows" aria-label="Clients">
              {problemsFirst(data.items, (c) => states.client(c.id)?.severity).map((c) => {
                const state = states.client(c.id);
                return (
                  <li key={c.id} className={`site-status is-${state?.severity ?? 'none'}`}>
                    <Link href={`/clients/${c.id}`} className="row">
                      <StateDot state={state?.severity ?? 'none'} />
                      <span className="row-main">
                        <span className="row-title">
                          {c.name} {c.archivedAt && <span className="badge badge-muted">Archived</span>}
                        </span>
                        {state && <StateLine counts={state.client.counts} unreachable={state.unreachable} />}
                        <span className="row-meta">
                          {c.siteCount} site{c.siteCount === 1 ? '' : 's'} · {c.systemCount} system
                          {c.systemCount === 1 ? '' : 's'} · {describeHours(c.contract.supportHours)} ·{' '}
                          {formatMinutes(c.contract.responseTargetMinutes)}
                        </span>
                      </span>
                      <ChevronIcon />
                    </Link>
                  </li>
                );
              })}
            </ul>
            <p className="list-footer muted small">
              Showing {data.items.length} of {data.total}
              {data.nextCursor && (
                <Button small busy={loading} onClick={() => setLimit((n) => Math.min(500, n + PAGE))}>
                  Show more
                </Button>
              )}
            </p>
          </>
        ))}
      {adding && (
        <ClientFormDialog
          onClose={() => {
            setAdding(false);
            if (search0) navigate('/clients', { replace: true });
          }}
          onSaved={(c) => navigate(`/clients/${c.id}`)}
        />
      )}
    </>
  );
}
