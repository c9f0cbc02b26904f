import { CaptureSettingsSchema } from '../../../shared/capture-settings.js';
import type { Graph } from '../../../shared/graph.js';

const DEFAULTS = CaptureSettingsSchema.parse({});

/** The graph's `settings.capture`: whether this policy's traffic is kept (redacted) for backtests, and for how long. Live once published. */
export function CaptureSwitch({ graph, onEdit }: { graph: Graph; onEdit(graph: Graph, key: string): void }) {
  const capture = graph.settings?.capture ?? DEFAULTS;
  const set = (patch: Partial<typeof capture>, key: string) => onEdit({ ...graph, settings: { ...graph.settings, capture: { ...capture, ...patch } } }, key);
  return (
    <fieldset className="capture-switch">
      <legend>Traffic capture</legend>
      <label className="field checkbox">
        <input type="checkbox" checked={capture.enabled} onChange={(e) => set({ enabled: e.target.checked }, 'capture.enabled')} /> Capture this policy's
        requests (redacted) for backtests
      </label>
      <div className="field">
        <label htmlFor="capture-days">Keep for (days)</label>
        <input
          id="capture-days"
          type="number"
          min={1}
          max={365}
          value={capture.retentionDays}
          disabled={!capture.enabled}
          onChange={(e) => {
            const days = Number(e.target.value);
            if (Number.isInteger(days) && days >= 1 && days <= 365) set({ retentionDays: days }, 'capture.retentionDays');
          }}
        />
      </div>
      <p className="muted small">Takes effect when the policy is published. Emails, phone and card numbers and key shapes are redacted before storing.</p>
    </fieldset>
  );
}
