import { useReactFlow } from '@xyflow/react';
import { useMemo, useReducer, useRef, useState, type CSSProperties } from 'react';
import type { DecideResponse } from '../../../shared/api.js';
import type { ChangedRequest } from '../../../shared/backtest-api.js';
import { hasErrors } from '../../../shared/diagnostics.js';
import type { NodeKind } from '../../../shared/graph.js';
import { isEntry } from '../../../shared/nodes/index.js';
import { isChatModel } from '../../../shared/pricing.js';
import { BacktestPanel, type FinishedBacktest } from '../backtest/BacktestPanel.js';
import { autoLayout } from '../canvas/auto-layout.js';
import type { Highlight } from '../canvas/flow-model.js';
import { PolicyCanvas } from '../canvas/PolicyCanvas.js';
import { liveLinesByNode } from '../canvas/live-figures.js';
import { frameReadable } from '../canvas/readable-view.js';
import { Inspector } from '../inspector/Inspector.js';
import { KeysDialog } from '../keys/KeysDialog.js';
import { Palette } from '../palette/Palette.js';
import { RulePreview } from '../preview/RulePreview.js';
import { ProblemsPanel } from '../problems/ProblemsPanel.js';
import { SimulatorPanel } from '../simulator/SimulatorPanel.js';
import { editorReducer, initialState } from '../state/editor-store.js';
import { addAfter, freeOutput } from '../state/add-after.js';
import { addNode, copyNodes, pasteClip, type Clip } from '../state/graph-ops.js';
import { TEMPLATES } from '../state/templates.js';
import { useCompiled } from '../state/use-compiled.js';
import { useLiveStats } from '../state/use-live-stats.js';
import { usePricing } from '../state/use-pricing.js';
import { VersionsPanel } from '../versions/VersionsPanel.js';
import { AdminTokenDialog } from './AdminTokenDialog.js';
import { DriftBanner } from './DriftBanner.js';
import { NewPolicyDialog } from './NewPolicyDialog.js';
import { PanelResizer } from './PanelResizer.js';
import { PublishDialog } from './PublishDialog.js';
import { SaveAsDialog } from './SaveAsDialog.js';
import { PolicyList } from './PolicyList.js';
import { SidePanel, type Tab } from './SidePanel.js';
import { TopBar } from './TopBar.js';
import { usePolicyFiles } from './use-policy-files.js';
import { useShortcuts } from './use-shortcuts.js';
import { usePanelWidth } from './use-panel-width.js';
import { useRail } from './use-rail.js';
import { useTheme } from './use-theme.js';

const DEFAULT_SIZE = { width: 200, height: 110 };

