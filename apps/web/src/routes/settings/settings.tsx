import { Link } from 'wouter';
import { useState } from 'react';
import { Button } from '../../components/button';
import { ChevronIcon } from '../../components/icons';
import { ScreenHeader } from '../../components/layout';
import { ROLE_LABELS, isStaff } from '../../features/session/roles';
import { useMe, useSession } from '../../features/session/session';
import { formatDayTime } from '../../lib/date-format';
import { HubHealth } from './hub-health';

/** The settings menu: what each person may manage, and signing out. */
export function SettingsScreen() {
  const { user, canManage } = useMe();
  const { signOut } = useSession();
  const [busy, setBusy] = useState(false);
  const items = [
    {
      href: '/settings/profile',
      title: 'Profile and security',
      meta: `Name, password, two-factor ${user.totpEnabled ? '(on)' : '(off)'}, your dates and times`,
    },
    {
      href: '/settings/display',
      title: 'Dates and times',
      meta: `The firm’s language and clock: ${formatDayTime(new Date())}`,
    },
    ...(isStaff(user.role)
      ? [
          { href: '/settings/notifications', title: 'Notifications', meta: 'How and when alerts reach you' },
          {
            href: '/settings/message-templates',
            title: 'Message templates',
            meta: 'What clients are told: “We are aware…”, “Ready for Monday”',
          },
          {
            href: '/settings/task-templates',
            title: 'Task templates',
            meta: 'The weekend plan in a few taps: “Be on site at opening”…',
          },
          {
            href: '/settings/checklists',
            title: 'Checklists',
            meta: 'The systems checklist, run from a phone or by itself',
          },
        ]
      : []),
    ...(canManage
      ? [
          { href: '/settings/users', title: 'Users', meta: 'Colleagues and client accounts' },
          { href: '/settings/tokens', title: 'API tokens', meta: 'For scripts and integrations' },
        ]
      : []),
    ...(isStaff(user.role)
      ? [{ href: '/settings/audit', title: 'Audit log', meta: 'Every change, who and when' }]
      : []),
  ];
  return (
    <>
      <ScreenHeader title="Settings" />
      <div className="card account">
        <div className="avatar" aria-hidden="true">
          {initials(user.name)}
        </div>
        <div>
          <p className="account-name">{user.name}</p>
          <p className="muted small">
            {user.email} · {ROLE_LABELS[user.role]}
          </p>
        </div>
      </div>
      <nav aria-label="Settings">
        <ul className="card rows">
          {items.map((item) => (
            <li key={item.href}>
              <Link href={item.href} className="row">
                <span className="row-main">
                  <span className="row-title">{item.title}</span>
                  <span className="row-meta">{item.meta}</span>
                </span>
                <ChevronIcon />
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {isStaff(user.role) && <HubHealth />}
      <div className="sign-out">
        <Button
          busy={busy}
          className="btn-block"
          onClick={() => {
            setBusy(true);
            void signOut().finally(() => setBusy(false));
          }}
        >
          Sign out
        </Button>
      </div>
    </>
  );
}

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]!.toUpperCase())
    .join('');
}
