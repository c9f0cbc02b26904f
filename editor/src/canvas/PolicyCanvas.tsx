import {
  Background,
  BackgroundVariant,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type Connection,
  type Edge,
  type EdgeChange,
  type FinalConnectionState,
  type IsValidConnection,
  type NodeChange,
  type OnDelete,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import type { Diagnostic } from '../../../shared/diagnostics.js';
import type { NodeKind } from '../../../shared/graph.js';
import { NODE_SPECS } from '../../../shared/nodes/index.js';
import type { EditorAction, EditorState } from '../state/editor-store.js';
import { addAfter, kindsAfter } from '../state/add-after.js';
import { addNode, connect, moveNodes, removeElements } from '../state/graph-ops.js';
import { CanvasActionsContext, type CanvasActions } from './canvas-actions.js';
import { checkConnection } from './connection-rules.js';
import { NodePicker } from './NodePicker.js';
import type { NodeLiveView } from './live-figures.js';
import { frameReadable } from './readable-view.js';
import { toFlow, type Highlight, type PolicyFlowNode } from './flow-model.js';
import { PolicyNode } from './PolicyNode.js';
import { ZoomDetail } from './ZoomDetail.js';

export const NODE_DRAG_TYPE = 'application/x-tollgate-node';
const nodeTypes = { policy: PolicyNode };
const DEFAULT_SIZE = { width: 200, height: 110 };
/** As theme.css draws .node-picker at most. */
const PICKER_SIZE = { width: 230, height: 330 };

interface Picker {
  source: string;
  sourceHandle: string;
  at: { x: number; y: number };
}

interface Props {
  state: EditorState;
  dispatch: (action: EditorAction) => void;
  diagnostics: readonly Diagnostic[];
  highlight: Highlight | null;
  /** Today's figures per node (see liveLinesByNode); empty while the canvas is not the live version. */
  live: ReadonlyMap<string, NodeLiveView>;
  colorMode: 'light' | 'dark';
  /** Clicking a node means "show me its settings". */
  onNodeClick(id: string): void;
}

/** The canvas: a controlled React Flow whose every change goes back into the graph through the reducer. */
export function PolicyCanvas({ state, dispatch, diagnostics, highlight, live, colorMode, onNodeClick }: Props) {
  const flow = useReactFlow();
  // React Flow measures nodes itself; keeping the sizes lets nodes derived afresh from the graph stay visible.
  const measured = useRef(new Map<string, { width: number; height: number }>());
  const [sizeTick, setSizeTick] = useState(0);
  const dragBase = useRef(state.graph);
  const [refusal, setRefusal] = useState<string | null>(null);
  const graphRef = useRef(state.graph);
  graphRef.current = state.graph;
  const box = useRef<HTMLDivElement>(null);
  const [picker, setPicker] = useState<Picker | null>(null);
  const sizeOf = useCallback((id: string) => measured.current.get(id) ?? DEFAULT_SIZE, []);

  // A node added beyond the edge of the view is brought into it, so building can go on from its "+".
  const reveal = useCallback(
    (id: string, position: { x: number; y: number }) => {
      const rect = box.current?.getBoundingClientRect();
      if (!rect) return;
      const size = sizeOf(id);
      const topLeft = flow.flowToScreenPosition(position);
      const bottomRight = flow.flowToScreenPosition({ x: position.x + size.width, y: position.y + size.height });
      const inside = topLeft.x >= rect.left && topLeft.y >= rect.top && bottomRight.x <= rect.right - 24 && bottomRight.y <= rect.bottom;
      if (!inside) void flow.setCenter(position.x + size.width / 2, position.y + size.height / 2, { zoom: flow.getZoom() });
    },
    [flow, sizeOf],
  );

  const addAfterOutput = useCallback(
    (kind: NodeKind, source: string, sourceHandle: string) => {
      setPicker(null);
      const added = addAfter(graphRef.current, { kind, source, sourceHandle, sizeOf });
      if ('error' in added) return setRefusal(`Can't add there: ${added.error}.`);
      dispatch({ type: 'edit', graph: added.graph, select: [added.id] });
      onNodeClick(added.id);
      reveal(added.id, added.graph.nodes.find((n) => n.id === added.id)!.position);
    },
    [dispatch, onNodeClick, sizeOf, reveal],
  );

  const actions: CanvasActions = useMemo(
    () => ({
      openPicker: (source, sourceHandle, at) => {
        const kinds = kindsAfter(graphRef.current, source, sourceHandle);
        // An output that leads to one kind only (a route's onError) needs no choosing.
        if (kinds.length === 1) return addAfterOutput(kinds[0]!, source, sourceHandle);
        const origin = box.current?.getBoundingClientRect() ?? { left: 0, top: 0, width: 1000, height: 800 };
        // The picker stays inside the canvas, even for an output near its edge.
        const x = Math.max(8, Math.min(at.x - origin.left, origin.width - PICKER_SIZE.width - 8));
        const y = Math.max(8, Math.min(at.y - origin.top, origin.height - PICKER_SIZE.height - 8));
        setPicker({ source, sourceHandle, at: { x, y } });
      },
    }),
    [addAfterOutput],
  );

  // A freshly opened graph is framed once React Flow has measured its nodes, and shown only then.
  const [framed, setFramed] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => {
      frameReadable(flow, box.current);
      setFramed(true);
    }, 80);
    return () => clearTimeout(timer);
  }, [state.loads, flow]);

  const { nodes, edges } = useMemo(
    () => toFlow({ graph: state.graph, selection: state.selection, diagnostics, highlight, measured: measured.current, live }),
    [state.graph, state.selection, diagnostics, highlight, live, sizeTick],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange<PolicyFlowNode>[]) => {
      const positions = new Map<string, { x: number; y: number }>();
      let sized = false;
      let selection: string[] | null = null;
      for (const change of changes) {
        if (change.type === 'dimensions' && change.dimensions) {
          measured.current.set(change.id, change.dimensions);
          sized = true;
        } else if (change.type === 'position' && change.position) {
          positions.set(change.id, change.position);
        } else if (change.type === 'select') {
          selection ??= [...state.selection.nodes];
          selection = change.selected ? [...new Set([...selection, change.id])] : selection.filter((id) => id !== change.id);
        }
      }
      if (sized) setSizeTick((n) => n + 1);
      if (positions.size > 0) dispatch({ type: 'transient', graph: moveNodes(graphRef.current, positions) });
      if (selection) dispatch({ type: 'select', nodes: selection, edges: state.selection.edges });
    },
    [dispatch, state.selection],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      let selection: string[] | null = null;
      for (const change of changes) {
        if (change.type !== 'select') continue;
        selection ??= [...state.selection.edges];
        selection = change.selected ? [...new Set([...selection, change.id])] : selection.filter((id) => id !== change.id);
      }
      if (selection) dispatch({ type: 'select', nodes: state.selection.nodes, edges: selection });
    },
    [dispatch, state.selection],
  );

  const isValidConnection: IsValidConnection = useCallback(
    (c: Connection | Edge) => checkConnection(graphRef.current, { source: c.source, sourceHandle: c.sourceHandle ?? null, target: c.target }).ok,
    [],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      const verdict = checkConnection(graphRef.current, c);
      if (!verdict.ok) return setRefusal(verdict.reason);
      setRefusal(null);
      dispatch({ type: 'edit', graph: connect(graphRef.current, { source: c.source, sourceHandle: c.sourceHandle!, target: c.target }) });
    },
    [dispatch],
  );

  // A drop that is not on an input handle still means something: onto a node's body connects to
  // it (a bigger target than an 8 px dot), and a refused drop says why.
  const onConnectEnd = useCallback(
    (event: MouseEvent | TouchEvent, s: FinalConnectionState) => {
      if (s.isValid === true || !s.fromNode || s.fromHandle?.type !== 'source') return;
      const dropped = (event.target as Element | null)?.closest?.('.react-flow__node')?.getAttribute('data-id');
      const target = s.toNode?.id ?? dropped;
      if (!target) return;
      const candidate = { source: s.fromNode.id, sourceHandle: s.fromHandle.id ?? null, target };
      const verdict = checkConnection(graphRef.current, candidate);
      if (!verdict.ok) return setRefusal(`Can't connect: ${verdict.reason}.`);
      setRefusal(null);
      dispatch({ type: 'edit', graph: connect(graphRef.current, { source: candidate.source, sourceHandle: candidate.sourceHandle!, target }) });
    },
    [dispatch],
  );

  const onDelete: OnDelete = useCallback(
    ({ nodes: gone, edges: cut }) =>
      dispatch({ type: 'edit', graph: removeElements(graphRef.current, gone.map((n) => n.id), cut.map((e) => e.id)) }),
    [dispatch],
  );

  const onDrop = useCallback(
    (event: DragEvent) => {
      const kind = event.dataTransfer.getData(NODE_DRAG_TYPE) as NodeKind;
      if (!kind || !(kind in NODE_SPECS)) return;
      event.preventDefault();
      const position = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      const added = addNode(graphRef.current, kind, { x: Math.round(position.x - 100), y: Math.round(position.y - 30) });
      dispatch({ type: 'edit', graph: added.graph, select: [added.id] });
    },
    [dispatch, flow],
  );

  return (
    <CanvasActionsContext.Provider value={actions}>
    <div className={framed ? 'canvas' : 'canvas framing'} data-testid="canvas" ref={box}>
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        colorMode={colorMode}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        isValidConnection={isValidConnection}
        onDelete={onDelete}
        onNodeClick={(_, node) => onNodeClick(node.id)}
        onNodeDragStart={() => {
          dragBase.current = graphRef.current;
        }}
        onNodeDragStop={() => dispatch({ type: 'dragEnd', before: dragBase.current })}
        onDragOver={(e) => {
          e.preventDefault();
          e.dataTransfer.dropEffect = 'move';
        }}
        onDrop={onDrop}
        deleteKeyCode={['Backspace', 'Delete']}
        defaultEdgeOptions={{ type: 'smoothstep' }}
        minZoom={0.2}
        connectionRadius={36}
        proOptions={{ hideAttribution: true }}
      >
        <Background variant={BackgroundVariant.Dots} gap={20} size={1.2} />
        <MiniMap pannable zoomable style={{ width: 160, height: 110 }} nodeColor={(n) => NODE_SPECS[(n as PolicyFlowNode).data.node.kind].color} ariaLabel="Minimap" />
        <Controls aria-label="Zoom controls" />
        <ZoomDetail box={box} />
      </ReactFlow>
      {refusal && (
        <div className="canvas-toast" role="status" onAnimationEnd={() => setRefusal(null)}>
          {refusal}
        </div>
      )}
      {picker && (
        <NodePicker
          at={picker.at}
          title={`Add after ${picker.sourceHandle}`}
          kinds={kindsAfter(state.graph, picker.source, picker.sourceHandle)}
          onPick={(kind) => addAfterOutput(kind, picker.source, picker.sourceHandle)}
          onClose={() => setPicker(null)}
        />
      )}
    </div>
    </CanvasActionsContext.Provider>
  );
}
