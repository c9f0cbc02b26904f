import { useMemo, useState } from 'react';
import type { DecideResponse } from '../../../shared/api.js';
import { compile } from '../../../shared/compiler/compile.js';
import { TIERS } from '../../../shared/facts.js';
import type { Graph } from '../../../shared/graph.js';
import { api } from '../state/api-client.js';
import { DecisionView } from './DecisionView.js';
import { BUILT_IN_PRESETS, loadSavedPresets, storeSavedPresets, toSimulateBody, type SampleRequest } from './sample-request.js';

interface Props {
  graph: Graph;
  models: readonly string[];
  /** Offered when the sample is an embeddings call. */
  embeddingModels: readonly string[];
  hasErrors: boolean;
  onDecision(decision: DecideResponse | null): void;
}

/** A sample request run through the graph on the canvas (published or not) via /api/simulate. */
export function SimulatorPanel({ graph, models, embeddingModels, hasErrors, onDecision }: Props) {
  const [sample, setSample] = useState<SampleRequest>(BUILT_IN_PRESETS[0]!);
  const [saved, setSaved] = useState(loadSavedPresets);
  const [decision, setDecision] = useState<DecideResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const presets = [...BUILT_IN_PRESETS, ...saved];
  const labels = useMemo(() => new Map(graph.nodes.map((n) => [n.id, n.label || n.kind])), [graph]);
  // Rules are named after their terminal node's label; the trace shows that label as typed.
  const ruleLabels = useMemo(() => {
    const rules = decision ? (compile(graph).ruleFile?.rules ?? []) : [];
    return new Map(rules.map((r) => [r.name, labels.get(r.event.params.path.at(-1) ?? '') ?? r.name]));
  }, [decision, graph, labels]);
  const set = <K extends keyof SampleRequest>(key: K, value: SampleRequest[K]) => setSample((s) => ({ ...s, [key]: value }));
  const num = (v: string) => (v === '' ? null : Number(v));
  const embeddings = sample.kind === 'embeddings';

  async function run() {
    setBusy(true);
    setError(null);
    try {
      const result = await api.simulate(toSimulateBody(sample, graph));
      setDecision(result);
      onDecision(result);
    } catch (e) {
      setDecision(null);
      onDecision(null);
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  function savePreset() {
    const name = sample.name.trim() || 'My preset';
    const next = [...saved.filter((p) => p.name !== name), { ...sample, name }];
    setSaved(next);
    storeSavedPresets(next);
  }

  return (
    <section className="simulator" aria-label="Simulator">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <div className="field">
          <label htmlFor="sim-preset">Preset</label>
          <select id="sim-preset" value={sample.name} onChange={(e) => setSample(presets.find((p) => p.name === e.target.value) ?? sample)}>
            {presets.map((p) => (
              <option key={p.name}>{p.name}</option>
            ))}
            {!presets.some((p) => p.name === sample.name) && <option>{sample.name}</option>}
          </select>
        </div>
        <div className="field">
          <label htmlFor="sim-kind">Request</label>
          <select
            id="sim-kind"
            value={sample.kind ?? 'chat'}
            onChange={(e) => {
              const kind = e.target.value as 'chat' | 'embeddings';
              // Another kind of call asks for another kind of model.
              setSample((s) => ({ ...s, kind, model: (kind === 'embeddings' ? embeddingModels : models)[0] ?? s.model }));
            }}
          >
            <option value="chat">Chat completion</option>
            <option value="embeddings">Embeddings</option>
          </select>
        </div>
        <div className="field-row">
          <div className="field">
            <label htmlFor="sim-model">Model asked for</label>
            <input id="sim-model" list="sim-models" value={sample.model} onChange={(e) => set('model', e.target.value)} />
            <datalist id="sim-models">
              {(embeddings ? embeddingModels : models).map((m) => (
                <option key={m} value={m} />
              ))}
            </datalist>
          </div>
          <div className="field">
            <label htmlFor="sim-tier">Tier</label>
            <select id="sim-tier" value={sample.tier} onChange={(e) => set('tier', e.target.value)}>
              <option value="">(none)</option>
              {TIERS.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          </div>
        </div>
        {!embeddings && (
          <div className="field">
            <label htmlFor="sim-system">System message</label>
            <textarea id="sim-system" rows={2} value={sample.system} onChange={(e) => set('system', e.target.value)} />
          </div>
        )}
        <div className="field">
          <label htmlFor="sim-prompt">{embeddings ? 'Texts (one a line)' : 'User message'}</label>
          <textarea id="sim-prompt" rows={3} value={sample.prompt} onChange={(e) => set('prompt', e.target.value)} />
        </div>
        <div className="field-row">
          <div className="field">
            <label htmlFor="sim-tags">Tags</label>
            <input id="sim-tags" placeholder="team=search, feature=chat" value={sample.tags} onChange={(e) => set('tags', e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="sim-user">User</label>
            <input id="sim-user" value={sample.user} onChange={(e) => set('user', e.target.value)} />
          </div>
        </div>
        <div className="field-row">
          {!embeddings && (
            <div className="field">
              <label htmlFor="sim-max-tokens">Max tokens</label>
              <input id="sim-max-tokens" type="number" min={1} value={sample.maxTokens ?? ''} onChange={(e) => set('maxTokens', num(e.target.value))} />
            </div>
          )}
          <div className="field">
            <label htmlFor="sim-budget">Budget used (%)</label>
            <input id="sim-budget" type="number" min={0} placeholder="live" value={sample.budgetUsedPct ?? ''} onChange={(e) => set('budgetUsedPct', num(e.target.value))} />
          </div>
        </div>
        <div className="field-row checks">
          <label>
            <input type="checkbox" checked={sample.rateLimited} onChange={(e) => set('rateLimited', e.target.checked)} /> Rate limited
          </label>
          {!embeddings && (
            <>
              <label>
                <input type="checkbox" checked={sample.hasTools} onChange={(e) => set('hasTools', e.target.checked)} /> Has tools
              </label>
              <label>
                <input type="checkbox" checked={sample.stream} onChange={(e) => set('stream', e.target.checked)} /> Stream
              </label>
            </>
          )}
        </div>
        <div className="button-row">
          <button type="submit" className="primary" disabled={busy || hasErrors} title={hasErrors ? 'Fix the errors first' : undefined}>
            {busy ? 'Simulating…' : 'Simulate'}
          </button>
          <input aria-label="Preset name" className="preset-name" value={sample.name} onChange={(e) => set('name', e.target.value)} />
          <button type="button" onClick={savePreset}>
            Save preset
          </button>
        </div>
      </form>
      {error && (
        <p className="banner error" role="alert">
          {error}
        </p>
      )}
      {decision && <DecisionView decision={decision} labels={labels} ruleLabels={ruleLabels} />}
    </section>
  );
}
