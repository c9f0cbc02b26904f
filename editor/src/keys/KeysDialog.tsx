import { useEffect, useRef } from 'react';
import { KeysPanel } from './KeysPanel.js';

/**
 * Service keys, from the top bar: they belong to the whole gateway, not to the policy on the
 * canvas, and as a sixth tab beside it they did not fit the side panel.
 */
export function KeysDialog({ policyIds, onClose }: { policyIds: readonly string[]; onClose(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => dialog.current?.showModal(), []);
  return (
    <dialog ref={dialog} className="dialog keys-dialog" onClose={onClose} aria-labelledby="keys-title">
      <div className="dialog-head">
        <h2 id="keys-title">Service keys</h2>
        <button type="button" className="icon-button" aria-label="Close service keys" onClick={() => dialog.current?.close()}>
          ✕
        </button>
      </div>
      <p className="muted small">A key's tags and policy win over what its caller sends; its daily budget limits it where a Budget node is scoped to service keys.</p>
      <KeysPanel policyIds={policyIds} />
    </dialog>
  );
}
