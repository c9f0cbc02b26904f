import type { NodeKind } from '../../../shared/graph.js';
import { nodeSpec } from '../../../shared/nodes/index.js';
import { adaptValueToOperator, retargetTest } from './fact-values.js';
import { fieldLabel, itemName as itemNameOf } from '../../../shared/nodes/field-labels.js';
import {
  factOptions,
  FieldFrame,
  invalid,
  modelOptions,
  NumberInput,
  operatorOptions,
  ParsedText,
  Select,
  TestValueInput,
} from './field-inputs.js';
import { emptyValue, type FieldShape } from './schema-walk.js';
import { ScopeInput } from './ScopeInput.js';

type Path = (string | number)[];

export interface FormContext {
  nodeId: string;
  kind: NodeKind;
  models: readonly string[];
  errorsAt(path: string): string[];
  set(path: Path, value: unknown): void;
}

const commaList = (t: string) => t.split(',').map((s) => s.trim()).filter(Boolean);
const joinList = (v: unknown) => (Array.isArray(v) ? v.join(', ') : '');

interface FieldProps {
  ctx: FormContext;
  shape: FieldShape;
  path: Path;
  value: unknown;
  /** The object holding this field, for fields that depend on a sibling (operator on fact). */
  parent: Record<string, unknown>;
  /** The fact the enclosing test or switch is about. */
  fact: unknown;
  /** Unset is a choice of its own (the server's setting applies), offered as the first option of an enum. */
  optional?: boolean;
  /** Prefix naming the list item, so every input's accessible name is unique ("Test 2 value"). */
  naming: string;
}

/** A form built by walking the node's params schema; each field's errors come from the compiler's diagnostics. */
export function SchemaForm({ ctx, shape, params }: { ctx: FormContext; shape: FieldShape; params: Record<string, unknown> }) {
  if (shape.type !== 'object') return null;
  return <ObjectFields ctx={ctx} shape={shape} path={[]} value={params} parent={params} fact={params.fact ?? params.stickyBy} naming="" />;
}

/** The top-level fields the kind's spec hides for these params (a cache's wrong-hit bound in exact mode). */
export function hiddenFields(kind: NodeKind, params: Record<string, unknown>): Set<string> {
  // The spec's tests are typed by its kind's params; here any kind's params arrive as one record.
  const tests: Record<string, ((p: Record<string, unknown>) => boolean) | undefined> = nodeSpec(kind).visibleWhen ?? {};
  return new Set(Object.entries(tests).flatMap(([key, test]) => (test && !test(params) ? [key] : [])));
}

function ObjectFields({ ctx, shape, path, value, fact, naming }: FieldProps) {
  if (shape.type !== 'object') return null;
  const object = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const ownFact = 'fact' in object ? object.fact : fact;
  const hidden = path.length === 0 ? hiddenFields(ctx.kind, object) : new Set<string>();
  return (
    <>
      {shape.fields.map((f) => {
        if (hidden.has(f.key)) return null;
        if (f.key === 'path' && ownFact !== 'tags') return null;
        if (f.key === 'stickyPath' && object.stickyBy !== 'tags') return null;
        return (
          <Field key={f.key} ctx={ctx} shape={f.shape} path={[...path, f.key]} value={object[f.key]} parent={object} fact={ownFact} naming={naming} optional={f.optional} />
        );
      })}
    </>
  );
}

function Field(props: FieldProps) {
  const { ctx, shape, path, value, parent, fact, naming } = props;
  const key = String(path.at(-1));
  const dotted = path.join('.');
  const id = `f-${ctx.nodeId}-${path.join('-')}`;
  const label = fieldLabel(ctx.kind, key);
  const name = naming ? `${naming} ${label.toLowerCase()}` : label;
  const errors = ctx.errorsAt(dotted);
  const aria = invalid(id, errors);
  const set = (v: unknown) => ctx.set(path, v);
  const parentPath = path.slice(0, -1);

  if (shape.type === 'array' && shape.element.type === 'object') return <ItemList {...props} />;
  if (shape.type === 'record') return <RecordFields {...props} />;

  let input;
  if (key === 'model' && shape.type === 'string') {
    input = <Select id={id} name={name} value={value} options={modelOptions(ctx.models, ctx.kind === 'route')} onChange={set} invalid={aria} />;
  } else if ((key === 'fact' || key === 'stickyBy') && shape.type === 'enum') {
    // A test's operator and value only make sense for its fact, so changing the fact adapts them.
    const onChange = (v: string) => (key === 'fact' && 'operator' in parent ? ctx.set(parentPath, retargetTest(parent, v)) : set(v));
    input = <Select id={id} name={name} value={value} options={factOptions()} onChange={onChange} invalid={aria} />;
  } else if (key === 'operator' && shape.type === 'enum') {
    const onChange = (v: string) => ctx.set(parentPath, { ...parent, operator: v, value: adaptValueToOperator(parent.value, v as never) });
    input = <Select id={id} name={name} value={value} options={operatorOptions(fact)} onChange={onChange} invalid={aria} />;
  } else if (shape.type === 'scope') {
    input = <ScopeInput id={id} name={name} value={value} onChange={set} invalid={aria} />;
  } else if (shape.type === 'value') {
    input = <TestValueInput id={id} name={name} value={value} fact={fact} operator={parent.operator} onChange={set} invalid={aria} />;
  } else if (shape.type === 'enum') {
    const options = shape.options.map((o) => ({ value: o, label: o }));
    const unset = props.optional ? [{ value: '', label: 'default' }] : [];
    input = <Select id={id} name={name} value={value} options={[...unset, ...options]} onChange={(v) => set(v === '' && props.optional ? undefined : v)} invalid={aria} />;
  } else if (shape.type === 'number') {
    input = <NumberInput id={id} name={name} value={value} int={shape.int} onChange={set} invalid={aria} {...pick(shape)} />;
  } else if (shape.type === 'boolean') {
    return (
      <div className={errors.length ? 'field checkbox has-error' : 'field checkbox'}>
        <input id={id} type="checkbox" aria-label={name} checked={value === true} onChange={(e) => set(e.target.checked)} {...aria} />
        <label htmlFor={id}>{label}</label>
      </div>
    );
  } else if (shape.type === 'array') {
    input = <ParsedText id={id} name={name} value={value ?? []} parse={commaList} format={joinList} onChange={set} invalid={aria} />;
  } else {
    input = <input id={id} aria-label={name} value={typeof value === 'string' ? value : ''} onChange={(e) => set(e.target.value)} {...aria} />;
  }
  return (
    <FieldFrame id={id} label={label} errors={errors}>
      {input}
    </FieldFrame>
  );
}

