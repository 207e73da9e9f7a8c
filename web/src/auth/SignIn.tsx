import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../api/instance';
import type { User } from '../api/types';
import { InputField } from '../ui/Field';
import { describeLoginError } from './loginError';
import type { LoginProblem } from './loginError';
import { roleLabel } from '../lib/roles';
import { askOtherTabs, browserChannel } from './handoff';
import { saveSession } from './session';

interface Props {
  /** Shown above the form, e.g. "Your session has expired — sign in again". */
  notice?: string;
  onSignedIn: (user: User) => void;
}

export function SignIn({ notice, onSignedIn }: Props) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<LoginProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const userRef = useRef<HTMLInputElement>(null);
  const passRef = useRef<HTMLInputElement>(null);

  const [offers, setOffers] = useState<Array<{ token: string; user: User }>>([]);

  useEffect(() => {
    document.title = 'Sign in — Concordat';
    userRef.current?.focus();
  }, []);

  // Tabs of this browser already signed in offer their session (auth/handoff.ts).
  useEffect(() => {
    const channel = browserChannel();
    if (!channel) return undefined;
    const stop = askOtherTabs(channel, setOffers);
    return () => {
      stop();
      channel.close?.();
    };
  }, []);

  function continueAs(token: string, user: User) {
    saveSession(token, user);
    onSignedIn(user);
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    if (!username.trim() || !password) {
      const field = !username.trim() ? 'username' : 'password';
      setProblem({ message: 'Enter your username and password.', field });
      (field === 'username' ? userRef : passRef).current?.focus();
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const res = await api.login(username.trim(), password);
      saveSession(res.token, res.user);
      onSignedIn(res.user);
    } catch (err) {
      const p = describeLoginError(err);
      setProblem(p);
      setPassword('');
      (p.field === 'username' ? userRef : passRef).current?.focus();
      setBusy(false);
    }
  }

  /** A credential's field: its id and name, and whether the problem is with it. */
  const credential = (field: 'username' | 'password') => {
    const invalid = problem?.field === field;
    return {
      id: field,
      name: field,
      'aria-invalid': invalid || undefined,
      'aria-describedby': invalid ? 'signin-error' : undefined,
    };
  };

  return (
    <main id="main" className="signin">
      <div className="signin-card">
        <p className="signin-brand" aria-hidden="true">
          Concordat
        </p>
        <h1>Sign in to Concordat</h1>
        <p className="signin-sub">Command and control for mental-health crisis response</p>
        {notice && (
          <p className="notice" role="status">
            {notice}
          </p>
        )}
        {offers.length > 0 && (
          <div className="signin-offers" data-testid="signin-offers">
            <p>Signed in in another tab of this browser:</p>
            {offers.map(({ token, user }) => (
              <button key={token} type="button" className="primary" onClick={() => continueAs(token, user)}>
                Continue as {user.name}, {roleLabel(user.role).toLowerCase()}
              </button>
            ))}
            <p className="muted small">Or sign in as someone else:</p>
          </div>
        )}
        <form onSubmit={submit} noValidate aria-describedby={problem ? 'signin-error' : undefined}>
          <InputField
            label="Username"
            {...credential('username')}
            ref={userRef}
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
          <InputField
            label="Password"
            {...credential('password')}
            type="password"
            ref={passRef}
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          <div role="alert" id="signin-error" className="form-error">
            {problem?.message}
          </div>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      </div>
    </main>
  );
}
