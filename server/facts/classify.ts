import type { COMPLEXITIES, TASK_TYPES } from '../../shared/facts.js';

type TaskType = (typeof TASK_TYPES)[number];
type Complexity = (typeof COMPLEXITIES)[number];

/** First match wins, so the more specific kinds come first. */
const TASK_PATTERNS: [TaskType, RegExp][] = [
  ['code', /```|\b(function|class|def|const|import|compile|stack ?trace|exception|regex|sql|typescript|python|javascript|refactor|unit test|bug)\b/i],
  ['translate', /\btranslat(e|ion)\b|\binto (english|french|german|spanish|italian|japanese|chinese|portuguese)\b/i],
  ['summarize', /\b(summari[sz]e|summary|tl;?dr|key points|condense)\b/i],
  ['extract', /\b(extract|parse|pull out|list all|as json|into json|fill (in )?the fields)\b/i],
  ['classify', /\b(classify|categori[sz]e|sentiment|label (this|the)|which category)\b/i],
  ['math', /\b(calculate|compute|solve|equation|how many|how much|percent|total cost|probability)\b|\d+\s*[-+*/×÷^]\s*\d+/i],
  ['creative', /\b(poem|story|haiku|lyrics|slogan|tagline|brainstorm|creative)\b/i],
];

const REASONING_CUES =
  /\b(step[- ]by[- ]step|analy[sz]e|compare|trade-?offs?|design|architect|prove|derive|explain why|evaluate|critique|plan|strategy|optimi[sz]e|multi-step|reason)\b/i;

export interface Classification {
  taskType: TaskType;
  complexity: Complexity;
}

/**
 * A cheap built-in classifier for routing: keyword patterns for the task type, and size plus
 * reasoning cues for complexity. It runs per request, so it reads only the last user turn.
 */
export interface ClassifyInput {
  /** The last user message's text. */
  text: string;
  promptTokens: number;
  messageCount: number;
  hasTools: boolean;
}

export function classify({ text: lastUserText, promptTokens, messageCount, hasTools }: ClassifyInput): Classification {
  const taskType = TASK_PATTERNS.find(([, re]) => re.test(lastUserText))?.[0] ?? 'chat';
  const reasoning = REASONING_CUES.test(lastUserText);
  let complexity: Complexity = 'moderate';
  if (promptTokens > 3000 || (reasoning && promptTokens > 300) || (hasTools && messageCount > 6)) complexity = 'complex';
  else if (!reasoning && promptTokens < 120 && messageCount <= 3 && taskType !== 'code' && taskType !== 'math') complexity = 'simple';
  return { taskType, complexity };
}
