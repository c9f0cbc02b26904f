import type { COMPLEXITIES, TASK_TYPES } from '../../shared/facts.js';

type TaskType = (typeof TASK_TYPES)[number];
type Complexity = (typeof COMPLEXITIES)[number];

/**
 * Code needs code-shaped words: "a class of 20 students", "a function of x", "import duties" or
 * "with the exception of" are not programming (GSM8K word problems read as code before).
 */
const CODE =
  /```|\b(def|function|fn|func)\s+\w+\s*\(|\bclass\s+[A-Z]\w*\s*(\(|:|\{|extends\b|implements\b)|^[ \t]*(import\s+[\w{*]|from\s+[\w.]+\s+import\b|#include\b)|\b(const|let|var)\s+\w+\s*=|=>|\b(stack ?trace|traceback|regex|sql|typescript|python|javascript|java|golang|rustc|cargo build|c\+\+|refactor|unit tests?|compiler|compile (error|fails?)|segfault|null pointer|(throws?|thrown|raised?|uncaught|unhandled) (an? )?exception|bug|debug(ging)?|react (components?|hooks?|apps?|state)|use(state|effect)|node\.js|npm|css|html|docker|kubernetes|api endpoint|source code|my code|this code|the code)\b/im;

/** A word problem: a question (how much, what is, find...) in a prompt with at least three quantities in it. */
const QUANTITY_QUESTION =
  /\b(how (many|much|long|far|old|fast|tall|high|often|heavy|big|much longer|much more)|what(['’]s|\s+(is|was|were|are|will|would|does|do|did|should|must|can|percent(age)?|fraction))|find (the|how|what)|calculate)\b/i;
/** A number, "2 million" counted once; four-digit years (1900–2099) are dates, not quantities. */
const QUANTITY =
  /\$?\b(?!(19|20)\d\d\b)\d[\d,]*(\.\d+)?%?(\s+(hundred|thousand|million|billion))?|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred|thousand|million|half|twice|thrice|double|triple|dozen)\b/gi;

function isWordProblem(text: string): boolean {
  if (!QUANTITY_QUESTION.test(text)) return false;
  let count = 0;
  for (const _ of text.matchAll(QUANTITY)) if (++count >= 3) return true;
  return false;
}

/** First match wins, so the more specific kinds come first. */
const TASK_PATTERNS: [TaskType, (text: string) => boolean][] = [
  ['code', (t) => CODE.test(t)],
  ['translate', (t) => /\btranslat(e|ion)\b|\binto (english|french|german|spanish|italian|japanese|chinese|portuguese)\b/i.test(t)],
  ['summarize', (t) => /\b(summari[sz]e|summary|tl;?dr|key points|condense)\b/i.test(t)],
  ['extract', (t) => /\b(extract|parse|pull out|list all|as json|into json|fill (in )?the fields)\b/i.test(t)],
  ['classify', (t) => /\b(classify|categori[sz]e|sentiment|label (this|the)|which category)\b/i.test(t)],
  ['math', (t) => /\b(calculate|compute|solve|equation|how many|how much|percent|total cost|probability)\b|\d\s*[-+*/×÷^]\s*\d/i.test(t) || isWordProblem(t)],
  ['creative', (t) => /\b(poem|story|haiku|lyrics|slogan|tagline|brainstorm|creative)\b/i.test(t)],
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
  const taskType = TASK_PATTERNS.find(([, matches]) => matches(lastUserText))?.[0] ?? 'chat';
  const reasoning = REASONING_CUES.test(lastUserText);
  let complexity: Complexity = 'moderate';
  if (promptTokens > 3000 || (reasoning && promptTokens > 300) || (hasTools && messageCount > 6)) complexity = 'complex';
  else if (!reasoning && promptTokens < 120 && messageCount <= 3 && taskType !== 'code' && taskType !== 'math') complexity = 'simple';
  return { taskType, complexity };
}
