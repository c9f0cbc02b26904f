/** One schema check for the worker: does `value` keep the JSON Schema `schema`? Answered with schemaViolation's verdict. */
export interface SchemaCheckRequest {
  id: number;
  schema: unknown;
  value: unknown;
}
