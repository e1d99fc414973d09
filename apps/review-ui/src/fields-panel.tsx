import { useEffect, useRef, useState, type ReactNode } from 'react';
import { FieldEditor } from './field-editor.tsx';
import { formatValue, LOW_CONFIDENCE } from './field-format.ts';
import { fieldLabel, sourceLabel } from './field-labels.ts';
import { percent } from './format.ts';
import type { Field, Fields } from './types.ts';

type Props = {
  fields: Fields | null;
  missing: string[];
  conflicts: string[];
  fieldNames: string[];
  specialties: string[];
  urgencies: string[];
  /** Corrections need the claim, like decisions. */
  editable: boolean;
  selected: string | null;
  onSelect: (name: string | null) => void;
  onSave: (name: string, value: unknown) => Promise<void>;
  /** The request-information controls, under the missing list. */
  actions?: ReactNode;
};

/** What the reader took from the referral (patient, referrer, clinic, priority), each value checkable and correctable. */
export function FieldsPanel(p: Props) {
  const [editing, setEditing] = useState<string | null>(null);
  const [showEmpty, setShowEmpty] = useState(false);
  const fields = p.fields ?? {};
  // Present and missing fields always show; other empty ones only on request (they are most of the list).
  const shown = p.fieldNames.filter((n) => fields[n] || p.missing.includes(n) || showEmpty || editing === n);
  const empty = p.fieldNames.filter((n) => !fields[n] && !p.missing.includes(n)).length;

  return (
    <section className="card pane fields" aria-labelledby="fields-title" data-testid="fields-panel">
      <div className="pane-head">
        <h2 id="fields-title">Referral details</h2>
        <span className="muted small">
          <kbd>F</kbd> to go here
        </span>
      </div>
      {p.missing.length > 0 && (
        <p className="field-missing" data-testid="field-missing">
          <strong>Missing:</strong> {p.missing.map(fieldLabel).join(', ')}
        </p>
      )}
      {p.conflicts.length > 0 && (
        <p className="field-conflicts" data-testid="field-conflicts">
          <strong>Conflicting values:</strong> {p.conflicts.map(fieldLabel).join(', ')}
        </p>
      )}
      {p.actions}
      {p.fields === null ? (
        <p className="muted">The referral's details have not been read yet.</p>
      ) : (
        <dl className="field-list">
          {shown.map((n) => (
            <FieldRow
              key={n}
              name={n}
              field={fields[n]}
              missing={p.missing.includes(n)}
              editing={editing === n}
              selected={p.selected === n}
              props={p}
              onEdit={(on) => setEditing(on ? n : null)}
            />
          ))}
        </dl>
      )}
      {p.fields !== null && empty > 0 && (
        <button type="button" className="link small" aria-expanded={showEmpty} onClick={() => setShowEmpty((s) => !s)}>
          {showEmpty ? 'Hide empty fields' : `Show ${empty} empty field${empty === 1 ? '' : 's'}`}
        </button>
      )}
    </section>
  );
}

function FieldRow({
  name,
  field,
  missing,
  editing,
  selected,
  props: p,
  onEdit,
}: {
  name: string;
  field: Field | undefined;
  missing: boolean;
  editing: boolean;
  selected: boolean;
  props: Props;
  onEdit: (on: boolean) => void;
}) {
  const label = fieldLabel(name);
  const labelId = `field-label-${name}`;
  const low = field !== undefined && field.confidence < LOW_CONFIDENCE;
  const conflicts = field?.conflicts?.length ? field.conflicts : null;
  const editButton = useRef<HTMLButtonElement>(null);
  const wasEditing = useRef(false);
  // Back to the Edit button after saving or cancelling, so the keyboard stays where it was.
  useEffect(() => {
    if (wasEditing.current && !editing) editButton.current?.focus();
    wasEditing.current = editing;
  }, [editing]);
  const lines = field ? formatValue(name, field.value) : [];

  return (
    <div
      className={['field-row', low ? 'low' : '', conflicts ? 'conflict' : '', selected ? 'selected' : '', missing ? 'missing' : ''].join(' ')}
      data-testid={`field-${name}`}
      data-source={field?.source}
      data-confidence={field?.confidence}
    >
      <dt id={labelId}>
        {label}
        {missing && <span className="badge badge-missing"> missing</span>}
      </dt>
      <dd>
        {editing ? (
          <FieldEditor
            name={name}
            labelId={labelId}
            field={field}
            specialties={p.specialties}
            urgencies={p.urgencies}
            onCancel={() => onEdit(false)}
            onSave={async (v) => {
              await p.onSave(name, v);
              onEdit(false);
            }}
          />
        ) : (
          <>
            {field ? (
              <button
                type="button"
                className="field-value"
                data-testid="field-value"
                aria-pressed={selected}
                title={field.evidence.length ? 'Show where this was read' : 'No location recorded'}
                onClick={() => p.onSelect(selected ? null : name)}
              >
                {lines.map((l, i) => (
                  <span key={i} className="field-line">
                    {l}
                  </span>
                ))}
              </button>
            ) : (
              <span className="muted">—</span>
            )}
            {field && (
              <span className={`field-meta small ${low ? 'conf-low' : ''}`}>
                <span data-testid="field-confidence" title={low ? 'Low confidence: check it against the letter' : 'Confidence'}>
                  {low && <span aria-hidden="true">⚠ </span>}
                  {percent(field.confidence)}
                  {low ? ' · low' : ''}
                </span>{' '}
                · <span data-testid="field-source">{sourceLabel(field.source)}</span>
              </span>
            )}
            {selected && field && field.evidence.length === 0 && <span className="muted small"> · not located in the text</span>}
            {conflicts && (
              <span className="field-conflict small" data-testid={`field-conflict-${name}`}>
                Also given: {conflicts.map((c) => formatValue(name, c).join('; ')).join(' · ')}
              </span>
            )}
            {p.editable && (
              <button ref={editButton} type="button" className="link small field-edit" aria-label={`Edit ${label}`} onClick={() => onEdit(true)}>
                {field ? 'Edit' : 'Add'}
              </button>
            )}
          </>
        )}
      </dd>
    </div>
  );
}
