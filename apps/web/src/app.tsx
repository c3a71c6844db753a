import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { Link, Route, Switch, useLocation } from 'wouter';
import { Button } from './components/button';
import { MoonIcon } from './components/icons';
import { Shell, ScreenHeader } from './components/layout';
import { Loading } from './components/notice';
import { SessionProvider, useMe, useSession } from './features/session/session';
import { NowScreen } from './routes/now/now';
import { sharedPathOf } from './routes/report/shared-path';
import { SetupScreen } from './routes/setup/setup';
import { SignInScreen } from './routes/sign-in/sign-in';

// Now (the home screen), sign-in and setup are in the first script; every other screen loads when first
// opened, so that the first screen at 6am needs as little script as possible.
const ClientsScreen = lazy(() => import('./routes/clients/clients').then((m) => ({ default: m.ClientsScreen })));
const ClientScreen = lazy(() => import('./routes/client/client').then((m) => ({ default: m.ClientScreen })));
const SiteScreen = lazy(() => import('./routes/site/site').then((m) => ({ default: m.SiteScreen })));
const CheckScreen = lazy(() => import('./routes/check/check').then((m) => ({ default: m.CheckScreen })));
const BackupsScreen = lazy(() => import('./routes/backups/backups').then((m) => ({ default: m.BackupsScreen })));
const ClientBackupsScreen = lazy(() =>
  import('./routes/backups/client-backups').then((m) => ({ default: m.ClientBackupsScreen })),
);
const HeartbeatScreen = lazy(() =>
  import('./routes/heartbeat/heartbeat').then((m) => ({ default: m.HeartbeatScreen })),
);
const AlertsScreen = lazy(() => import('./routes/alerts/alerts').then((m) => ({ default: m.AlertsScreen })));
const AlertScreen = lazy(() => import('./routes/alerts/alert').then((m) => ({ default: m.AlertScreen })));
const SettingsScreen = lazy(() => import('./routes/settings/settings').then((m) => ({ default: m.SettingsScreen })));
const ProfileScreen = lazy(() => import('./routes/settings/profile').then((m) => ({ default: m.ProfileScreen })));
const UsersScreen = lazy(() => import('./routes/settings/users').then((m) => ({ default: m.UsersScreen })));
const TokensScreen = lazy(() => import('./routes/settings/tokens').then((m) => ({ default: m.TokensScreen })));
const DisplayScreen = lazy(() => import('./routes/settings/display').then((m) => ({ default: m.DisplayScreen })));
const OnCallScreen = lazy(() => import('./routes/oncall/oncall').then((m) => ({ default: m.OnCallScreen })));
const OnCallCalendarScreen = lazy(() =>
  import('./routes/oncall/calendar').then((m) => ({ default: m.OnCallCalendarScreen })),
);
const SchedulesScreen = lazy(() => import('./routes/oncall/schedules').then((m) => ({ default: m.SchedulesScreen })));
const TeamsScreen = lazy(() => import('./routes/oncall/teams').then((m) => ({ default: m.TeamsScreen })));
const PoliciesScreen = lazy(() => import('./routes/oncall/policies').then((m) => ({ default: m.PoliciesScreen })));
const NotificationsScreen = lazy(() =>
  import('./routes/settings/notifications').then((m) => ({ default: m.NotificationsScreen })),
);
const ChannelsScreen = lazy(() => import('./routes/settings/channels').then((m) => ({ default: m.ChannelsScreen })));
const MessageTemplatesScreen = lazy(() =>
  import('./routes/settings/message-templates').then((m) => ({ default: m.MessageTemplatesScreen })),
);
const IncidentReportScreen = lazy(() =>
  import('./routes/report/incident-report').then((m) => ({ default: m.IncidentReportScreen })),
);
const SharedIncidentReportScreen = lazy(() =>
  import('./routes/report/shared-report').then((m) => ({ default: m.SharedIncidentReportScreen })),
);
const SharedChecklistReportScreen = lazy(() =>
  import('./routes/report/shared-checklist-report').then((m) => ({ default: m.SharedChecklistReportScreen })),
);
const ChecklistsScreen = lazy(() =>
  import('./routes/settings/checklists').then((m) => ({ default: m.ChecklistsScreen })),
);
const ChecklistRunScreen = lazy(() =>
  import('./routes/checklist-run/run').then((m) => ({ default: m.ChecklistRunScreen })),
);
const IncidentsScreen = lazy(() =>
  import('./routes/incidents/incidents').then((m) => ({ default: m.IncidentsScreen })),
);
const IncidentScreen = lazy(() => import('./routes/incidents/incident').then((m) => ({ default: m.IncidentScreen })));
const NewIncidentScreen = lazy(() =>
  import('./routes/incidents/new-incident').then((m) => ({ default: m.NewIncidentScreen })),
);
const TaskTemplatesScreen = lazy(() =>
  import('./routes/settings/task-templates').then((m) => ({ default: m.TaskTemplatesScreen })),
);
const MyTasksScreen = lazy(() => import('./routes/tasks/my-tasks').then((m) => ({ default: m.MyTasksScreen })));
const AuditScreen = lazy(() => import('./routes/settings/audit').then((m) => ({ default: m.AuditScreen })));

export function App() {
  // A report shared by link is read by someone with no account: no session, no sign-in screen. The hub
  // sends such links their own small page (shared.html); this is for the dev server, which does not.
  const shared = sharedPathOf(window.location.pathname);
  if (shared)
    return (
      <Suspense fallback={<Loading label="Opening the report" />}>
        {shared.kind === 'incident-report' ? (
          <SharedIncidentReportScreen token={shared.token} />
        ) : (
          <SharedChecklistReportScreen token={shared.token} />
        )}
      </Suspense>
    );
  return (
    <SessionProvider>
      <Gate />
    </SessionProvider>
  );
}

