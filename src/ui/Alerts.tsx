/** Errors as text in role="alert" elements, and notices about the address. */
import { useApp, useAppState } from './context';

export function Alerts() {
  const app = useApp();
  const alerts = useAppState((s) => s.alerts);
  const notices = useAppState((s) => s.notices);
  return (
    <div className="messages">
      {notices.length > 0 && (
        <div className="notice" role="status">
          <div>
            <strong>Some settings in the address were not used as given:</strong>
            <ul>
              {notices.map((n, i) => (
                <li key={i}>{n}</li>
              ))}
            </ul>
          </div>
          <button type="button" className="dismiss" aria-label="Dismiss the address notice" onClick={() => app.dismissNotices()}>
            ×
          </button>
        </div>
      )}
      {alerts.map((a) => (
        <div key={a.id} className="alert">
          <p role="alert">{a.message}</p>
          <button type="button" className="dismiss" aria-label="Dismiss this message" onClick={() => app.dismissAlert(a.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
