import { useEffect, useRef, useState } from 'react';
import { setTokenPrompt } from '../state/admin-token.js';

interface Ask {
  refused: boolean;
  resolve(token: string | null): void;
}

/** Asks for the admin token when the server wants one (TOLLGATE_ADMIN_TOKEN); mounted once at the app's root. */
export function AdminTokenDialog() {
  const [ask, setAsk] = useState<Ask | null>(null);
  useEffect(() => {
    setTokenPrompt((refused) => new Promise((resolve) => setAsk({ refused, resolve })));
    return () => setTokenPrompt(null);
  }, []);
  if (!ask) return null;
  return (
    <TokenForm
      refused={ask.refused}
      onDone={(token) => {
        setAsk(null);
        ask.resolve(token);
      }}
    />
  );
}

function TokenForm({ refused, onDone }: { refused: boolean; onDone(token: string | null): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [token, setToken] = useState('');
  const answer = useRef<string | null>(null);
  useEffect(() => dialog.current?.showModal(), []);
  return (
    <dialog ref={dialog} className="dialog narrow" onClose={() => onDone(answer.current)} aria-labelledby="admin-token-title">
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          answer.current = token;
          dialog.current?.close();
        }}
      >
        <h2 id="admin-token-title">Admin token</h2>
        <p className="muted">
          This Tollgate asks for its admin token (<code>TOLLGATE_ADMIN_TOKEN</code>). It is kept in this browser tab only, until the tab is closed.
        </p>
        {refused && (
          <p className="banner error" role="alert">
            That token was refused; try again.
          </p>
        )}
        <div className="field">
          <label htmlFor="admin-token">Token</label>
          <input id="admin-token" type="password" autoComplete="off" autoFocus value={token} onChange={(e) => setToken(e.target.value)} />
        </div>
        <div className="button-row end">
          <button type="button" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={!token.trim()}>
            Sign in
          </button>
        </div>
      </form>
    </dialog>
  );
}
