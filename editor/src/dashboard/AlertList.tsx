import type { AlertEntry } from '../../../shared/alerts-api.js';

const DELIVERY: Record<AlertEntry['status'], string> = {
  pending: 'sending',
  retrying: 'retrying',
  delivered: 'delivered',
  failed: 'failed',
  unsent: 'no webhook',
  elsewhere: 'sent by another instance',
};

function delivery(a: AlertEntry): string {
  const tries = a.tries > 0 ? ` (${a.tries} ${a.tries === 1 ? 'try' : 'tries'})` : '';
  return `${DELIVERY[a.status]}${tries}`;
}

/** The alerts raised here, newest first as the API lists them, with their webhook delivery status; an anomaly can be shown on the chart. */
export function AlertList({ alerts, focused, onShow }: { alerts: AlertEntry[]; focused: string | null; onShow: (alert: AlertEntry) => void }) {
  return (
    <section className="dash-card dash-wide" aria-label="Alerts" data-testid="alert-list">
      <h3>Alerts</h3>
      {alerts.length === 0 ? (
        <p className="muted small">No budget, anomaly or breaker alert has been raised since the runtime started.</p>
      ) : (
        <table className="dash-table small alert-table">
          <thead>
            <tr>
              <th>Kind</th>
              <th>Scope</th>
              <th>Message</th>
              <th>Time (UTC)</th>
              <th>Delivery</th>
            </tr>
          </thead>
          <tbody>
            {alerts.map((a) => (
              <tr key={a.id} data-testid="alert-row" className={a.id === focused ? 'focused' : undefined}>
                <td>
                  <span className={`alert-kind ${a.kind}`}>{a.kind}</span>
                </td>
                <td>{a.scope}</td>
                <td className="alert-text">
                  {a.text}
                  {a.series && (
                    <>
                      {' '}
                      <button type="button" className="link-button" onClick={() => onShow(a)}>
                        Show on chart
                      </button>
                    </>
                  )}
                </td>
                <td>{a.at.slice(0, 16).replace('T', ' ')}</td>
                <td className={`alert-status ${a.status}`}>{delivery(a)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
