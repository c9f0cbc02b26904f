import { expect } from 'vitest';
import type { Harness } from '../http/harness.js';
import { waitFor } from '../http/wait-for.js';

/** Publishes a graph on the first instance and waits until every instance has it live (the policy bus carries it). */
export async function publishOnAll(instances: Harness[], graph: { id: string }): Promise<void> {
  expect((await instances[0]!.post(`/api/policies/${graph.id}/publish`, { graph })).status).toBe(200);
  await Promise.all(instances.map((h) => waitFor(async () => h.server.runtime.store.get(graph.id) !== undefined, 100, 20)));
}
