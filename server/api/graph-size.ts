import { graphSizeProblem } from '../../shared/graph.js';
import { HttpError } from '../errors/http-error.js';

/**
 * Refuses a graph over the shared node or edge limit with 413 `graph_too_large`, before it is
 * parsed, compiled or saved. `field` is where the graph sits in the body (`graph`, `ruleFile.graph`).
 */
export function refuseOversizedGraph(raw: unknown, field = 'graph'): void {
  const problem = graphSizeProblem(raw);
  if (problem) throw new HttpError({ status: 413, message: `${problem.message}: split the policy or simplify it`, code: 'graph_too_large', field: `${field}.${problem.field}` });
}