const pick = (s: { min?: number; max?: number }) => ({ ...(s.min !== undefined ? { min: s.min } : {}), ...(s.max !== undefined ? { max: s.max } : {}) });

function ItemList({ ctx, shape, path, value, fact }: FieldProps) {
  if (shape.type !== 'array') return null;
  const items = Array.isArray(value) ? value : [];
  const key = String(path.at(-1));
  const itemName = itemNameOf(ctx.kind, key);
  const errors = ctx.errorsAt(path.join('.'));
  return (
    <fieldset className={errors.length ? 'item-list has-error' : 'item-list'}>
      <legend>{fieldLabel(ctx.kind, key)}</legend>
      {errors.map((e) => (
        <p key={e} className="field-error" role="alert">
          {e}
        </p>
      ))}
      {items.map((item, i) => (
        <div className="item-card" key={i}>
          <div className="item-card-head">
            <span>
              {itemName} {i + 1}
            </span>
            <button
              type="button"
              className="icon-button"
              aria-label={`Remove ${itemName.toLowerCase()} ${i + 1}`}
              disabled={shape.min !== undefined && items.length <= shape.min}
              onClick={() => ctx.set(path, items.filter((_, j) => j !== i))}
            >
              ✕
            </button>
          </div>
          <ObjectFields ctx={ctx} shape={shape.element} path={[...path, i]} value={item} parent={item} fact={fact} naming={`${itemName} ${i + 1}`} />
        </div>
      ))}
      <button
        type="button"
        className="ghost-button"
        disabled={shape.max !== undefined && items.length >= shape.max}
        onClick={() => ctx.set(path, [...items, emptyValue(shape.element)])}
      >
        + Add {itemName.toLowerCase()}
      </button>
    </fieldset>
  );
}

function RecordFields({ ctx, path, value }: FieldProps) {
  const entries = Object.entries(typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {});
  const key = String(path.at(-1));
  const dotted = path.join('.');
  // Renaming a key rebuilds the record in the same order, so the tags do not jump around.
  const rebuild = (next: [string, unknown][]) => ctx.set(path, Object.fromEntries(next));
  const errors = [dotted, ...entries.map(([k]) => `${dotted}.${k}`)].flatMap((p) => ctx.errorsAt(p));
  return (
    <fieldset className={errors.length ? 'item-list has-error' : 'item-list'}>
      <legend>{fieldLabel(ctx.kind, key)}</legend>
      {entries.map(([k, v], i) => (
        <div className="record-row" key={i}>
          <input aria-label={`${fieldLabel(ctx.kind, key)} ${i + 1} key`} value={k} onChange={(e) => rebuild(entries.map((en, j) => (j === i ? [e.target.value, en[1]] : en)))} />
          <span aria-hidden="true">=</span>
          <input aria-label={`${fieldLabel(ctx.kind, key)} ${i + 1} value`} value={String(v ?? '')} onChange={(e) => rebuild(entries.map((en, j) => (j === i ? [en[0], e.target.value] : en)))} />
          <button type="button" className="icon-button" aria-label={`Remove ${k}`} onClick={() => rebuild(entries.filter((_, j) => j !== i))}>
            ✕
          </button>
        </div>
      ))}
      {errors.map((e) => (
        <p key={e} className="field-error" role="alert">
          {e}
        </p>
      ))}
      <button type="button" className="ghost-button" onClick={() => rebuild([...entries, [`key${entries.length + 1}`, 'value']])}>
        + Add {key === 'tags' ? 'tag' : 'entry'}
      </button>
    </fieldset>
  );
}
