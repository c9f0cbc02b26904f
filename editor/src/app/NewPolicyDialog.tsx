import { useEffect, useRef, useState } from 'react';
import type { Graph } from '../../../shared/graph.js';
import { PolicyIdSchema } from '../../../shared/graph.js';
import { fromTemplate, TEMPLATES } from '../state/templates.js';

interface Props {
  takenIds: readonly string[];
  onCreate(graph: Graph): void;
  onClose(): void;
}

const slug = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);

/** Start a policy from an example or a blank canvas, under a name and id of its own. */
export function NewPolicyDialog({ takenIds, onCreate, onClose }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [template, setTemplate] = useState('blank');
  const [name, setName] = useState('My policy');
  const [id, setId] = useState('my-policy');
  const [idTouched, setIdTouched] = useState(false);
  useEffect(() => dialog.current?.showModal(), []);

  const idCheck = PolicyIdSchema.safeParse(id);
  const idError = !idCheck.success ? idCheck.error.issues[0]?.message : takenIds.includes(id) ? 'a policy with this id exists: pick another' : null;

  return (
    <dialog ref={dialog} className="dialog" onClose={onClose} aria-labelledby="new-policy-title">
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          const chosen = TEMPLATES.find((t) => t.key === template);
          if (!chosen || idError) return;
          onCreate(fromTemplate(chosen, id, name.trim() || id));
          dialog.current?.close();
        }}
      >
        <h2 id="new-policy-title">New policy</h2>
        <fieldset className="template-grid">
          <legend>Start from</legend>
          {TEMPLATES.map((t) => (
            <label key={t.key} className={template === t.key ? 'template-card chosen' : 'template-card'}>
              <input type="radio" name="template" value={t.key} checked={template === t.key} onChange={() => setTemplate(t.key)} />
              <strong>{t.name}</strong>
              <span className="muted small">{t.description}</span>
            </label>
          ))}
        </fieldset>
        <div className="field-row">
          <div className="field">
            <label htmlFor="new-policy-name">Name</label>
            <input
              id="new-policy-name"
              value={name}
              onChange={(e) => {
                setName(e.target.value);
                if (!idTouched) setId(slug(e.target.value));
              }}
            />
          </div>
          <div className={idError ? 'field has-error' : 'field'}>
            <label htmlFor="new-policy-id">Policy id</label>
            <input
              id="new-policy-id"
              value={id}
              onChange={(e) => {
                setIdTouched(true);
                setId(e.target.value);
              }}
            />
            {idError && (
              <p className="field-error" role="alert">
                {idError}
              </p>
            )}
          </div>
        </div>
        <div className="button-row end">
          <button type="button" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={!!idError}>
            Create
          </button>
        </div>
      </form>
    </dialog>
  );
}
