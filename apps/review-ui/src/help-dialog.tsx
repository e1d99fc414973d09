import { useEffect, useRef } from 'react';

export const SHORTCUTS: [string, string][] = [
  ['J / K', 'Next / previous case (in the queue: move the selection)'],
  ['Enter', 'Open the selected case; on a case, submit the decision'],
  ['C', 'Confirm the model’s urgency and specialty'],
  ['1 / 2 / 3', 'Correct the urgency to emergent / urgent / routine'],
  ['U', 'Correct: focus the urgency'],
  ['S', 'Correct: focus the specialty'],
  ['R', 'Reject: choose the reason'],
  ['N', 'Focus the note'],
  ['F', 'Go to the referral details (Enter on a value shows where it was read)'],
  ['+ / −', 'Zoom the page images'],
  ['Esc', 'Leave a field, close this help'],
  ['?', 'Show or hide this help'],
];

export function HelpDialog({ onClose }: { onClose: () => void }) {
  const ref = useRef<HTMLButtonElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div className="overlay" onClick={onClose}>
      <div className="card dialog" role="dialog" aria-modal="true" aria-labelledby="help-title" onClick={(e) => e.stopPropagation()}>
        <h2 id="help-title">Keyboard shortcuts</h2>
        <dl className="shortcuts">
          {SHORTCUTS.map(([k, v]) => (
            <div key={k}>
              <dt>
                <kbd>{k}</kbd>
              </dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
        <button ref={ref} type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}
