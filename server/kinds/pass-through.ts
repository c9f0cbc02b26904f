/** Kinds that only steer by static facts (the entry, conditions, switches): nothing to run, no fact to resolve. */
export const passThroughExecutor = { plan: null, resolveFact: null, refusalType: null } as const;
