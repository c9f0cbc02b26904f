import { useRef } from 'react';
import type { Notice } from './use-policy-files.js';
import type { Theme } from './use-theme.js';

interface Props {
  name: string;
  status: string;
  dirty: boolean;
  canUndo: boolean;
  canRedo: boolean;
  canPublish: boolean;
  theme: Theme;
  notice: Notice | null;
  onDismissNotice(): void;
  onNew(): void;
  onImport(file: File): void;
  onDownload(): void;
  onSaveDraft(): void;
  onPublish(): void;
  onUndo(): void;
  onRedo(): void;
  onLayout(): void;
  onToggleTheme(): void;
}

export function TopBar(p: Props) {
  const file = useRef<HTMLInputElement>(null);
  return (
    <header className="topbar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          ⛩
        </span>
        <span className="brand-name">Tollgate</span>
      </div>
      <div className="doc-title">
        <h1 data-testid="policy-name">{p.name}</h1>
        <span className={p.dirty ? 'pill warning' : 'pill'} data-testid="policy-status">
          {p.dirty ? 'unsaved changes' : p.status}
        </span>
      </div>
      {p.notice && (
        <div className={`notice ${p.notice.kind}`} role={p.notice.kind === 'error' ? 'alert' : 'status'} data-testid="notice">
          <span>{p.notice.text}</span>
          <button type="button" className="icon-button" aria-label="Dismiss message" onClick={p.onDismissNotice}>
            ✕
          </button>
        </div>
      )}
      <div className="toolbar" role="toolbar" aria-label="Editor actions">
        <button type="button" onClick={p.onUndo} disabled={!p.canUndo} aria-label="Undo" title="Undo (Ctrl+Z)">
          ↶
        </button>
        <button type="button" onClick={p.onRedo} disabled={!p.canRedo} aria-label="Redo" title="Redo (Ctrl+Shift+Z)">
          ↷
        </button>
        <button type="button" onClick={p.onLayout} title="Arrange the nodes left to right">
          Auto-layout
        </button>
        <span className="divider" />
        <button type="button" onClick={p.onNew}>
          New
        </button>
        <button type="button" onClick={() => file.current?.click()}>
          Import
        </button>
        <input
          ref={file}
          type="file"
          accept="application/json,.json"
          hidden
          data-testid="import-input"
          onChange={(e) => {
            const chosen = e.target.files?.[0];
            if (chosen) p.onImport(chosen);
            e.target.value = '';
          }}
        />
        <button type="button" onClick={p.onDownload}>
          Download JSON
        </button>
        <button type="button" onClick={p.onSaveDraft}>
          Save draft
        </button>
        <button type="button" className="primary" onClick={p.onPublish} disabled={!p.canPublish} title={p.canPublish ? 'Make this policy live' : 'Fix the errors first'}>
          Publish
        </button>
        <span className="divider" />
        <button type="button" onClick={p.onToggleTheme} aria-label={p.theme === 'light' ? 'Switch to dark theme' : 'Switch to light theme'}>
          {p.theme === 'light' ? '☾' : '☀'}
        </button>
      </div>
    </header>
  );
}