export function App() {
  const [state, dispatch] = useReducer(editorReducer, TEMPLATES[0]!.graph, initialState);
  const pricing = usePricing();
  const compiled = useCompiled(state.graph, pricing, state.loads);
  // Nothing is drawn or checked until the first policy has loaded: no flash of a graph that is not the one opening.
  const ready = state.loads > 0;
  const files = usePolicyFiles(state, dispatch, compiled);
  const [theme, toggleTheme] = useTheme();
  const [railOpen, toggleRail] = useRail();
  const panel = usePanelWidth();
  const [tab, setTab] = useState<Tab>('inspector');
  const [creating, setCreating] = useState(false);
  const [dialog, setDialog] = useState<'publish' | 'saveAs' | 'keys' | null>(null);
  // The finished backtest a publish from the dialog will cite, if any.
  const [publishJob, setPublishJob] = useState<string | undefined>(undefined);
  // The canvas lights the last simulated decision, or the changed backtest request picked last.
  const [lit, setLit] = useState<{ graph: unknown; highlight: Highlight } | null>(null);
  const [backtest, setBacktest] = useState<FinishedBacktest | null>(null);
  const clip = useRef<Clip | null>(null);
  const flow = useReactFlow();
  // Routes, the simulator and every model picker take chat models; embedding models answer /v1/embeddings only.
  const models = useMemo(() => Object.entries(pricing.models).flatMap(([id, price]) => (isChatModel(price) ? [id] : [])), [pricing]);
  const embeddingModels = useMemo(() => Object.entries(pricing.models).flatMap(([id, price]) => (isChatModel(price) ? [] : [id])), [pricing]);
  const errors = hasErrors(compiled.diagnostics);

  // A simulation or a backtest lights up the graph it ran on; any edit makes it stale.
  const highlight: Highlight | null = lit && lit.graph === state.graph ? lit.highlight : null;
  const showDecision = (result: DecideResponse | null) =>
    setLit(result ? { graph: state.graph, highlight: { nodes: new Set(result.path), edges: new Set(result.edges) } } : null);
  const showChanged = (changed: ChangedRequest | null) =>
    setLit(
      changed
        ? {
            graph: state.graph,
            highlight: {
              nodes: new Set(changed.candidate.path),
              edges: new Set(changed.candidate.edges),
              before: { nodes: new Set(changed.baseline.path), edges: new Set(changed.baseline.edges) },
            },
          }
        : null,
    );
  // A publish carries the last backtest only while the canvas is still the graph it ran on.
  const freshBacktest = backtest && backtest.graph === state.graph ? backtest.job : undefined;
  // Live figures belong to the published version: a canvas that differs from it shows none.
  const showLive = ready && files.published !== null && !files.changed;
  const liveStats = useLiveStats(showLive && files.published ? { policy: files.published.policy.id, version: files.published.policy.version } : null);
  const live = useMemo(() => liveLinesByNode(state.graph.nodes, showLive ? liveStats : null), [state.graph.nodes, showLive, liveStats]);
  const selectedNode = state.selection.nodes.length === 1 ? (state.graph.nodes.find((n) => n.id === state.selection.nodes[0]) ?? null) : null;

  const sizeOf = (id: string) => {
    const m = flow.getNode(id)?.measured;
    return m?.width && m.height ? { width: m.width, height: m.height } : DEFAULT_SIZE;
  };

  function add(kind: NodeKind) {
    // Click-to-add continues the flow: after the selected node, or after the Request node while nothing is selected.
    const anchor = selectedNode ?? (state.selection.nodes.length === 0 ? state.graph.nodes.find((n) => isEntry(n.kind)) : undefined);
    const handle = anchor && !isEntry(kind) ? freeOutput(state.graph, anchor.id, kind) : null;
    if (anchor && handle) {
      const added = addAfter(state.graph, { kind, source: anchor.id, sourceHandle: handle, sizeOf });
      if (!('error' in added)) {
        dispatch({ type: 'edit', graph: added.graph, select: [added.id] });
        setTab('inspector');
        return;
      }
    }
    const centre = flow.screenToFlowPosition({ x: window.innerWidth * 0.45, y: window.innerHeight * 0.45 });
    const offset = (state.graph.nodes.length % 5) * 24;
    const { graph, id } = addNode(state.graph, kind, { x: Math.round(centre.x + offset), y: Math.round(centre.y + offset) });
    dispatch({ type: 'edit', graph, select: [id] });
    setTab('inspector');
  }

  function paste() {
    if (!clip.current || clip.current.nodes.length === 0) return;
    const { graph, ids } = pasteClip(state.graph, clip.current);
    clip.current = { ...clip.current, nodes: clip.current.nodes.map((n) => ({ ...n, position: { x: n.position.x + 40, y: n.position.y + 40 } })) };
    dispatch({ type: 'edit', graph, select: ids });
  }

  function focusNode(id: string) {
    const node = flow.getNode(id);
    dispatch({ type: 'select', nodes: [id], edges: [] });
    setTab('inspector');
    if (node) {
      const size = sizeOf(id);
      void flow.setCenter(node.position.x + size.width / 2, node.position.y + size.height / 2, { zoom: Math.max(flow.getZoom(), 1), duration: 300 });
    }
  }

  useShortcuts({
    undo: () => dispatch({ type: 'undo' }),
    redo: () => dispatch({ type: 'redo' }),
    copy: () => {
      clip.current = copyNodes(state.graph, state.selection.nodes);
    },
    paste,
    duplicate: () => {
      clip.current = copyNodes(state.graph, state.selection.nodes);
      paste();
    },
    toggleRail,
  });

  const drift = files.policies.find((p) => p.id === state.graph.id)?.drift;
  const status = files.published ? `published v${files.published.policy.version}` : 'not published';
  return (
    <div className="app">
      <TopBar
        name={state.graph.name}
        status={status}
        dirty={files.dirty}
        canUndo={state.past.length > 0}
        canRedo={state.future.length > 0}
        canPublish={ready && !errors && files.changed}
        publishHint={errors ? 'Fix the errors first' : 'Nothing to publish: the canvas is what is live'}
        theme={theme}
        notice={files.notice}
        onDismissNotice={() => files.setNotice(null)}
        onNew={() => setCreating(true)}
        onImport={(f) => void files.importFile(f)}
        onDownload={files.download}
        onSaveDraft={() => void files.saveDraft()}
        onSaveAs={() => setDialog('saveAs')}
        onKeys={() => setDialog('keys')}
        onPublish={() => {
          setPublishJob(freshBacktest);
          setDialog('publish');
        }}
        onUndo={() => dispatch({ type: 'undo' })}
        onRedo={() => dispatch({ type: 'redo' })}
        onLayout={() => {
          dispatch({ type: 'edit', graph: autoLayout(state.graph, sizeOf) });
          window.setTimeout(() => frameReadable(flow, document.querySelector('[data-testid="canvas"]'), 300), 50);
        }}
        onToggleTheme={toggleTheme}
        railOpen={railOpen}
        onToggleRail={toggleRail}
      />
      <div className={railOpen ? 'workspace' : 'workspace rail-closed'} style={{ '--panel-width': `${panel.width}px` } as CSSProperties}>
        <aside className="left-rail" id="left-rail" hidden={!railOpen}>
          <PolicyList policies={files.policies} current={state.graph.id} onOpen={(id) => void files.open(id).catch((e: Error) => files.setNotice({ kind: 'error', text: e.message }))} />
          <Palette hasEntry={state.graph.nodes.some((n) => isEntry(n.kind))} onAdd={add} />
        </aside>
        <main className="centre">
          {ready && <PolicyCanvas state={state} dispatch={dispatch} diagnostics={compiled.diagnostics} highlight={highlight} live={live} colorMode={theme} onNodeClick={() => setTab('inspector')} />}
          {ready && <ProblemsPanel diagnostics={compiled.diagnostics} graph={state.graph} ruleCount={compiled.ruleCount} onFocus={focusNode} />}
          {drift && <DriftBanner policyId={state.graph.id} drift={drift} />}
          {files.loading && <div className="loading">Loading policies…</div>}
        </main>
        <SidePanel
          tab={tab}
          onTab={setTab}
          edge={<PanelResizer panel={panel} controls="side-panel" />}
          panels={{
            inspector: (
              <Inspector
                graph={state.graph}
                node={selectedNode}
                diagnostics={compiled.diagnostics}
                models={models}
                onEdit={(graph, key) => dispatch({ type: 'edit', graph, key })}
              />
            ),
            simulator: (
              <SimulatorPanel
                graph={state.graph}
                models={models}
                embeddingModels={embeddingModels}
                hasErrors={errors}
                onDecision={showDecision}
              />
            ),
            backtest: (
              <BacktestPanel
                graph={state.graph}
                hasErrors={errors}
                onSelect={showChanged}
                onFinished={setBacktest}
                onPublish={(job) => {
                  setPublishJob(job);
                  setDialog('publish');
                }}
                onEdit={(graph, key) => dispatch({ type: 'edit', graph, key })}
              />
            ),
            rules: <RulePreview compiled={compiled} live={files.published && !files.changed ? files.published.policy : null} />,
            versions: <VersionsPanel policyId={state.graph.id} revision={files.revision} onRolledBack={files.rolledBack} />,
          }}
        />
      </div>
      {creating && (
        <NewPolicyDialog
          takenIds={files.policies.map((p) => p.id)}
          onClose={() => setCreating(false)}
          onCreate={files.startFrom}
        />
      )}
      {dialog === 'publish' && (
        <PublishDialog
          title={`Publish ${state.graph.name}`}
          action="Publish"
          defaultMessage=""
          onConfirm={(note) => void files.publish(note, publishJob)}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'saveAs' && (
        <SaveAsDialog
          currentName={state.graph.name}
          takenIds={files.policies.map((p) => p.id)}
          onSave={(id, name) => void files.saveAs(id, name)}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'keys' && <KeysDialog policyIds={files.policies.map((p) => p.id)} onClose={() => setDialog(null)} />}
      <AdminTokenDialog />
    </div>
  );
}
