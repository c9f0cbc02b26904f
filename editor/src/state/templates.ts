import type { Graph } from '../../../shared/graph.js';
import { RuleFileSchema } from '../../../shared/rule-file.js';
import budgetGuard from '../../../rules/budget-guard.json';
import costRouter from '../../../rules/cost-router.json';
import faqCache from '../../../rules/faq-cache.json';
import { blankGraph } from './graph-ops.js';

export interface Template {
  key: string;
  name: string;
  description: string;
  graph: Graph;
}

const examples = [costRouter, budgetGuard, faqCache].map((file) => RuleFileSchema.parse(file));

/** The example policies shipped in rules/, and a blank graph; "start from a template" copies one under a new id. */
export const TEMPLATES: readonly Template[] = [
  { key: 'blank', name: 'Blank', description: 'Only the Request node: draw your policy from scratch.', graph: blankGraph('new-policy', 'New policy') },
  ...examples.map((f) => ({ key: f.policy.id, name: f.policy.name, description: f.policy.description, graph: f.graph })),
];

export function fromTemplate(template: Template, id: string, name: string): Graph {
  return { ...structuredClone(template.graph), id, name, version: 1, updatedAt: '1970-01-01T00:00:00.000Z' };
}
