import type { ChatCompletionRequest } from '../../shared/api.js';
import type { RequestFacts } from '../../shared/facts.js';
import type { CheckAnswerAction } from '../../shared/nodes/smart-route.js';
import type { DynamicFactResolver } from '../engine/evaluator.js';
import { HttpError } from '../errors/http-error.js';
import { promptTextOf } from '../facts/prompt-text.js';
import type { Admitted } from '../limits/budget-admission.js';
import { callRoute, RouteFailedError, type Attempt, type CompletionRouteResult, type ResolvedTarget } from '../providers/call-route.js';
import { ANSWER_CHECK_WEIGHTS, judgeAnswer } from '../routing/answer-check-model.js';
import { checkThresholdAt } from '../routing/answer-check-threshold.js';
import { asksForFormat, FORMAT_CHECK_VERSION, formatProblem } from '../routing/format-check.js';
import { isCheckedPrompt } from '../routing/router-fact.js';
import type { SchemaCheck } from '../routing/schema-checker.js';
import { promptShape } from '../routing/router-features.js';
import type { ActionPlan } from './action-plan.js';
import type { AnswerCheckRef } from '../routing/answer-check-ref.js';

/** The value `routerScore` reads as when a request is decided again after a failed check: past any threshold. */
const STRONG = 3;

/**
 * What the answer check says of a cheap answer: null when the plan checks nothing, the prompt is
 * not one the check applies to (`isCheckedPrompt`) or the answer has no text (tool calls). Pure.
 */
export function answerCheckVerdict(action: CheckAnswerAction | null, facts: RequestFacts, answer: string, shift = 0): AnswerCheckRef | null {
  if (!action || !answer) return null;
  const prompt = promptTextOf(facts);
  if (!isCheckedPrompt(facts, promptShape(prompt), action.streams)) return null;
  const judged = judgeAnswer(ANSWER_CHECK_WEIGHTS, prompt, answer);
  const score = round6(judged.score);
  const threshold = shift > 0 ? checkThresholdAt(action.threshold, shift) : action.threshold;
  return {
    node: action.node,
    check: 'maths',
    version: action.version,
    score,
    threshold,
    ...(threshold !== action.threshold ? { calibratedThreshold: action.threshold } : {}),
    escalated: score >= threshold,
    reasons: judged.contributions
      .filter((r) => r.contribution > 0)
      .slice(0, 3)
      .map((r) => r.feature),
  };
}

/**
 * Whether the plan checks this request's cheap answer at all: an open maths question
 * (`isCheckedPrompt`) or an answer in a format a parser reads (`asksForFormat`); a stream only
 * when the node buffers streams. A stream that is checked is fetched whole first.
 */
export function answerCheckApplies(action: CheckAnswerAction | null, facts: RequestFacts, request: ChatCompletionRequest): action is CheckAnswerAction {
  if (!action || (facts.stream && !action.streams)) return false;
  return asksForFormat(request) || isCheckedPrompt(facts, promptShape(promptTextOf(facts)), action.streams);
}

/**
 * The format check's verdict on a cheap answer: escalate when it breaks the JSON or tool-call
 * format the request asked for (`formatProblem`), else null (then the maths check may still
 * apply). Deterministic: feedback does not move it.
 */
export async function formatVerdict(action: CheckAnswerAction | null, request: ChatCompletionRequest, body: Record<string, unknown>, checkSchema: SchemaCheck): Promise<AnswerCheckRef | null> {
  if (!action) return null;
  const problem = await formatProblem(request, body, checkSchema);
  if (!problem) return null;
  return { node: action.node, check: 'format', version: FORMAT_CHECK_VERSION, score: 1, threshold: 1, escalated: true, reasons: [problem] };
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** The request's resolver with every learned router past its threshold, so the policy's own strong path decides the retry. */
export function strongRouting(base: DynamicFactResolver): DynamicFactResolver {
  return (fact, params, facts) => (fact === 'routerScore' ? STRONG : base(fact, params, facts));
}

export interface EscalationInput {
  /** Decides the request again with the given resolver, budgets held as on the first decision. */
  admitWith(resolve: DynamicFactResolver): Admitted | null | Promise<Admitted | null>;
  resolve: DynamicFactResolver;
  /** The rule that sent the request cheap: a retry that lands on it again has nowhere better to go. */
  cheapRule: string;
  targetsOf(plan: ActionPlan): ResolvedTarget[];
  recordAttempts(attempts: Attempt[]): void;
}

export type Escalation =
  | { ok: true; admitted: Admitted; result: CompletionRouteResult }
  /** Why the cheap answer stands after all (the strong path refused, failed or is the same path). */
  | { ok: false; reason: string };

/**
 * Asks the strong path for a better answer. Anything that stops it (budgets, a refusal, the
 * strong provider failing) keeps the cheap answer, which is still an answer: the caller is never
 * worse off for the check. Budgets hold the strong call's estimate like any request's.
 */
export async function escalate(input: EscalationInput): Promise<Escalation> {
  let admitted: Admitted | null;
  try {
    admitted = await input.admitWith(strongRouting(input.resolve));
  } catch (error) {
    if (error instanceof HttpError) return { ok: false, reason: `the strong path refused: ${error.message}` };
    throw error;
  }
  const release = () => admitted?.reservation?.release();
  if (!admitted) return { ok: false, reason: 'no rule matches the strong path' };
  if (admitted.rule.name === input.cheapRule || admitted.plan.finish.refusal || admitted.plan.finish.targets.length === 0) {
    release();
    return { ok: false, reason: admitted.plan.finish.refusal ? `the strong path refuses: ${admitted.plan.finish.refusal.message}` : 'the strong path calls no model' };
  }
  try {
    const result = await callRoute(input.targetsOf(admitted.plan), admitted.plan.request, { stream: false });
    input.recordAttempts(result.attempts);
    if (!result.completion) throw new Error('a non-streamed call returned a stream');
    return { ok: true, admitted, result };
  } catch (error) {
    release();
    if (!(error instanceof RouteFailedError)) throw error;
    input.recordAttempts(error.attempts);
    return { ok: false, reason: `the strong path failed: ${error.message}` };
  }
}
