import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { editorKind, FIELD_HINTS, fromDraft, SEXES, toDraft } from './field-format.ts';
import { humanize } from './format.ts';
import type { Field } from './types.ts';

/**
 * One field's correction form: Enter saves, Escape cancels. Keys stop here, so Enter never also submits the
 * decision form (its shortcut listens on the window).
 */
export function FieldEditor({
  name,
  labelId,
  field,
  specialties,
  urgencies,
  onSave,
  onCancel,
}: {
  name: string;
  labelId: string;
  field: Field | undefined;
  specialties: string[];
  urgencies: string[];
  onSave: (value: unknown) => Promise<void>;
  onCancel: () => void;
}) {
  const kind = editorKind(name);
  const [draft, setDraft] = useState(() => {
    const d = toDraft(name, field?.value);
    // A select has no empty choice: an absent value starts at the first option.
    if (kind === 'sex' && !d.text) d.text = SEXES[0];
    if (kind === 'priority' && !d.text) d.text = urgencies[0] ?? 'routine';
    return d;
  });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const hint = FIELD_HINTS[name];
  const hintId = `field-hint-${name}`;
  const errorId = `field-error-${name}`;

  const save = async (value: unknown) => {
    setBusy(true);
    setError(null);
    try {
      await onSave(value);
    } catch (e) {
      setError(e instanceof Error ? e.message : 'The value was not saved.');
      setBusy(false);
    }
  };
  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    if (busy) return;
    const r = fromDraft(name, draft);
    if ('error' in r) setError(r.error);
    else void save(r.value);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Enter' && e.key !== 'Escape') return;
    e.stopPropagation();
    if (e.key === 'Escape') {
      e.preventDefault();
      onCancel();
    } else if ((e.target as HTMLElement).tagName === 'TEXTAREA' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      submit();
    }
  };

  const common = {
    'aria-labelledby': labelId,
    'aria-describedby': [hint ? hintId : '', error ? errorId : ''].filter(Boolean).join(' ') || undefined,
    'aria-invalid': error ? true : undefined,
    autoFocus: true,
  };
  const set = (text: string) => setDraft((d) => ({ ...d, text }));
  return (
    <form className="field-editor" onSubmit={submit} onKeyDown={onKeyDown} data-testid={`field-editor-${name}`}>
      <fieldset disabled={busy}>
        {kind === 'text' && <input {...common} value={draft.text} onChange={(e) => set(e.target.value)} placeholder={hint} autoComplete="off" spellCheck={false} />}
        {kind === 'lines' && <textarea {...common} value={draft.text} rows={3} onChange={(e) => set(e.target.value)} spellCheck={false} />}
        {(kind === 'sex' || kind === 'priority') && (
          <select {...common} value={draft.text} onChange={(e) => set(e.target.value)}>
            {(kind === 'sex' ? [...SEXES] : urgencies).map((v) => (
              <option key={v} value={v}>
                {humanize(v)}
              </option>
            ))}
          </select>
        )}
        {kind === 'referredTo' && (
          <>
            <input {...common} value={draft.text} onChange={(e) => set(e.target.value)} placeholder="Clinic, as written" autoComplete="off" />
            <select aria-label="Specialty it routes to" value={draft.specialty} onChange={(e) => setDraft((d) => ({ ...d, specialty: e.target.value }))}>
              <option value="">No specialty</option>
              {specialties.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </>
        )}
        {hint && (
          <span id={hintId} className="muted small">
            {hint}
            {kind === 'lines' ? ' · Ctrl+Enter saves' : ''}
          </span>
        )}
        {error && (
          <span id={errorId} className="error small" role="alert">
            {error}
          </span>
        )}
        <span className="field-editor-actions">
          <button type="submit" className="primary">
            {busy ? 'Saving…' : 'Save'}
          </button>
          <button type="button" onClick={onCancel}>
            Cancel <kbd aria-hidden="true">Esc</kbd>
          </button>
          {field && (
            <button type="button" className="link danger" onClick={() => void save(null)}>
              Remove value
            </button>
          )}
        </span>
      </fieldset>
    </form>
  );
}
