/** Field names read as a product owner would say them; anything not listed is spelled out from its camelCase. */
const LABELS: Record<string, string> = {
  model: 'Model',
  timeoutMs: 'Timeout (ms)',
  backoffMs: 'Backoff (ms)',
  limitUsd: 'Limit (USD)',
  thresholdPct: 'Over at (% of limit)',
  ttlSeconds: 'Time to live (s)',
  similarity: 'Similarity (0.5 to 1)',
  scopeTags: 'Partition by tags',
  rpm: 'Requests per minute',
  tpm: 'Tokens per minute (0: off)',
  maxInputTokens: 'Max input tokens (0: off)',
  keepLastMessages: 'Keep last messages (0: all)',
  maxOutputTokens: 'Max output tokens (0: as asked)',
  collapseWhitespace: 'Collapse whitespace',
  webhookEnv: 'Webhook URL variable',
  stickyBy: 'Sticky by',
  stickyPath: 'Sticky tag key',
  path: 'Tag key',
  match: 'Pass when',
  fact: 'Fact',
  operator: 'Operator',
  value: 'Value',
  tests: 'Tests',
  cases: 'Cases',
  branches: 'Branches',
  weight: 'Weight (%)',
  qualityTarget: 'Quality target (% of the strong model)',
};

/** What one item of a list is called, for its heading and its inputs' names ("Test 2 value"). */
export const ITEM_NAMES: Record<string, string> = { tests: 'Test', cases: 'Case', branches: 'Branch' };

export function fieldLabel(key: string): string {
  return LABELS[key] ?? key.replace(/([A-Z])/g, ' $1').replace(/^./, (c) => c.toUpperCase());
}
