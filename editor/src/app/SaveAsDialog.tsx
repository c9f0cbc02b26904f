import { useEffect, useRef, useState } from 'react';
import { IdSchema } from '../../../shared/graph.js';
import { slugify } from '../../../shared/compiler/rule-names.js';

interface Props {
  currentName: string;
  takenIds: readonly string[];
  onSave(id: string, name: string): void;
  onClose(): void;
}

/** "Save as" / "Duplicate policy": the graph on the canvas under a new name and id, as a draft of its own. */
export function SaveAsDialog({ currentName, takenIds, onSave, onClose }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [name, setName] = useState(`Copy of ${currentName}`);
  const [id, setId] = useState(slugify(`Copy of ${currentName}`));
  const [idTouched, setIdTouched] = useState(false);
  useEffect(() => dialog.current?.showModal(), []);
  const idCheck = IdSchema.safeParse(id);
  const idError = !idCheck.success ? idCheck.error.issues[0]?.message : takenIds.includes(id) ? 'a policy with this id exists: pick another' : null;
  return (
    <dialog ref={dialog} className="dialog narrow" onClose={onClose} aria-labelledby="save-as-title">
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          if (idError) return;
          onSave(id, name.trim() || id);
          dialog.current?.close();
        }}
      >
        <h2 id="save-as-title">Save as a new policy</h2>
        <p className="muted small">The copy starts at version 1 as a draft; the original stays as it is.</p>
        <div className="field">
          <label htmlFor="save-as-name">Name</label>
          <input
            id="save-as-name"
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              if (!idTouched) setId(slugify(e.target.value));
            }}
          />
        </div>
        <div className={idError ? 'field has-error' : 'field'}>
          <label htmlFor="save-as-id">Policy id</label>
          <input
            id="save-as-id"
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
        <div className="button-row end">
          <button type="button" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={!!idError}>
            Save copy
          </button>
        </div>
      </form>
    </dialog>
  );
}
