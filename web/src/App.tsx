// The app's top level: who is signed in, and which screen they are on.

import { useCallback, useEffect, useState } from 'react';
import { ApiError } from './api/client';
import { api } from './api/instance';
import type { User } from './api/types';
import { SignIn } from './auth/SignIn';
import { answerOtherTabs, browserChannel, tellSignedOut } from './auth/handoff';
import { clearSession, currentToken, loadSession, saveUser } from './auth/session';
import { BoardPage } from './board/BoardPage';
import { resolveRoute, screensFor } from './lib/roles';
import { IncidentPage } from './incident/IncidentPage';
import { NewIncidentPage } from './incident/NewIncidentPage';
import { OfficerPage } from './officer/OfficerPage';
import { DetentionPage } from './mh/DetentionPage';
import { IncidentMentalHealthPage } from './mh/IncidentMentalHealthPage';
import { ReferencePage } from './reference/ReferencePage';
import { PartnerPage } from './partner/PartnerPage';
import { PoliceReferralsPage } from './referrals/PoliceReferralsPage';
import { TeamPage } from './team/TeamPage';
import { ReportsPage } from './reports/ReportsPage';
import { AuditPage } from './audit/AuditPage';
import { AccountsPage } from './admin/AccountsPage';
import { SharedIncidentPage } from './partner/SharedIncident';
import { Header } from './shell/Header';
import { WriteProblemBanner } from './shell/WriteProblemBanner';
import { useHashRoute } from './shell/useHashRoute';

export const kExpiredNotice = 'Your session has expired — sign in again';
export const kSignedOutElsewhere = 'You signed out in another tab.';

type AuthState =
  | { phase: 'checking' }
  | { phase: 'signed_out'; notice?: string }
  | { phase: 'signed_in'; user: User };

function initialState(): AuthState {
  return loadSession() ? { phase: 'checking' } : { phase: 'signed_out' };
}

export function App() {
  const [auth, setAuth] = useState<AuthState>(initialState);

  const expire = useCallback(() => {
    clearSession();
    setAuth({ phase: 'signed_out', notice: kExpiredNotice });
  }, []);
  api.setUnauthenticatedHandler(expire);

  // A reloaded tab still has its token: check it is still good.
  useEffect(() => {
    if (auth.phase !== 'checking') return;
    let cancelled = false;
    const stored = loadSession();
    api
      .get<User>('/api/auth/me')
      .then((user) => {
        if (cancelled) return;
        saveUser(user);
        setAuth({ phase: 'signed_in', user });
      })
      .catch((err: unknown) => {
        if (cancelled || (err instanceof ApiError && err.status === 401)) return; // expire() ran
        if (stored?.user) {
          setAuth({ phase: 'signed_in', user: stored.user }); // server unreachable: carry on
        } else {
          clearSession();
          setAuth({ phase: 'signed_out', notice: 'Could not check your session. Sign in again.' });
        }
      });
    return () => {
      cancelled = true;
    };
  }, [auth.phase]);

  // Other tabs of this browser: offer them this session when they ask, and sign out with them.
  const signedIn = auth.phase === 'signed_in';
  useEffect(() => {
    if (!signedIn) return undefined;
    const channel = browserChannel();
    if (!channel) return undefined;
    const stop = answerOtherTabs(channel, loadSession, () => {
      clearSession();
      setAuth({ phase: 'signed_out', notice: kSignedOutElsewhere });
    });
    return () => {
      stop();
      channel.close?.();
    };
  }, [signedIn]);

  const signOut = useCallback(() => {
    const token = currentToken();
    void api.logout().catch(() => undefined); // reads the token before it is cleared
    clearSession();
    const channel = browserChannel();
    if (channel && token) {
      tellSignedOut(channel, token);
      channel.close?.();
    }
    setAuth({ phase: 'signed_out' });
  }, []);

  if (auth.phase === 'checking') {
    return (
      <main id="main" className="loading-page">
        <p role="status">Checking your session…</p>
      </main>
    );
  }
  if (auth.phase === 'signed_out') {
    return <SignIn notice={auth.notice} onSignedIn={(user) => setAuth({ phase: 'signed_in', user })} />;
  }
  return <Shell user={auth.user} onSignOut={signOut} onExpired={expire} />;
}

function Shell({ user, onSignOut, onExpired }: { user: User; onSignOut: () => void; onExpired: () => void }) {
  const hash = useHashRoute();
  const route = resolveRoute(user.role, hash);
  const screen = route.screen;

  useEffect(() => {
    document.title = `${screen.label} — Concordat`;
    if (window.location.hash !== screen.hash) window.history.replaceState(null, '', screen.hash);
  }, [screen.label, screen.hash]);

  return (
    <div className={`app app-${screen.id}`}>
      <Header user={user} screens={screensFor(user.role)} current={screen.id} onSignOut={onSignOut} />
      <WriteProblemBanner />
      <main id="main" tabIndex={-1} className={`screen screen-${screen.id}`}>
        {screen.id === 'board' && <BoardPage role={user.role} onUnauthenticated={onExpired} />}
        {screen.id === 'new-incident' && <NewIncidentPage />}
        {screen.id === 'incident' && route.incidentId && (
          <IncidentPage key={route.incidentId} id={route.incidentId} user={user} onUnauthenticated={onExpired} />
        )}
        {screen.id === 'mental-health' && route.incidentId && (
          <IncidentMentalHealthPage key={route.incidentId} id={route.incidentId} user={user} onUnauthenticated={onExpired} />
        )}
        {screen.id === 'detention' && route.detentionId && (
          <DetentionPage key={route.detentionId} id={route.detentionId} user={user} onUnauthenticated={onExpired} />
        )}
        {screen.id === 'officer' && <OfficerPage user={user} onUnauthenticated={onExpired} />}
        {screen.id === 'partner' && <PartnerPage user={user} onUnauthenticated={onExpired} />}
        {screen.id === 'referrals' && <PoliceReferralsPage focusId={route.referralId} onUnauthenticated={onExpired} />}
        {screen.id === 'shared-incident' && route.incidentId && (
          <SharedIncidentPage key={route.incidentId} id={route.incidentId} user={user} onUnauthenticated={onExpired} />
        )}
        {screen.id === 'team' && <TeamPage user={user} onUnauthenticated={onExpired} />}
        {screen.id === 'reports' && <ReportsPage />}
        {screen.id === 'audit' && <AuditPage />}
        {screen.id === 'accounts' && <AccountsPage user={user} />}
        {screen.id === 'reference' && <ReferencePage />}
      </main>
    </div>
  );
}
