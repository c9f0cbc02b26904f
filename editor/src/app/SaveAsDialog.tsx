import { useEffect, useRef } from 'react';
import { PolicyNameFields } from './PolicyNameFields.js';
import { usePolicyNaming } from './use-policy-naming.js';

interface Props {
  currentName: string;
  takenIds: readonly string[];
  onSave(id: string, name: string): void;
  onClose(): void;
}

/** "Save as" / "Duplicate policy": the graph on the canvas under a new name and id, as a draft of its own. */
export function SaveAsDialog({ currentName, takenIds, onSave, onClose }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const naming = usePolicyNaming(`Copy of ${currentName}`, takenIds);
  const { id, name, idError } = naming;
  useEffect(() => dialog.current?.showModal(), []);
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
        <PolicyNameFields naming={naming} prefix="save-as" />
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
