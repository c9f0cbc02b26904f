import { useEffect, useRef, useState } from 'react';
import type { Graph } from '../../../shared/graph.js';
import { fromTemplate, TEMPLATES } from '../state/templates.js';
import { PolicyNameFields } from './PolicyNameFields.js';
import { usePolicyNaming } from './use-policy-naming.js';

interface Props {
  takenIds: readonly string[];
  onCreate(graph: Graph): void;
  onClose(): void;
}

/** Start a policy from an example or a blank canvas, under a name and id of its own. */
export function NewPolicyDialog({ takenIds, onCreate, onClose }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [template, setTemplate] = useState('blank');
  const naming = usePolicyNaming('My policy', takenIds);
  const { id, name, idError } = naming;
  useEffect(() => dialog.current?.showModal(), []);

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
          <PolicyNameFields naming={naming} prefix="new-policy" />
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
