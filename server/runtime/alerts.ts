import type { AlertAction } from '../../shared/decision.js';
import type { Logger } from '../log.js';

export interface AlertContext {
  policy: string;
  rule: string;
  tags: Record<string, string>;
  model: string;
}

/**
 * Posts alert webhooks without delaying requests: at most one per node a minute, errors
 * logged and dropped. The URL comes from the environment variable the node names.
 */
export class AlertSender {
  private readonly lastSent = new Map<string, number>();
  private readonly warnedMissing = new Set<string>();

  constructor(
    private readonly log: Logger,
    private readonly env: Record<string, string | undefined> = process.env,
    private readonly intervalMs = 60_000,
  ) {}

  fire(action: AlertAction, context: AlertContext, now = Date.now()): void {
    const key = `${context.policy}/${action.node}`;
    if (now - (this.lastSent.get(key) ?? -Infinity) < this.intervalMs) return;
    this.lastSent.set(key, now);
    const url = this.env[action.webhookEnv];
    if (!url) {
      if (!this.warnedMissing.has(action.webhookEnv)) this.log.warn({ node: action.node, env: action.webhookEnv }, 'alert webhook variable is not set; alert logged only');
      this.warnedMissing.add(action.webhookEnv);
      this.log.warn({ alert: action.message, ...context }, 'policy alert');
      return;
    }
    const body = JSON.stringify({ text: `Tollgate: ${action.message}`, node: action.node, ...context, at: new Date(now).toISOString() });
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(5000) })
      .then((r) => {
        if (!r.ok) this.log.warn({ node: action.node, status: r.status }, 'alert webhook answered with an error');
      })
      .catch((error: Error) => this.log.warn({ node: action.node, error: error.message }, 'alert webhook failed'));
  }
}
