import type { User } from '../api/types';
import type { Screen, ScreenId } from '../lib/roles';
import { roleLabel } from '../lib/roles';

interface Props {
  user: User;
  screens: Screen[];
  current: ScreenId;
  onSignOut: () => void;
}

export function Header({ user, screens, current, onSignOut }: Props) {
  return (
    <header className="app-header">
      <a
        className="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault(); // the hash is the route: move focus instead
          document.getElementById('main')?.focus();
        }}
      >
        Skip to main content
      </a>
      <span className="brand">Concordat</span>
      <nav aria-label="Main" className="main-nav">
        <ul>
          {screens.map((s) => (
            <li key={s.id}>
              <a href={s.hash} aria-current={s.id === current ? 'page' : undefined}>
                {s.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div className="user-box" aria-label="Signed in user" role="group">
        <span className="user-name" data-testid="user-name">
          {user.name}
        </span>
        <span className="user-role" data-testid="user-role" data-role={user.role}>
          {roleLabel(user.role)}
        </span>
        <span className="user-agency" data-testid="user-agency">
          {user.agency?.name}
        </span>
        <button type="button" className="signout" onClick={onSignOut}>
          Sign out
        </button>
      </div>
    </header>
  );
}
