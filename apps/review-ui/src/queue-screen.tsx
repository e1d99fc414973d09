import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Api } from './api.ts';
import { formatDuration, percent, reasonChip, reasonText, slaState } from './format.ts';
import { casePath, queuePath, type Navigate } from './router.ts';
import type { TaskEvent, TaskList, TaskSummary } from './types.ts';
import { useTaskEvents } from './use-events.ts';
import { useNow } from './use-now.ts';
import { useShortcuts } from './use-shortcuts.ts';

const FILTERS = ['status', 'team', 'urgency', 'reason', 'minAgeMinutes'] as const;
type Filters = Record<(typeof FILTERS)[number], string>;
const KNOWN_REASONS = [
  'red_flag',
  'possible_emergent',
  'low_urgency_confidence',
  'low_specialty_confidence',
  'unreadable_page',
  'policy_paused',
  'no_team_for_specialty',
  'red_flag_review',
  'missing_information',
  'conflicting',
];
const PAUSED = { text: 'clock stopped', level: 'paused' } as const;
// Waiting on the referrer is its own list: those cases cannot move until the referrer answers.
const STATUSES: [string, string][] = [
  ['', 'Open'],
  ['information_requested', 'Waiting on referrer'],
];
const AGES: [string, string][] = [
  ['', 'Any age'],
  ['15', 'Waiting 15 min or more'],
  ['60', 'Waiting 1 hour or more'],
  ['240', 'Waiting 4 hours or more'],
  ['1440', 'Waiting 1 day or more'],
];

