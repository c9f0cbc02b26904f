import { useEffect, useState, type ReactNode } from 'react';
import { TESTABLE_FACTS, factInfo } from '../../../shared/facts.js';
import { REQUESTED_MODEL } from '../../../shared/nodes/index.js';
import { OPERATOR_LABELS, type Operator } from '../../../shared/operators.js';
import { factType, formatTestValue, operatorsFor, parseTestValue } from './fact-values.js';

export interface InputProps {
  id: string;
  label: string;
  errors: string[];
  children?: ReactNode;
}

/** A labelled field with its errors underneath, wired for screen readers. */
export function FieldFrame({ id, label, errors, children }: InputProps) {
  return (
    <div className={errors.length ? 'field has-error' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {children}
      {errors.map((e) => (
        <p key={e} className="field-error" id={`${id}-error`} role="alert">
          {e}
        </p>
      ))}
    </div>
  );
}

export const invalid = (id: string, errors: string[]) =>
  errors.length ? { 'aria-invalid': true, 'aria-describedby': `${id}-error` } : {};

/**
 * A text input whose value is parsed (a comma list, a typed test value). It keeps what is being
 * typed locally, since re-formatting the parsed value would eat a trailing comma mid-word.
 */
export function ParsedText(props: { id: string; name: string; value: unknown; parse(text: string): unknown; format(v: unknown): string; onChange(v: unknown): void; list?: string; invalid: object }) {
  const { value, parse, format } = props;
  const [text, setText] = useState(() => format(value));
  useEffect(() => {
    if (JSON.stringify(parse(text)) !== JSON.stringify(value)) setText(format(value));
    // Only an outside change (undo, another field) should overwrite the text being typed.
  }, [value]);
  return (
    <input
      id={props.id}
      aria-label={props.name}
      value={text}
      list={props.list}
      {...props.invalid}
      onChange={(e) => {
        setText(e.target.value);
        props.onChange(parse(e.target.value));
      }}
    />
  );
}

export function NumberInput(props: { id: string; name: string; value: unknown; min?: number; max?: number; int: boolean; onChange(v: unknown): void; invalid: object }) {
  return (
    <input
      id={props.id}
      aria-label={props.name}
      type="number"
      value={typeof props.value === 'number' ? props.value : ''}
      min={props.min}
      max={props.max}
      step={props.int ? 1 : 'any'}
      {...props.invalid}
      onChange={(e) => props.onChange(e.target.value === '' ? '' : Number(e.target.value))}
    />
  );
}

export function Select(props: { id: string; name: string; value: unknown; options: { value: string; label: string }[]; onChange(v: string): void; invalid: object }) {
  const current = String(props.value ?? '');
  const options = props.options.some((o) => o.value === current) ? props.options : [...props.options, { value: current, label: `${current} (unknown)` }];
  return (
    <select id={props.id} aria-label={props.name} value={current} onChange={(e) => props.onChange(e.target.value)} {...props.invalid}>
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}

export const factOptions = () => TESTABLE_FACTS.map((f) => ({ value: f.name, label: f.label }));

export const operatorOptions = (fact: unknown) =>
  operatorsFor(fact).map((op: Operator) => ({ value: op, label: `${OPERATOR_LABELS[op]}  (${op})` }));

export function modelOptions(models: readonly string[], allowRequested: boolean) {
  const priced = models.map((m) => ({ value: m, label: m }));
  return allowRequested ? [{ value: REQUESTED_MODEL, label: '* model as requested' }, ...priced] : priced;
}

/** A fact test's value, typed by its fact: true/false for booleans, suggestions for known values, lists for in/not in. */
export function TestValueInput(props: { id: string; name: string; value: unknown; fact: unknown; operator: unknown; onChange(v: unknown): void; invalid: object }) {
  const { fact, operator } = props;
  if (factType(fact) === 'boolean' && !Array.isArray(props.value)) {
    return (
      <Select
        id={props.id}
        name={props.name}
        value={String(props.value)}
        options={[{ value: 'true', label: 'true' }, { value: 'false', label: 'false' }]}
        onChange={(v) => props.onChange(v === 'true')}
        invalid={props.invalid}
      />
    );
  }
  const suggestions = typeof fact === 'string' ? factInfo(fact)?.values : undefined;
  return (
    <>
      <ParsedText
        id={props.id}
        name={props.name}
        value={props.value}
        parse={(t) => parseTestValue(t, fact, operator)}
        format={formatTestValue}
        onChange={props.onChange}
        invalid={props.invalid}
        {...(suggestions ? { list: `${props.id}-values` } : {})}
      />
      {suggestions && (
        <datalist id={`${props.id}-values`}>
          {suggestions.map((v) => (
            <option key={v} value={v} />
          ))}
        </datalist>
      )}
    </>
  );
}
