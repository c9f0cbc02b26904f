import { useEffect, useState } from 'react';
import type { KeySummary } from '../../../shared/keys-api.js';
import { api } from '../state/api-client.js';
import { formatTags, parseTagList } from './tag-list.js';

/** Service keys: issue one (its secret is shown once, with a copy button), see them all, revoke. Lists them when mounted (the Keys dialog opens). */
export function KeysPanel({ policyIds }: { policyIds: readonly string[] }) {
  const [keys, setKeys] = useState<KeySummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [issued, setIssued] = useState<{ id: string; key: string } | null>(null);

  const reload = () =>
    api.listKeys().then(
      ({ keys: list }) => {
        setKeys(list);
        setError(null);
      },
      (e: Error) => setError(e.message),
    );

  useEffect(() => {
    void reload();
  }, []);

  async function revoke(key: KeySummary) {
    if (!window.confirm(`Revoke "${key.name}" (${key.id})? Services using it are refused at once.`)) return;
    try {
      await api.revokeKey(key.id);
      await reload();
    } catch (e) {
      setError((e as Error).message);
    }
  }

  return (
    <section className="keys" aria-label="Service keys">
      <NewKeyForm
        policyIds={policyIds}
        onIssued={(created) => {
          setIssued(created);
          void reload();
        }}
        onError={setError}
      />
      {issued && <IssuedKey issued={issued} onDone={() => setIssued(null)} />}
      {error && (
        <p className="banner error" role="alert">
          {error}
        </p>
      )}
      <h3>Keys</h3>
      {keys?.length === 0 && <p className="muted">No keys yet: /v1 accepts any caller until the first one is issued.</p>}
      <ul className="key-list">
        {keys?.map((k) => (
          <li key={k.id} data-testid={`key-${k.id}`} className={k.revokedAt ? 'revoked' : ''}>
            <div>
              <strong>{k.name}</strong> <span className="version-tag">{k.id}</span>
              <div className="muted small">
                {formatTags(k.tags) || 'no tags'}
                {k.policy ? ` · policy ${k.policy}` : ''}
                {k.budgets?.day !== undefined ? ` · $${k.budgets.day}/day` : ''}
              </div>
            </div>
            {k.revokedAt ? (
              <span className="pill">revoked</span>
            ) : (
              <button type="button" onClick={() => void revoke(k)}>
                Revoke
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function NewKeyForm({ policyIds, onIssued, onError }: { policyIds: readonly string[]; onIssued(created: { id: string; key: string }): void; onError(message: string): void }) {
  const [name, setName] = useState('');
  const [tags, setTags] = useState('');
  const [policy, setPolicy] = useState('');
  const [dayUsd, setDayUsd] = useState('');
  const parsed = parseTagList(tags);
  const tagError = 'error' in parsed ? parsed.error : null;

  return (
    <form
      className="key-form"
      onSubmit={(e) => {
        e.preventDefault();
        if ('error' in parsed || !name.trim()) return;
        api
          .createKey({
            name: name.trim(),
            tags: parsed.tags,
            ...(policy ? { policy } : {}),
            ...(dayUsd ? { budgets: { day: Number(dayUsd) } } : {}),
          })
          .then((created) => {
            setName('');
            setTags('');
            onIssued(created);
          }, (err: Error) => onError(err.message));
      }}
    >
      <h3>New service key</h3>
      <div className="field">
        <label htmlFor="key-name">Name</label>
        <input id="key-name" value={name} placeholder="search service" onChange={(e) => setName(e.target.value)} />
      </div>
      <div className={tagError ? 'field has-error' : 'field'}>
        <label htmlFor="key-tags">Bound tags</label>
        <input id="key-tags" value={tags} placeholder="team=search, env=prod" onChange={(e) => setTags(e.target.value)} />
        {tagError && <p className="field-error">{tagError}</p>}
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor="key-policy">Policy</label>
          <select id="key-policy" value={policy} onChange={(e) => setPolicy(e.target.value)}>
            <option value="">any (caller chooses)</option>
            {policyIds.map((id) => (
              <option key={id} value={id}>
                {id}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="key-day">Daily budget (USD)</label>
          <input id="key-day" type="number" min="0" step="any" value={dayUsd} onChange={(e) => setDayUsd(e.target.value)} />
        </div>
      </div>
      <div className="button-row end">
        <button type="submit" className="primary" disabled={!name.trim() || !!tagError}>
          Create key
        </button>
      </div>
    </form>
  );
}

function IssuedKey({ issued, onDone }: { issued: { id: string; key: string }; onDone(): void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="issued-key" role="status">
      <p>
        <strong>Copy the key for {issued.id} now:</strong> it is shown only this once.
      </p>
      <code data-testid="issued-key">{issued.key}</code>
      <div className="button-row">
        <button type="button" onClick={() => void navigator.clipboard.writeText(issued.key).then(() => setCopied(true))}>
          {copied ? 'Copied' : 'Copy'}
        </button>
        <button type="button" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}
