import { useEffect, useState } from 'react';
import { compile, type CompileResult } from '../../../shared/compiler/compile.js';
import type { Graph } from '../../../shared/graph.js';
import type { PricingTable } from '../../../shared/pricing.js';

/** A short pause so typing a number does not recompile on every keystroke. */
const DEBOUNCE_MS = 120;

/**
 * The compiler run in the browser on every edit: diagnostics for the canvas, rules for the
 * preview. A freshly loaded graph (`loads` moved on) compiles at once, so the first paint never
 * shows the previous graph's problems on the new one.
 */
export function useCompiled(graph: Graph, pricing: PricingTable, loads = 0): CompileResult {
  const [state, setState] = useState(() => ({ loads, result: compile(graph, { pricing }) }));
  let current = state;
  if (state.loads !== loads) {
    current = { loads, result: compile(graph, { pricing }) };
    setState(current);
  }
  useEffect(() => {
    const timer = setTimeout(() => setState({ loads, result: compile(graph, { pricing }) }), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [graph, pricing]);
  return current.result;
}