function FilterSelect(props: {
  name: keyof Filters;
  label: string;
  value: string;
  options: [string, string][];
  onChange: (name: keyof Filters, value: string) => void;
}) {
  return (
    <label>
      <span>{props.label}</span>
      <select
        id={`filter-${props.name}`}
        aria-label={`Filter by ${props.label.toLowerCase()}`}
        value={props.value}
        onChange={(e) => props.onChange(props.name, e.target.value)}
      >
        {props.options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </label>
  );
}

export function QueueScreen({ api, search, navigate }: { api: Api; search: URLSearchParams; navigate: Navigate }) {
  const filters = useMemo(
    () => Object.fromEntries(FILTERS.map((f) => [f, search.get(f) ?? ''])) as Filters,
    [search.toString()],
  );
  const [list, setList] = useState<TaskList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [skew, setSkew] = useState(0);
  const [selected, setSelected] = useState(0);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const [teams, setTeams] = useState<Set<string>>(new Set());
  const [reasons, setReasons] = useState<Set<string>>(new Set(KNOWN_REASONS));
  const now = useNow(1000, skew);
  const known = useRef<Set<string> | null>(null);

  // Only the newest request may set the list: an answer for the filters the reviewer just left can land late.
  const latest = useRef(0);
  const load = useCallback(async () => {
    const mine = ++latest.current;
    try {
      const l = await api.tasks(filters);
      if (mine !== latest.current) return;
      setSkew(Date.parse(l.now) - Date.now());
      setList(l);
      setError(null);
      // Teams and reasons seen so far feed the filter menus (a filtered list must not shrink them).
      setTeams((s) => new Set([...s, ...l.tasks.flatMap((t) => (t.team ? [t.team] : []))]));
      setReasons((s) => new Set([...s, ...l.tasks.flatMap((t) => t.reasons)]));
      const ids = new Set(l.tasks.map((t) => t.id));
      if (known.current) {
        const added = [...ids].filter((id) => !known.current!.has(id));
        if (added.length) {
          setFresh((f) => new Set([...f, ...added]));
          setTimeout(() => setFresh((f) => new Set([...f].filter((id) => !added.includes(id)))), 4000);
        }
      }
      known.current = ids;
    } catch {
      if (mine === latest.current) setError('Could not load the queue. Retrying…');
    }
  }, [api, filters]);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    known.current = null;
    void load();
    const t = setInterval(load, 30_000); // a safety net; live events do the real work
    return () => clearInterval(t);
  }, [load]);

  // A lease that lapses sends no event: ask again when the first shown claim is due to run out.
  const nextExpiry = Math.min(...(list?.tasks ?? []).flatMap((t) => (t.claim ? [Date.parse(t.claim.expiresAt)] : [])));
  useEffect(() => {
    if (!Number.isFinite(nextExpiry)) return;
    const t = setTimeout(load, Math.max(250, nextExpiry - (Date.now() + skew) + 250));
    return () => clearTimeout(t);
  }, [nextExpiry, skew, load]);

  // Bursts of events (a batch upload) cost one reload.
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  const onEvent = useCallback(
    (_e: TaskEvent) => {
      if (pending.current) return;
      pending.current = setTimeout(() => {
        pending.current = null;
        void loadRef.current(); // the filters in force when it fires, not when the event came
      }, 150);
    },
    [],
  );
  const live = useTaskEvents(api.eventsUrl(), onEvent);

  const tasks = list?.tasks ?? [];
  const open = (t: TaskSummary | undefined) => t && navigate(casePath(t.id));
  useShortcuts({
    j: () => setSelected((i) => Math.min(tasks.length - 1, i + 1)),
    k: () => setSelected((i) => Math.max(0, i - 1)),
    Enter: (e) => {
      if ((e.target as HTMLElement).tagName === 'BUTTON' || (e.target as HTMLElement).tagName === 'A') return;
      open(tasks[selected]);
    },
  });
  useEffect(() => {
    if (selected >= tasks.length && tasks.length) setSelected(tasks.length - 1);
  }, [tasks.length, selected]);

  const setFilter = (name: keyof Filters, value: string) => {
    const q = new URLSearchParams(search);
    if (value) q.set(name, value);
    else q.delete(name);
    navigate(queuePath(q.toString()), { replace: true });
  };

  const overdue = tasks.filter((t) => t.status !== 'information_requested' && slaState(t, now).level === 'overdue').length;
  const emergent = tasks.filter((t) => t.suspectedEmergent).length;

  return (
    <section className="queue" aria-labelledby="queue-title">
      <div className="queue-head">
        <div>
          <h1 id="queue-title">Review queue</h1>
          <p className="muted" aria-live="polite" data-testid="queue-summary">
            {list ? (
              <>
                {filters.status === 'information_requested'
                  ? `${tasks.length} waiting on the referrer`
                  : `${tasks.length} open ${tasks.length === 1 ? 'case' : 'cases'}`}
                {emergent > 0 && <> · <strong className="text-emergent">{emergent} suspected emergent</strong></>}
                {overdue > 0 && <> · <strong className="text-overdue">{overdue} overdue</strong></>}
              </>
            ) : (
              'Loading…'
            )}
          </p>
        </div>
        <span className={`live live-${live}`} data-testid="live-state" role="status">
          <span className="dot" aria-hidden="true" />
          {live === 'live' ? 'Live' : live === 'connecting' ? 'Connecting…' : 'Reconnecting…'}
        </span>
      </div>

      <form className="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <FilterSelect name="status" label="Status" value={filters.status} onChange={setFilter} options={STATUSES} />
        <FilterSelect name="team" label="Team" value={filters.team} onChange={setFilter}
          options={[['', 'All teams'], ...[...teams].sort().map((t): [string, string] => [t, t])]} />
        <FilterSelect name="urgency" label="Urgency" value={filters.urgency} onChange={setFilter}
          options={[['', 'Any urgency'], ['emergent', 'Emergent'], ['urgent', 'Urgent'], ['routine', 'Routine']]} />
        <FilterSelect name="reason" label="Reason" value={filters.reason} onChange={setFilter}
          options={[['', 'Any reason'], ...[...reasons].sort().map((r): [string, string] => [r, reasonText(r)])]} />
        <FilterSelect name="minAgeMinutes" label="Age" value={filters.minAgeMinutes} onChange={setFilter} options={AGES} />
        {FILTERS.some((f) => filters[f]) && (
          <button type="button" className="link" onClick={() => navigate(queuePath(), { replace: true })}>
            Clear filters
          </button>
        )}
      </form>

      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}

      {list && tasks.length === 0 ? (
        <div className="card empty">
          <p>Nothing waiting{FILTERS.some((f) => filters[f]) ? ' for these filters' : ''}. New cases appear here by themselves.</p>
        </div>
      ) : (
        <table className="tasks" aria-label="Open review cases, most at risk first">
          <thead>
            <tr>
              <th scope="col">Priority</th>
              <th scope="col">Urgency</th>
              <th scope="col">Specialty / team</th>
              <th scope="col">Why it is here</th>
              <th scope="col">Waiting</th>
              <th scope="col">Target</th>
              <th scope="col">Claim</th>
            </tr>
          </thead>
          <tbody>
            {tasks.map((t, i) => {
              // A waiting task's clock is stopped: no countdown to show.
              const sla = t.status === 'information_requested' ? PAUSED : slaState(t, now);
              return (
                <tr
                  key={t.id}
                  data-task-id={t.id}
                  data-document-id={t.documentId}
                  className={[
                    'task-row',
                    i === selected ? 'selected' : '',
                    t.suspectedEmergent ? 'emergent' : '',
                    sla.level === 'overdue' ? 'overdue' : '',
                    fresh.has(t.id) ? 'fresh' : '',
                  ].join(' ')}
                  aria-current={i === selected ? 'true' : undefined}
                  onClick={() => open(t)}
                >
                  <td>
                    {t.suspectedEmergent ? (
                      <span className="badge badge-emergent" data-testid="emergent-badge">
                        Suspected emergent
                      </span>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                  <td>
                    <span className={`urgency urgency-${t.urgency}`}>{t.urgency}</span>{' '}
                    <span className="muted small">{percent(t.urgencyConfidence)}</span>
                  </td>
                  <td>
                    <a
                      href={casePath(t.id)}
                      className="case-link"
                      onClick={(e) => {
                        e.preventDefault();
                        e.stopPropagation();
                        open(t);
                      }}
                    >
                      {t.specialty}
                    </a>{' '}
                    <span className="muted small">{percent(t.specialtyConfidence)}</span>
                    <div className="muted small">{t.team ?? 'no team'}</div>
                  </td>
                  <td>
                    <ul className="chips" aria-label="Reasons">
                      {t.reasons.map((r) => (
                        <li key={r} className={`chip ${r.startsWith('red_flag') || r === 'possible_emergent' ? 'chip-alert' : ''}`} title={reasonText(r)}>
                          {reasonChip(r)}
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td className="num">{formatDuration(now - Date.parse(t.createdAt))}</td>
                  <td className={`num sla sla-${sla.level}`} data-testid="sla">
                    {sla.text}
                  </td>
                  <td data-testid="claim">
                    {t.claim ? (
                      <span className={t.claim.mine ? 'claim-mine' : 'claim-other'}>
                        {t.claim.mine ? 'You' : `Held by ${t.claim.by}`}
                      </span>
                    ) : (
                      <span className="muted">Free</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {list && (
        <p className="muted small foot">
          Targets: emergent {formatDuration(list.sla.emergent)}, urgent {formatDuration(list.sla.urgent)}, routine{' '}
          {formatDuration(list.sla.routine)}. <kbd>J</kbd>/<kbd>K</kbd> to move, <kbd>Enter</kbd> to open.
        </p>
      )}
    </section>
  );
}
