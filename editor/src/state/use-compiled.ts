import { useEffect, useState } from 'react';
import { compile, type CompileResult } from '../../../shared/compiler/compile.js';
import type { Graph } from '../../../shared/graph.js';
import type { PricingTable } from '../../../shared/pricing.js';

/** A short pause so typing a number does not recompile on every keystroke. */
const DEBOUNCE_MS = 120;

/** The compiler run in the browser on every edit: diagnostics for the canvas, rules for the preview. */
export function useCompiled(graph: Graph, pricing: PricingTable): CompileResult {
  const [result, setResult] = useState(() => compile(graph, { pricing }));
  useEffect(() => {
    const timer = setTimeout(() => setResult(compile(graph, { pricing })), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [graph, pricing]);
  return result;
}
