import { useEffect, useState } from 'react';
import type { Api } from './api.ts';
import { CaseScreen } from './case-screen.tsx';
import { HelpDialog } from './help-dialog.tsx';
import { QueueScreen } from './queue-screen.tsx';
import { queuePath, useRoute } from './router.ts';
import { SignIn } from './sign-in.tsx';
import type { Session } from './types.ts';

export function App({ api }: { api: Api }) {
  const [session, setSession] = useState<Session | null | 'loading'>('loading');
  const [route, navigate] = useRoute();
  const [help, setHelp] = useState(false);
  const [flash, setFlash] = useState<string | null>(null);

  useEffect(() => {
    // A reload keeps the reviewer signed in: the cookie survives, the CSRF token is fetched again.
    api.resume().then(setSession, () => setSession(null));
    return api.onUnauthorized(() => setSession(null));
  }, [api]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement;
      if (e.key === '?' && !['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName)) setHelp((h) => !h);
      if (e.key === 'Escape') setHelp(false);
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, []);

  if (session === 'loading') return <div className="boot" aria-busy="true">Loading…</div>;
  if (!session) return <SignIn api={api} onSignedIn={setSession} />;

  const signOut = async () => {
    await api.signOut().catch(() => undefined);
    setSession(null);
  };

  return (
    <div className="app">
      <header className="topbar">
        <a
          className="brand"
          href={queuePath()}
          onClick={(e) => {
            e.preventDefault();
            navigate(queuePath());
          }}
        >
          Referral review
        </a>
        <nav className="topbar-right" aria-label="Account">
          <button type="button" className="link" onClick={() => setHelp(true)} aria-keyshortcuts="?">
            Shortcuts <kbd>?</kbd>
          </button>
          <span className="who" data-testid="signed-in-as">
            {session.principal.name} <span className="muted">({session.principal.role})</span>
          </span>
          <button type="button" className="link" onClick={signOut}>
            Sign out
          </button>
        </nav>
      </header>
      {flash && (
        <div className="flash" role="status">
          {flash}
          <button type="button" className="link" onClick={() => setFlash(null)} aria-label="Dismiss">
            ×
          </button>
        </div>
      )}
      <main>
        {route.name === 'case' ? (
          <CaseScreen key={route.taskId} api={api} taskId={route.taskId} navigate={navigate} onFlash={setFlash} />
        ) : (
          <QueueScreen api={api} search={route.search} navigate={navigate} />
        )}
      </main>
      {help && <HelpDialog onClose={() => setHelp(false)} />}
    </div>
  );
}
