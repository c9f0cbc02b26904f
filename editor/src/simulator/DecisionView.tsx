import { useState } from 'react';
import type { ConditionTrace, DecideResponse, RouterExplanation } from '../../../shared/api.js';
import type { RouterAdjustment } from '../../../shared/router-state-api.js';
import type { Action } from '../../../shared/decision.js';
import { actionSpec } from '../../../shared/nodes/index.js';
import { OPERATOR_LABELS, type Operator } from '../../../shared/operators.js';
import { formatUsd, plainLines } from './plain-trace.js';

function describeAction(a: Action): string {
  return actionSpec(a.type)?.describe(a) ?? a.type;
}

const show = (v: unknown) => (v === undefined ? '—' : JSON.stringify(v));
const mark = (r: boolean | null) => (r === null ? '·' : r ? '✓' : '✗');
const resultClass = (r: boolean | null) => (r === null ? 'skipped' : r ? 'passed' : 'failed');

function ConditionNode({ trace }: { trace: ConditionTrace }) {
  if (trace.kind === 'fact') {
    const subject = trace.path ? `${trace.fact} ${trace.path}` : trace.fact;
    const op = OPERATOR_LABELS[trace.operator as Operator] ?? trace.operator;
    return (
      <li className={`cond ${resultClass(trace.result)}`}>
        <span className="cond-mark">{mark(trace.result)}</span> <code>{subject}</code> {op} <code>{show(trace.value)}</code>
        <span className="muted"> (was {show(trace.factValue)})</span>
      </li>
    );
  }
  return (
    <li className={`cond ${resultClass(trace.result)}`}>
      <span className="cond-mark">{mark(trace.result)}</span> {trace.kind}
      <ul>
        {trace.children.map((c, i) => (
          <ConditionNode key={i} trace={c} />
        ))}
      </ul>
    </li>
  );
}

function PlainConditions({ trace }: { trace: ConditionTrace }) {
  const lines = plainLines(trace);
  if (lines.length === 0) return <li className="cond passed">always (no conditions)</li>;
  return (
    <>
      {lines.map((line, i) => (
        <li key={i} className={`cond ${resultClass(line.result)}`} style={{ paddingLeft: line.depth * 14 }}>
          {line.text} <span className="cond-mark">{mark(line.result)}</span>
        </li>
      ))}
    </>
  );
}

interface Props {
  decision: DecideResponse;
  /** Node labels by id, so the path reads as the owner named it. */
  labels: ReadonlyMap<string, string>;
  /** Each rule's terminal node label, by rule name. */
  ruleLabels: ReadonlyMap<string, string>;
}

/** What the simulated request would get: the rule, the actions in order, the cost, and why each rule did or did not match. */
export function DecisionView({ decision, labels, ruleLabels }: Props) {
  const [raw, setRaw] = useState(false);
  const label = (id: string) => labels.get(id) ?? id;
  return (
    <div className="decision" data-testid="decision">
      <dl className="decision-summary">
        <dt>Matched rule</dt>
        <dd>
          <span data-testid="decision-answer">{decision.rule ? (ruleLabels.get(decision.rule) ?? decision.rule) : 'no rule matched'}</span>{' '}
          <code className="muted small" data-testid="decision-rule">
            {decision.rule ?? 'none'}
          </code>
        </dd>
        <dt>Path</dt>
        <dd data-testid="decision-path">{decision.path.map(label).join(' → ')}</dd>
        <dt>Model</dt>
        <dd data-testid="decision-model">{decision.model ?? '—'}</dd>
        <dt>Estimated cost</dt>
        <dd data-testid="decision-cost" title={`$${decision.estimatedCostUsd}`}>
          {formatUsd(decision.estimatedCostUsd)}
        </dd>
        <dt>Task</dt>
        <dd>
          {decision.facts.taskType}, {decision.facts.complexity}, {decision.facts.promptTokens} prompt tokens
        </dd>
      </dl>
      {decision.router && <RouterWhy router={decision.router} />}
      <h3>Actions</h3>
      <ol className="decision-actions">
        {decision.actions.map((a, i) => (
          <li key={i}>{describeAction(a)}</li>
        ))}
      </ol>
      <div className="trace-head">
        <h3>Why</h3>
        <label className="small">
          <input type="checkbox" checked={raw} onChange={(e) => setRaw(e.target.checked)} /> Raw trace
        </label>
      </div>
      <ul className="trace" data-testid="trace">
        {decision.trace.map((t) => (
          <li key={t.rule} className={t.matched ? 'rule matched' : 'rule'}>
            <details open={t.rule === decision.rule}>
              <summary>
                <span className="cond-mark">{t.matched ? '✓' : '✗'}</span> {raw ? t.rule : (ruleLabels.get(t.rule) ?? t.rule)}
                {raw && <span className="muted"> priority {t.priority}</span>}
              </summary>
              <ul>{raw ? <ConditionNode trace={t.conditions} /> : <PlainConditions trace={t.conditions} />}</ul>
            </details>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The learned router's probabilities and the features that moved its score most. */
function RouterWhy({ router }: { router: RouterExplanation }) {
  return (
    <div className="decision-router" data-testid="decision-router">
      <h3>Learned router</h3>
      <p>
        score <code>{router.score}</code>: cheap model wrong {Math.round(100 * router.cheapWrong)}%, strong model wrong{' '}
        {Math.round(100 * router.strongWrong)}%
      </p>
      <ul className="muted small">
        {router.reasons.map((r) => (
          <li key={r.feature}>
            {r.feature} {r.effect > 0 ? '→ strong' : '→ cheap'} ({r.effect > 0 ? '+' : ''}
            {r.effect})
          </li>
        ))}
      </ul>
      {router.online?.map((a) => <OnlineAdjustment key={a.point} adjustment={a} />)}
    </div>
  );
}

/** What feedback taught the router about prompts like this one: the cheap branch's observed quality and the threshold shift it earned. */
function OnlineAdjustment({ adjustment: a }: { adjustment: RouterAdjustment }) {
  const pct = (x: number | null) => (x === null ? '–' : `${Math.round(100 * x)}%`);
  return (
    <p className="small" data-testid="router-online">
      From feedback ({a.shape}, {a.taskType}): cheap answers {pct(a.cheap.quality)} good over {Math.round(a.cheap.outcomes)} outcomes, promised{' '}
      {pct(a.promised)};{' '}
      {a.answerCheck && a.shift > 0 ? (
        <>
          answer check's threshold moved {pct(a.shift)} toward asking again: <code>{a.answerCheck.calibratedThreshold}</code> → <code>{a.answerCheck.threshold}</code>
          {a.answerCheck.straightToStrong ? '; nearly every cheap answer would be asked again, so these go straight to the strong model until the shift fades' : ''}
        </>
      ) : a.shift > 0 ? (
        <>
          threshold moved {pct(a.shift)} toward strong: <code>{a.calibratedThreshold}</code> → <code>{a.threshold}</code>
        </>
      ) : (
        <>
          calibrated threshold <code>{a.calibratedThreshold}</code> in effect
        </>
      )}
    </p>
  );
}