/** Setup, sign-in or the app, whatever the URL: after signing in the person lands where they were. */
function Gate() {
  const { phase, retry } = useSession();
  useEffect(() => {
    if (phase.kind !== 'unreachable') return;
    // Try again by itself when the phone gets its signal back.
    window.addEventListener('online', retry);
    const timer = setInterval(retry, 15_000);
    return () => {
      window.removeEventListener('online', retry);
      clearInterval(timer);
    };
  }, [phase.kind, retry]);
  switch (phase.kind) {
    case 'loading':
      return (
        <div className="auth">
          <Loading label="Opening Afterhours" />
        </div>
      );
    case 'unreachable':
      return (
        <div className="auth">
          <div className="auth-card">
            <div className="auth-brand">
              <MoonIcon />
              <span>Afterhours</span>
            </div>
            <h1>{navigator.onLine ? 'Cannot reach the hub' : 'You are offline'}</h1>
            <p className="muted">
              {navigator.onLine
                ? 'The hub did not answer. It may be restarting; Afterhours tries again every few seconds.'
                : 'Afterhours opens again as soon as this phone has a signal.'}
            </p>
            <Button variant="primary" className="btn-block" onClick={retry}>
              Try again
            </Button>
          </div>
        </div>
      );
    case 'setup':
      return <SetupScreen />;
    case 'signed-out':
      return <SignInScreen reason={phase.reason} />;
    case 'signed-in':
      return (
        <Shell>
          <Routes />
        </Shell>
      );
  }
}

function Routes() {
  const [location] = useLocation();
  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll to the top on every change of screen
  useEffect(() => {
    // Braces matter: newer browsers return a Promise from scrollTo, and an effect may only return a cleanup.
    window.scrollTo(0, 0);
  }, [location]);
  return (
    <Suspense fallback={<Loading />}>
      <Switch>
        <Route path="/">
          <NowScreen />
        </Route>
        <Route path="/clients">
          <ClientsScreen />
        </Route>
        <Route path="/clients/:id">{(p) => <ClientScreen key={p.id} id={p.id} />}</Route>
        <Route path="/sites/:id">{(p) => <SiteScreen key={p.id} id={p.id} />}</Route>
        <Route path="/checks/:id">{(p) => <CheckScreen key={p.id} id={p.id} />}</Route>
        <Route path="/backups">
          <BackupsScreen />
        </Route>
        <Route path="/backups/clients/:id">{(p) => <ClientBackupsScreen key={p.id} id={p.id} />}</Route>
        <Route path="/heartbeats/:id">{(p) => <HeartbeatScreen key={p.id} id={p.id} />}</Route>
        <Route path="/oncall">
          <OnCallScreen />
        </Route>
        <Route path="/oncall/schedules">
          <SchedulesScreen />
        </Route>
        <Route path="/oncall/schedules/:id/calendar">{(p) => <OnCallCalendarScreen key={p.id} id={p.id} />}</Route>
        <Route path="/oncall/teams">
          <TeamsScreen />
        </Route>
        <Route path="/oncall/policies">
          <PoliciesScreen />
        </Route>
        <Route path="/alerts">
          <AlertsScreen />
        </Route>
        <Route path="/alerts/:id">{(p) => <AlertScreen key={p.id} id={p.id} />}</Route>
        <Route path="/incidents">
          <IncidentsScreen />
        </Route>
        <Route path="/incidents/new">
          <NewIncidentScreen />
        </Route>
        <Route path="/incidents/:id">{(p) => <IncidentScreen key={p.id} id={p.id} />}</Route>
        <Route path="/tasks">
          <MyTasksScreen />
        </Route>
        <Route path="/settings/task-templates">
          <TaskTemplatesScreen />
        </Route>
        <Route path="/settings">
          <SettingsScreen />
        </Route>
        <Route path="/settings/profile">
          <ProfileScreen />
        </Route>
        <Route path="/settings/users">
          <ManagersOnly>
            <UsersScreen />
          </ManagersOnly>
        </Route>
        <Route path="/settings/tokens">
          <ManagersOnly>
            <TokensScreen />
          </ManagersOnly>
        </Route>
        <Route path="/settings/display">
          <DisplayScreen />
        </Route>
        <Route path="/settings/notifications">
          <NotificationsScreen />
        </Route>
        <Route path="/settings/channels">
          <ManagersOnly>
            <ChannelsScreen />
          </ManagersOnly>
        </Route>
        <Route path="/incidents/:id/report">{(p) => <IncidentReportScreen key={p.id} id={p.id} />}</Route>
        <Route path="/settings/message-templates">
          <MessageTemplatesScreen />
        </Route>
        <Route path="/settings/checklists">
          <ChecklistsScreen />
        </Route>
        <Route path="/checklist-runs/:id">{(p) => <ChecklistRunScreen key={p.id} id={p.id} />}</Route>
        <Route path="/settings/audit">
          <AuditScreen />
        </Route>
        <Route>
          <ScreenHeader title="Page not found" />
          <p>
            There is nothing at this address. Go to <Link href="/">Now</Link>.
          </p>
        </Route>
      </Switch>
    </Suspense>
  );
}

function ManagersOnly({ children }: { children: ReactNode }) {
  const { canManage } = useMe();
  if (canManage) return <>{children}</>;
  return (
    <>
      <ScreenHeader title="Not available" back={{ href: '/settings', label: 'Settings' }} />
      <p>Only an owner or admin can manage users and tokens.</p>
    </>
  );
}
