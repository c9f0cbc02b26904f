import { useEffect, useRef, useState } from 'react';
import type { PublishNote } from '../state/api-client.js';
import { storedPublisherName, storePublisherName } from '../state/publisher-name.js';

interface Props {
  /** What the dialog publishes ("Publish Cost router", "Roll back to v2"). */
  title: string;
  action: string;
  defaultMessage: string;
  onConfirm(note: PublishNote): void;
  onClose(): void;
}

/** Asks why and who before a version goes live: the version's message and author, and the git commit's when publishing commits. */
export function PublishDialog({ title, action, defaultMessage, onConfirm, onClose }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [message, setMessage] = useState(defaultMessage);
  const [author, setAuthor] = useState(storedPublisherName);
  useEffect(() => dialog.current?.showModal(), []);
  return (
    <dialog ref={dialog} className="dialog narrow" onClose={onClose} aria-labelledby="publish-title">
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          storePublisherName(author);
          onConfirm({ message: message.trim(), author: author.trim() });
          dialog.current?.close();
        }}
      >
        <h2 id="publish-title">{title}</h2>
        <div className="field">
          <label htmlFor="publish-message">What changed</label>
          <textarea id="publish-message" rows={3} value={message} onChange={(e) => setMessage(e.target.value)} maxLength={500} />
        </div>
        <div className="field">
          <label htmlFor="publish-author">Your name</label>
          <input id="publish-author" value={author} onChange={(e) => setAuthor(e.target.value)} maxLength={100} placeholder="shown in Versions" />
        </div>
        <div className="button-row end">
          <button type="button" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
          <button type="submit" className="primary">
            {action}
          </button>
        </div>
      </form>
    </dialog>
  );
}
