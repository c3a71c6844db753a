import { useEffect, useState, type ReactNode } from 'react';
import { Link, useLocation } from 'wouter';
import { onLiveStatus } from '../api/live';
import { useMe } from '../features/session/session';
import {
  AlertsIcon,
  BackIcon,
  IncidentsIcon,
  BackupsIcon,
  ClientsIcon,
  MoonIcon,
  NowIcon,
  OnCallIcon,
  SettingsIcon,
} from './icons';

const NAV = [
  { href: '/', label: 'Now', icon: NowIcon, match: (p: string) => p === '/' },
  {
    href: '/incidents',
    label: 'Incidents',
    icon: IncidentsIcon,
    match: (p: string) => p.startsWith('/incidents') || p.startsWith('/tasks'),
  },
  { href: '/alerts', label: 'Alerts', icon: AlertsIcon, match: (p: string) => p.startsWith('/alerts') },
  {
    href: '/clients',
    label: 'Clients',
    icon: ClientsIcon,
    match: (p: string) => p.startsWith('/clients') || p.startsWith('/sites') || p.startsWith('/checks'),
  },
  {
    href: '/backups',
    label: 'Backups',
    icon: BackupsIcon,
    match: (p: string) => p.startsWith('/backups') || p.startsWith('/heartbeats'),
  },
  // Staff only: client users see nothing of on-call.
  { href: '/oncall', label: 'On call', icon: OnCallIcon, match: (p: string) => p.startsWith('/oncall'), staff: true },
  { href: '/settings', label: 'Settings', icon: SettingsIcon, match: (p: string) => p.startsWith('/settings') },
] as const;

/** The frame of every signed-in screen: bottom tabs on a phone, a side rail on a desktop. */
export function Shell({ children }: { children: ReactNode }) {
  const [location] = useLocation();
  const live = useLiveStatus();
  const { canEdit: staff } = useMe();
  return (
    <div className="shell">
      <nav className="nav" aria-label="Main">
        <div className="nav-brand" aria-hidden="true">
          <MoonIcon />
          <span>Afterhours</span>
        </div>
        <ul>
          {NAV.filter((item) => staff || !('staff' in item)).map(({ href, label, icon: Icon, match }) => {
            const active = match(location);
            return (
              <li key={href}>
                <Link
                  href={href}
                  className={`nav-link ${active ? 'is-active' : ''}`}
                  aria-current={active ? 'page' : undefined}
                >
                  <Icon />
                  <span>{label}</span>
                </Link>
              </li>
            );
          })}
        </ul>
        <p className={`nav-live ${live ? 'is-on' : ''}`} title={live ? 'Live updates on' : 'Live updates reconnecting'}>
          <span className="dot" aria-hidden="true" /> {live ? 'Live' : 'Reconnecting…'}
        </p>
      </nav>
      <main className="main" id="main">
        {children}
      </main>
    </div>
  );
}

function useLiveStatus(): boolean {
  const [live, setLive] = useState(false);
  useEffect(() => onLiveStatus(setLive), []);
  return live;
}

interface HeaderProps {
  title: string;
  /** A link back up the hierarchy (phone screens have no breadcrumbs). */
  back?: { href: string; label: string };
  subtitle?: ReactNode;
  actions?: ReactNode;
}

export function ScreenHeader({ title, back, subtitle, actions }: HeaderProps) {
  useEffect(() => {
    document.title = `${title} · Afterhours`;
  }, [title]);
  return (
    <header className="screen-header">
      {back && (
        <Link href={back.href} className="back-link">
          <BackIcon />
          <span>{back.label}</span>
        </Link>
      )}
      <div className="screen-header-row">
        <div className="screen-heading">
          <h1>{title}</h1>
          {subtitle && <div className="screen-subtitle">{subtitle}</div>}
        </div>
        {actions && <div className="screen-actions">{actions}</div>}
      </div>
    </header>
  );
}

export function Section({
  title,
  actions,
  children,
  id,
}: {
  title: string;
  actions?: ReactNode;
  children: ReactNode;
  id?: string;
}) {
  const headingId = id ?? `section-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return (
    <section className="section" aria-labelledby={headingId}>
      <div className="section-header">
        <h2 id={headingId}>{title}</h2>
        {actions && <div className="section-actions">{actions}</div>}
      </div>
      {children}
    </section>
  );
}
