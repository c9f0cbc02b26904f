import type { Graph } from '../../../shared/graph.js';

/** How far back undo reaches; a long session would otherwise keep every keystroke's graph. */
const HISTORY_LIMIT = 200;

export interface EditorState {
  /** The graph on the canvas: the one source of truth, React Flow's nodes and edges are derived from it. */
  graph: Graph;
  past: Graph[];
  future: Graph[];
  /** The last graph saved or published; the editor warns before losing changes against it. */
  baseline: Graph;
  selection: { nodes: string[]; edges: string[] };
  /** Edits within one coalescing key (typing in one field) share one undo step. */
  lastKey: string | null;
  /** Counts graphs loaded (opened, imported, created), so the canvas knows when to fit the view. */
  loads: number;
}

export type EditorAction =
  | { type: 'load'; graph: Graph; saved?: boolean }
  | { type: 'edit'; graph: Graph; key?: string; select?: string[] }
  /** A drag moves nodes many times a second: `transient` applies the moves, `dragEnd` records them as one undo step. */
  | { type: 'dragEnd'; before: Graph }
  | { type: 'transient'; graph: Graph }
  | { type: 'undo' }
  | { type: 'redo' }
  | { type: 'select'; nodes: string[]; edges: string[] }
  | { type: 'saved'; graph: Graph };

export function initialState(graph: Graph): EditorState {
  return { graph, past: [], future: [], baseline: graph, selection: { nodes: [], edges: [] }, lastKey: null, loads: 0 };
}

const pushPast = (past: Graph[], graph: Graph) => [...past, graph].slice(-HISTORY_LIMIT);

function keepExisting(selection: EditorState['selection'], graph: Graph): EditorState['selection'] {
  const nodes = new Set(graph.nodes.map((n) => n.id));
  const edges = new Set(graph.edges.map((e) => e.id));
  return { nodes: selection.nodes.filter((id) => nodes.has(id)), edges: selection.edges.filter((id) => edges.has(id)) };
}

export function editorReducer(state: EditorState, action: EditorAction): EditorState {
  switch (action.type) {
    case 'load': {
      const fresh = { ...initialState(action.graph), loads: state.loads + 1 };
      return action.saved === false ? { ...fresh, baseline: state.baseline } : fresh;
    }
    case 'edit': {
      if (action.graph === state.graph) return state;
      const coalesce = action.key !== undefined && action.key === state.lastKey;
      const selection = action.select ? { nodes: action.select, edges: [] } : keepExisting(state.selection, action.graph);
      return {
        ...state,
        graph: action.graph,
        past: coalesce ? state.past : pushPast(state.past, state.graph),
        future: [],
        selection,
        lastKey: action.key ?? null,
      };
    }
    case 'dragEnd':
      if (action.before === state.graph) return state;
      return { ...state, past: pushPast(state.past, action.before), future: [], lastKey: null };
    case 'transient':
      return { ...state, graph: action.graph };
    case 'undo': {
      const previous = state.past.at(-1);
      if (!previous) return state;
      return {
        ...state,
        graph: previous,
        past: state.past.slice(0, -1),
        future: [state.graph, ...state.future],
        selection: keepExisting(state.selection, previous),
        lastKey: null,
      };
    }
    case 'redo': {
      const [next, ...rest] = state.future;
      if (!next) return state;
      return { ...state, graph: next, past: pushPast(state.past, state.graph), future: rest, selection: keepExisting(state.selection, next), lastKey: null };
    }
    case 'select':
      return { ...state, selection: { nodes: action.nodes, edges: action.edges }, lastKey: null };
    case 'saved':
      return { ...state, graph: action.graph, baseline: action.graph };
  }
}

/** Unsaved when the canvas differs from the last save or publish; undoing back to it counts as clean. */
export function isDirty(state: EditorState): boolean {
  return state.graph !== state.baseline && JSON.stringify(state.graph) !== JSON.stringify(state.baseline);
}
