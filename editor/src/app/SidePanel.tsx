import type { ReactNode } from 'react';

export type Tab = 'inspector' | 'simulator' | 'backtest' | 'rules' | 'versions';
const TABS: { id: Tab; label: string }[] = [
  { id: 'inspector', label: 'Inspector' },
  { id: 'simulator', label: 'Simulate' },
  { id: 'backtest', label: 'Backtest' },
  { id: 'rules', label: 'Rules' },
  { id: 'versions', label: 'Versions' },
];

/** Tabs beside the canvas; every panel stays mounted so a simulation or a diff survives switching tabs. */
export function SidePanel({ tab, onTab, panels, edge }: { tab: Tab; onTab(tab: Tab): void; panels: Record<Tab, ReactNode>; edge?: ReactNode }) {
  return (
    <aside className="side-panel" id="side-panel">
      {edge}
      <div className="tabs" role="tablist" aria-label="Panels">
        {TABS.map((t) => (
          <button key={t.id} type="button" role="tab" id={`tab-${t.id}`} aria-selected={tab === t.id} aria-controls={`panel-${t.id}`} onClick={() => onTab(t.id)}>
            {t.label}
          </button>
        ))}
      </div>
      {TABS.map((t) => (
        <div key={t.id} role="tabpanel" id={`panel-${t.id}`} aria-labelledby={`tab-${t.id}`} hidden={tab !== t.id} className="panel-body">
          {panels[t.id]}
        </div>
      ))}
    </aside>
  );
}
