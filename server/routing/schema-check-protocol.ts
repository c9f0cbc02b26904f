/** One schema check for the worker: does `value` keep the JSON Schema `schema`? */
export interface SchemaCheckRequest {
  id: number;
  schema: unknown;
  value: unknown;
}

/** The worker's verdict (see schemaViolation), or word that it has loaded and answers from now on. */
export type SchemaCheckMessage = { id: number; violation: string | null; checkable: boolean } | { ready: true };
