import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAPH_LIMITS, GraphSchema, graphSizeProblem } from '../../shared/graph.js';
import { hello, REPO, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

/** A request node followed by a chain of tag nodes ending in a route: `count` nodes, count - 1 edges. */
function chainGraph(id: string, count: number) {
  const nodes = [
    { id: 'request', kind: 'request' },
    ...Array.from({ length: count - 2 }, (_, i) => ({ id: `tag-${i}`, kind: 'tag', params: { tags: { step: String(i) } } })),
    { id: 'route', kind: 'route', params: { model: 'gpt-4o-mini' } },
  ];
  const edges = nodes.slice(1).map((node, i) => ({ id: `e-${i}`, source: nodes[i]!.id, sourceHandle: 'next', target: node.id }));
  return { id, name: id, nodes, edges };
}

const api = (method: string, pathname: string, body?: unknown) =>
  fetch(`${h.url}${pathname}`, { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

async function expectApiError(response: Response, status: number, code: string, field?: string) {
  expect(response.status).toBe(status);
  const body = (await response.json()) as { error: { message: string; code: string; field?: string } };
  expect(body.error.code).toBe(code);
  if (field) expect(body.error.field).toBe(field);
  return body.error;
}

describe(`graphs over ${GRAPH_LIMITS.nodes} nodes or edges are refused before any work`, () => {
  const huge = chainGraph('huge', 10_000);

  it('draft save: 413 graph_too_large, and the draft is not saved', async () => {
    const error = await expectApiError(await api('PUT', '/api/policies/huge/draft', { graph: huge }), 413, 'graph_too_large', 'graph.nodes');
    expect(error.message).toContain('10000 nodes');
    expect((await api('GET', '/api/policies/huge')).status).toBe(404);
    const drafts = await readFile(path.join(h.dataDir, 'drafts.json'), 'utf8').catch(() => '');
    expect(drafts).not.toContain('huge');
  });

  it('compile, simulate, import and publish', async () => {
    await expectApiError(await api('POST', '/api/compile', { graph: huge }), 413, 'graph_too_large', 'graph.nodes');
    await expectApiError(await api('POST', '/api/simulate', { graph: huge, request: hello() }), 413, 'graph_too_large', 'graph.nodes');
    const ruleFile = JSON.parse(await readFile(path.join(REPO, 'rules', 'cost-router.json'), 'utf8'));
    await expectApiError(await api('POST', '/api/import', { ruleFile: { ...ruleFile, graph: huge } }), 413, 'graph_too_large', 'ruleFile.graph.nodes');
    await expectApiError(await api('POST', '/api/policies/huge/publish', { graph: huge }), 413, 'graph_too_large', 'graph.nodes');
  });

  it('counts edges too', async () => {
    const graph = chainGraph('edgy', 10);
    const edges = Array.from({ length: GRAPH_LIMITS.edges + 1 }, (_, i) => ({ ...graph.edges[0]!, id: `dup-${i}` }));
    await expectApiError(await api('POST', '/api/compile', { graph: { ...graph, edges } }), 413, 'graph_too_large', 'graph.edges');
  });

  it('a graph at the limit is still compiled', async () => {
    const response = await api('POST', '/api/compile', { graph: chainGraph('at-limit', GRAPH_LIMITS.nodes) });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { ruleCount: number };
    expect(body.ruleCount).toBe(1);
  });

  it('the shared size check names the field over the limit; the pure schema stays unlimited for the compiler', () => {
    expect(graphSizeProblem(chainGraph('ok', GRAPH_LIMITS.nodes))).toBeNull();
    expect(graphSizeProblem(chainGraph('over', GRAPH_LIMITS.nodes + 1))).toMatchObject({ field: 'nodes', limit: GRAPH_LIMITS.nodes });
    expect(GraphSchema.safeParse(chainGraph('over', GRAPH_LIMITS.nodes + 1)).success).toBe(true);
  });
});

describe('malformed paths and policy ids', () => {
  it('malformed percent-encoding in an /api path is a 400, not a 500', async () => {
    await expectApiError(await api('GET', '/api/policies/%E0%A4%A'), 400, 'invalid_path', 'path');
    await expectApiError(await api('PUT', '/api/policies/%E0%A4%A/draft', { graph: chainGraph('x', 3) }), 400, 'invalid_path');
  });

  it.each(['Cost-Router', 'cost_router', 'cost.router', '-lead', 'a'.repeat(65), 'caf%C3%A9'])('refuses the policy id %s in a URL', async (id) => {
    await expectApiError(await api('GET', `/api/policies/${id}`), 400, 'invalid_id', 'id');
  });

  it('refuses a graph whose id is not a slug, naming graph.id', async () => {
    const graph = chainGraph('Not_A_Slug', 3);
    await expectApiError(await api('POST', '/api/policies/not-a-slug/publish', { graph }), 400, 'invalid_graph', 'graph.id');
  });

  it('refuses a policy header that is not a slug on /v1 with 400 naming x-tollgate-policy', async () => {
    const response = await h.post('/v1/chat/completions', hello(), { 'x-tollgate-policy': 'Cost-Router' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { param: 'x-tollgate-policy', code: 'invalid_policy_id' } });
  });
});
