import { useState } from 'react';

/**
 * Asking the referrer for what the referral lacks: the request stops the target clock, the letter (PDF) says
 * exactly what is missing, and "received" starts the clock again where it stopped.
 */
export function InformationRequest({
  status,
  gaps,
  enabled,
  letterUrl,
  onRequest,
  onReceived,
}: {
  status: string;
  /** Missing or conflicting fields: the letter is empty (and refused) without them. */
  gaps: number;
  enabled: boolean;
  letterUrl: string;
  onRequest: () => Promise<void>;
  onReceived: () => Promise<void>;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (f: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await f();
    } catch (e) {
      setError(e instanceof Error ? e.message : 'That did not go through; try again.');
    } finally {
      setBusy(false);
    }
  };
  const waiting = status === 'information_requested';
  if (!waiting && gaps === 0) return null;
  return (
    <div className={`info-request ${waiting ? 'waiting' : ''}`} data-testid="information-request">
      {waiting && (
        <p className="small" data-testid="waiting-on-referrer">
          Waiting on the referrer: the target clock is stopped.
        </p>
      )}
      <div className="info-request-actions">
        {waiting ? (
          <button type="button" disabled={!enabled || busy} onClick={() => void run(onReceived)}>
            Information received
          </button>
        ) : (
          <button type="button" disabled={!enabled || busy} onClick={() => void run(onRequest)}>
            Request information
          </button>
        )}
        {waiting && gaps > 0 && (
          <a href={letterUrl} target="_blank" rel="noopener" data-testid="information-request-pdf">
            Letter to the referrer (PDF)
          </a>
        )}
      </div>
      {error && (
        <p className="error small" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
