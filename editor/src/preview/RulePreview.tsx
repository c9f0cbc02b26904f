import type { CompileResult } from '../../../shared/compiler/compile.js';
import type { PolicyMeta } from '../../../shared/rule-file.js';

export const NOT_PUBLISHED = 'not published yet';

/**
 * The policy header the preview shows: the live file's own when the canvas is what is live;
 * otherwise the canvas's, whose compile time means nothing until a publish sets it.
 */
export function previewMeta(compiled: PolicyMeta, live: PolicyMeta | null): PolicyMeta {
  return live ?? { ...compiled, compiledAt: NOT_PUBLISHED };
}

interface Props {
  compiled: CompileResult;
  /** The published version's header while the canvas is that version; null for a draft that differs (or nothing published). */
  live: PolicyMeta | null;
}

/** The json-rules-engine rules the graph compiles to, exactly as publishing would write them. */
export function RulePreview({ compiled, live }: Props) {
  if (!compiled.ruleFile) {
    return (
      <section className="preview" aria-label="Rule preview">
        <p className="muted">Fix the errors in the Problems list to see the rules this policy compiles to.</p>
      </section>
    );
  }
  const { rules } = compiled.ruleFile;
  const policy = previewMeta(compiled.ruleFile.policy, live);
  return (
    <section className="preview" aria-label="Rule preview">
      <p className="muted small">
        {compiled.ruleCount} rule{compiled.ruleCount === 1 ? '' : 's'}, highest priority first. The downloaded file also holds the graph.
        {!live && ' Publishing sets the version and compile time.'}
      </p>
      <pre data-testid="rule-preview">{JSON.stringify({ policy, rules }, null, 2)}</pre>
    </section>
  );
}
