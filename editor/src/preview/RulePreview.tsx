import type { CompileResult } from '../../../shared/compiler/compile.js';

/** The json-rules-engine rules the graph compiles to, exactly as publishing would write them. */
export function RulePreview({ compiled }: { compiled: CompileResult }) {
  if (!compiled.ruleFile) {
    return (
      <section className="preview" aria-label="Rule preview">
        <p className="muted">Fix the errors in the Problems list to see the rules this policy compiles to.</p>
      </section>
    );
  }
  const { policy, rules } = compiled.ruleFile;
  return (
    <section className="preview" aria-label="Rule preview">
      <p className="muted small">
        {compiled.ruleCount} rule{compiled.ruleCount === 1 ? '' : 's'}, highest priority first. The downloaded file also holds the graph.
      </p>
      <pre data-testid="rule-preview">{JSON.stringify({ policy, rules }, null, 2)}</pre>
    </section>
  );
}
