import { basisText, percent, ranked, reasonText } from './format.ts';
import type { CaseDetail } from './types.ts';

function Bars({ probs, top, label }: { probs: Record<string, number>; top: string; label: string }) {
  const rows = ranked(probs).slice(0, 5);
  return (
    <ul className="bars" aria-label={label}>
      {rows.map(([l, p]) => (
        <li key={l} className={l === top ? 'top' : ''}>
          <span className="bar-label">{l}</span>
          <span className="bar" aria-hidden="true">
            <span style={{ width: `${Math.max(1, p * 100)}%` }} />
          </span>
          <span className="bar-value">{percent(p)}</span>
        </li>
      ))}
    </ul>
  );
}

/** Which rule chose the team and the priority: a reviewer sees what the system weighed, not only its answer. */
function Basis({ basis }: { basis: NonNullable<CaseDetail['basis']> }) {
  const text = basisText(basis);
  return (
    <>
      <h3>How it was decided</h3>
      <ul className="basis" data-testid="basis">
        <li data-rule={basis.team.rule ?? 'none'}>{text.team}</li>
        <li data-rule={basis.priority.rule}>{text.priority}</li>
      </ul>
    </>
  );
}

/** The system's output and why it escalated: read first, so it sits above the decision. */
export function ModelSummary({ detail }: { detail: CaseDetail }) {
  const { task } = detail;
  return (
    <section className="card model" aria-labelledby="model-title">
      <h2 id="model-title">What the system thinks</h2>
      <dl className="prediction">
        <div>
          <dt>Urgency</dt>
          <dd>
            <span className={`urgency urgency-${task.urgency}`}>{task.urgency}</span> <span className="muted">{percent(task.urgencyConfidence)}</span>
          </dd>
        </div>
        <div>
          <dt>Specialty</dt>
          <dd>
            {task.specialty} <span className="muted">{percent(task.specialtyConfidence)}</span>
            <div className="muted small">{task.team ? `routes to ${task.team}` : 'no team in the policy'}</div>
          </dd>
        </div>
      </dl>
      {detail.basis && <Basis basis={detail.basis} />}
      <h3>Why it needs a person</h3>
      <ul className="reasons" data-testid="reasons">
        {task.reasons.map((r) => (
          <li key={r} className={r.startsWith('red_flag') || r === 'possible_emergent' ? 'alert' : ''}>
            {reasonText(r, detail.redFlags)}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function Probabilities({ detail }: { detail: CaseDetail }) {
  const { task } = detail;
  return (
    <section className="card model" aria-labelledby="probs-title">
      <h2 id="probs-title">Probabilities</h2>
      <Bars probs={detail.probabilities.urgency} top={task.urgency} label="Urgency probabilities" />
      <Bars probs={detail.probabilities.specialty} top={task.specialty} label="Specialty probabilities (top 5)" />
      <p className="muted small versions">
        Model {detail.modelVersion ?? 'not yet classified'} · policy {detail.policyVersion ?? '—'}
      </p>
    </section>
  );
}
