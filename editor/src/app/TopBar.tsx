import { useRef } from 'react';
import { BrandIcon, ChartIcon, CopyIcon, DownloadIcon, KeyIcon, LayoutIcon, MoonIcon, PlusIcon, PublishIcon, RailIcon, RedoIcon, SaveIcon, SunIcon, UndoIcon, UploadIcon } from './icons.js';
import type { Notice } from './use-policy-files.js';
import type { Theme } from './use-theme.js';

interface Props {
  name: string;
  status: string;
  dirty: boolean;
  canUndo: boolean;
  canRedo: boolean;
  canPublish: boolean;
  /** Why Publish is off, when it is. */
  publishHint: string;
  theme: Theme;
  railOpen: boolean;
  notice: Notice | null;
  onDismissNotice(): void;
  onNew(): void;
  onImport(file: File): void;
  onDownload(): void;
  onSaveDraft(): void;
  onSaveAs(): void;
  onKeys(): void;
  onPublish(): void;
  onUndo(): void;
  onRedo(): void;
  onLayout(): void;
  onToggleTheme(): void;
  onToggleRail(): void;
}

export function TopBar(p: Props) {
  const file = useRef<HTMLInputElement>(null);
  return (
    <header className="topbar">
      <button
        type="button"
        className="icon-only rail-toggle"
        onClick={p.onToggleRail}
        aria-expanded={p.railOpen}
        aria-controls="left-rail"
        aria-label={p.railOpen ? 'Hide policies and nodes' : 'Show policies and nodes'}
        title={p.railOpen ? 'Hide policies and nodes: give the canvas their room (Ctrl+\\)' : 'Show policies and nodes (Ctrl+\\)'}
      >
        <RailIcon />
      </button>
      <div className="brand">
        <span className="brand-mark">
          <BrandIcon />
        </span>
        <span className="brand-name">Tollgate</span>
      </div>
      <div className="doc-title">
        <h1 data-testid="policy-name" title={p.name}>{p.name}</h1>
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
        <button type="button" className="icon-only" onClick={p.onUndo} disabled={!p.canUndo} aria-label="Undo" title="Undo (Ctrl+Z)">
          <UndoIcon />
        </button>
        <button type="button" className="icon-only" onClick={p.onRedo} disabled={!p.canRedo} aria-label="Redo" title="Redo (Ctrl+Shift+Z)">
          <RedoIcon />
        </button>
        <button type="button" className="icon-only" onClick={p.onLayout} aria-label="Auto-layout" title="Auto-layout: arrange the nodes left to right">
          <LayoutIcon />
        </button>
        <span className="divider" />
        <button type="button" onClick={p.onNew} aria-label="New" title="Start a policy from a template or a blank canvas">
          <PlusIcon /> <span className="wide-label">New</span>
        </button>
        <button type="button" onClick={() => file.current?.click()} aria-label="Import" title="Open a rule file (.json)">
          <UploadIcon /> <span className="wide-label">Import</span>
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
        <button type="button" onClick={p.onDownload} aria-label="Download JSON" title="Download the rule file">
          <DownloadIcon /> <span className="wide-label">JSON</span>
        </button>
        <button type="button" onClick={p.onSaveDraft} aria-label="Save draft" title="Save without making it live">
          <SaveIcon /> <span className="wide-label">Save draft</span>
        </button>
        <button type="button" onClick={p.onSaveAs} aria-label="Save as…" title="Duplicate this policy under a new name (Save as)">
          <CopyIcon /> <span className="compact-label">Save as…</span>
        </button>
        <button type="button" className="primary" onClick={p.onPublish} disabled={!p.canPublish} title={p.canPublish ? 'Make this policy live' : p.publishHint}>
          <PublishIcon /> Publish
        </button>
        <span className="divider" />
        <a className="toolbar-link" href="/dashboard" aria-label="Dashboard" title="Spend, savings, budgets and quality">
          <ChartIcon /> <span className="compact-label">Dashboard</span>
        </a>
        <button type="button" className="toolbar-link" onClick={p.onKeys} aria-label="Keys" title="Issue and revoke service keys">
          <KeyIcon /> <span className="compact-label">Keys</span>
        </button>
        <button type="button" className="icon-only" onClick={p.onToggleTheme} aria-label={p.theme === 'light' ? 'Switch to dark theme' : 'Switch to light theme'}>
          {p.theme === 'light' ? <MoonIcon /> : <SunIcon />}
        </button>
      </div>
    </header>
  );
}
