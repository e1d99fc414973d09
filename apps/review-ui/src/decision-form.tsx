import { useEffect, useRef, useState, type FormEvent } from 'react';
import { humanize } from './format.ts';
import type { CaseDetail, ConfirmReason, CorrectReason, Decision, RejectReason, Urgency } from './types.ts';
import { useShortcuts } from './use-shortcuts.ts';

type Action = Decision['action'];

const CONFIRM_REASONS: [string, string][] = [
  ['', 'No reason code'],
  ['prediction_correct', 'Model was right'],
  ['red_flag_checked', 'Red flag checked, urgency stands'],
  ['page_checked', 'Unclear page checked against the image'],
];
const CORRECT_REASONS: [string, string][] = [
  ['wrong_urgency', 'Wrong urgency'],
  ['wrong_specialty', 'Wrong specialty'],
  ['wrong_urgency_and_specialty', 'Wrong urgency and specialty'],
  ['red_flag_missed', 'Clinical red flag missed'],
  ['ocr_error', 'Text misread (OCR)'],
  ['other', 'Other'],
];
const REJECT_WORDS: Record<string, string> = {
  not_a_referral: 'Not a referral',
  duplicate: 'Duplicate',
  missing_information: 'Missing information',
  other: 'Other',
};

export function DecisionForm({
  detail,
  enabled,
  onSubmit,
}: {
  detail: CaseDetail;
  enabled: boolean;
  onSubmit: (d: Decision) => Promise<void>;
}) {
  const { task, options } = detail;
  const predictedUrgency = (options.urgencies.includes(task.urgency as Urgency) ? task.urgency : 'routine') as Urgency;
  const [action, setAction] = useState<Action>('confirm');
  const [urgency, setUrgency] = useState<Urgency>(predictedUrgency);
  const [specialty, setSpecialty] = useState(task.specialty);
  const [correctReason, setCorrectReason] = useState<CorrectReason | null>(null);
  const [confirmReason, setConfirmReason] = useState<ConfirmReason | ''>('');
  const [rejectReason, setRejectReason] = useState<RejectReason>(options.rejectReasons[0] ?? 'not_a_referral');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submitRef = useRef<HTMLButtonElement>(null);
  const urgencyRef = useRef<HTMLSelectElement>(null);
  const specialtyRef = useRef<HTMLInputElement>(null);
  const rejectRef = useRef<HTMLSelectElement>(null);
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const [focusNext, setFocusNext] = useState<'submit' | 'urgency' | 'specialty' | 'reject' | null>(null);

  // Focus after the field for the chosen action has rendered.
  useEffect(() => {
    if (!focusNext) return;
    const el = { submit: submitRef, urgency: urgencyRef, specialty: specialtyRef, reject: rejectRef }[focusNext].current;
    el?.focus();
    if (el instanceof HTMLInputElement) el.select();
    setFocusNext(null);
  }, [focusNext, action]);

  const specialtyValid = options.specialties.includes(specialty);
  const derivedReason =
    urgency !== task.urgency && specialty !== task.specialty
      ? 'wrong_urgency_and_specialty'
      : specialty !== task.specialty
        ? 'wrong_specialty'
        : 'wrong_urgency';
  const changed = urgency !== task.urgency || specialty !== task.specialty;

  const build = (): Decision | string => {
    const n = note.trim() ? { note: note.trim() } : {};
    if (action === 'confirm') return { action, ...(confirmReason ? { reason: confirmReason } : {}), ...n };
    if (action === 'reject') return { action, reason: rejectReason, ...n };
    if (!specialtyValid) return 'Choose a specialty from the list.';
    if (!changed) return 'Nothing changed: use Confirm, or change the urgency or specialty.';
    return { action, urgency, specialty, reason: correctReason ?? derivedReason, ...n };
  };

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    if (!enabled || busy) return;
    const d = build();
    if (typeof d === 'string') {
      setError(d);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onSubmit(d);
    } catch (err) {
      setError(err instanceof Error ? err.message : 'The decision was not saved.');
    } finally {
      setBusy(false);
    }
  };

  const choose = (a: Action, focus: typeof focusNext) => {
    if (!enabled) return;
    setAction(a);
    setError(null);
    setFocusNext(focus);
  };

  // A handled shortcut key does nothing else (no scrolling, no typed letter).
  const taking = (f: () => void) => (e: KeyboardEvent) => {
    e.preventDefault();
    f();
  };
  useShortcuts(
    {
      c: taking(() => choose('confirm', 'submit')),
      u: taking(() => choose('correct', 'urgency')),
      s: taking(() => choose('correct', 'specialty')),
      r: taking(() => choose('reject', 'reject')),
      n: taking(() => noteRef.current?.focus()),
      ...Object.fromEntries(
        options.urgencies.slice(0, 3).map((u, i) => [
          String(i + 1),
          taking(() => {
            if (!enabled) return;
            setAction('correct');
            setUrgency(u);
            setFocusNext('submit');
          }),
        ]),
      ),
      Enter: (e) => {
        const t = e.target as HTMLElement;
        if (t.tagName === 'TEXTAREA' || t.tagName === 'BUTTON' || t.tagName === 'A') return;
        if (t === specialtyRef.current && !specialtyValid) return; // let the suggestion list take it
        e.preventDefault();
        void submit();
      },
      Escape: (e) => (e.target as HTMLElement).blur?.(),
    },
    ['Enter', 'Escape'],
  );

  const label = action === 'confirm' ? 'Confirm and route' : action === 'correct' ? 'Correct and route' : 'Reject';

  return (
    <form className="card decision" onSubmit={submit} aria-labelledby="decision-title">
      <h2 id="decision-title">Decision</h2>
      <fieldset disabled={!enabled || busy}>
        <legend className="sr-only">Action</legend>
        <div className="actions" role="radiogroup" aria-label="Action">
          {(
            [
              ['confirm', 'Confirm', 'C'],
              ['correct', 'Correct', 'U'],
              ['reject', 'Reject', 'R'],
            ] as const
          ).map(([a, l, k]) => (
            <label key={a} className={`action action-${a} ${action === a ? 'on' : ''}`}>
              <input type="radio" name="action" value={a} checked={action === a} onChange={() => choose(a, null)} aria-keyshortcuts={k} />
              {l} <kbd aria-hidden="true">{k}</kbd>
            </label>
          ))}
        </div>

        {action === 'confirm' && (
          <label className="field">
            Reason code (optional)
            <select value={confirmReason} onChange={(e) => setConfirmReason(e.target.value as ConfirmReason | '')}>
              {CONFIRM_REASONS.map(([v, l]) => (
                <option key={v} value={v}>
                  {l}
                </option>
              ))}
            </select>
          </label>
        )}

        {action === 'correct' && (
          <>
            <label className="field">
              Urgency <span className="muted small">(1 emergent · 2 urgent · 3 routine)</span>
              <select ref={urgencyRef} value={urgency} onChange={(e) => setUrgency(e.target.value as Urgency)} aria-keyshortcuts="U">
                {options.urgencies.map((u) => (
                  <option key={u} value={u}>
                    {humanize(u)}
                    {u === task.urgency ? ' (model)' : ''}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              Specialty
              <input
                ref={specialtyRef}
                list="specialty-options"
                value={specialty}
                onChange={(e) => setSpecialty(e.target.value)}
                aria-invalid={!specialtyValid}
                aria-keyshortcuts="S"
                autoComplete="off"
                spellCheck={false}
              />
              <datalist id="specialty-options">
                {options.specialties.map((s) => (
                  <option key={s} value={s} />
                ))}
              </datalist>
            </label>
            <label className="field">
              Reason code
              <select value={correctReason ?? derivedReason} onChange={(e) => setCorrectReason(e.target.value as CorrectReason)}>
                {CORRECT_REASONS.map(([v, l]) => (
                  <option key={v} value={v}>
                    {l}
                  </option>
                ))}
              </select>
            </label>
          </>
        )}

        {action === 'reject' && (
          <label className="field">
            Reason code
            <select ref={rejectRef} value={rejectReason} onChange={(e) => setRejectReason(e.target.value as RejectReason)}>
              {options.rejectReasons.map((r) => (
                <option key={r} value={r}>
                  {REJECT_WORDS[r] ?? humanize(r)}
                </option>
              ))}
            </select>
          </label>
        )}

        <label className="field">
          Note (optional) <span className="muted small">— no patient details needed</span>
          <textarea ref={noteRef} value={note} maxLength={2000} rows={2} onChange={(e) => setNote(e.target.value)} aria-keyshortcuts="N" />
        </label>

        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button ref={submitRef} type="submit" className={`primary submit-${action}`}>
          {busy ? 'Saving…' : label} <kbd aria-hidden="true">Enter</kbd>
        </button>
      </fieldset>
    </form>
  );
}
