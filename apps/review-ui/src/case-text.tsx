import { Fragment, useEffect, useMemo, useRef } from 'react';
import { humanize, segmentText } from './format.ts';
import type { Span } from './field-format.ts';
import { fieldLabel } from './field-labels.ts';
import type { Evidence, PageInfo, RedFlag } from './types.ts';

const SOURCES: Record<string, string> = {
  'text-layer': 'text layer',
  plain: 'typed text',
  ocr: 'OCR',
  'needs-ocr': 'awaiting OCR',
};

export function ocrBand(c: number | null): 'none' | 'low' | 'fair' | 'good' {
  if (c === null) return 'none';
  return c < 55 ? 'low' : c < 75 ? 'fair' : 'good';
}

const NO_FOCUS: Span[] = [];

/**
 * The extracted text with the model's evidence and red-flag spans marked, page by page; `focus` is where the
 * field picked in the fields panel was read, brought into view when it changes.
 */
export function CaseText({
  text,
  pages,
  evidence,
  redFlags,
  focus = NO_FOCUS,
  focusField,
}: {
  text: string;
  pages: PageInfo[];
  evidence: Evidence[];
  redFlags: RedFlag[];
  focus?: Span[];
  /** The field name `focus` belongs to. */
  focusField?: string;
}) {
  const byPage = useMemo(() => segmentText(text, pages, evidence, redFlags, focus), [text, pages, evidence, redFlags, focus]);
  const info = new Map(pages.map((p) => [p.pageNo, p]));
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    if (focus.length) ref.current?.querySelector('mark[data-field]')?.scrollIntoView({ block: 'center' });
  }, [focus]);
  return (
    <section ref={ref} className="card pane text" aria-labelledby="text-title">
      <div className="pane-head">
        <h2 id="text-title">Extracted text</h2>
        <div className="legend small" aria-label="Legend">
          <span data-legend="urgency">urgency evidence</span> <span data-legend="specialty">specialty evidence</span>
          {focus.length > 0 && (
            <>
              {' '}
              <span data-legend="field">{fieldLabel(focusField ?? 'field').toLowerCase()}</span>
            </>
          )}
          {redFlags.length > 0 && (
            <>
              {' '}
              <span data-legend="red-flag">red flag</span>
            </>
          )}
        </div>
      </div>
      <div className="text-scroll">
        {byPage.map(({ pageNo, segments }) => {
          const p = info.get(pageNo);
          const band = ocrBand(p?.ocrConfidence ?? null);
          return (
            <article key={pageNo} className="text-page" aria-label={`Page ${pageNo} text`} data-page-no={pageNo}>
              <header className="text-page-head small">
                <span>Page {pageNo}</span>
                <span className="muted">{SOURCES[p?.source ?? ''] ?? humanize(p?.source ?? 'text')}</span>
                {p?.ocrConfidence != null && (
                  <span className={`ocr ocr-${band}`} data-testid="ocr-confidence">
                    OCR confidence {Math.round(p.ocrConfidence)}%{band === 'low' ? ' — check against the image' : ''}
                  </span>
                )}
              </header>
              <p className="letter">
                {segments.map((s) => {
                  const body = text.slice(s.start, s.end);
                  if (!s.heads.length && !s.flags.length && !s.focus) return <Fragment key={s.start}>{body}</Fragment>;
                  const title = [
                    ...(s.focus ? [`read as ${fieldLabel(focusField ?? 'field').toLowerCase()}`] : []),
                    ...s.heads.map((h) => `${h} evidence`),
                    ...s.flags.map((f) => `red flag: ${humanize(f).toLowerCase()}`),
                  ].join(', ');
                  return (
                    <mark
                      key={s.start}
                      data-head={s.heads.length ? s.heads.join(' ') : undefined}
                      data-red-flag={s.flags.length ? s.flags.join(' ') : undefined}
                      data-field={s.focus ? (focusField ?? 'field') : undefined}
                      title={title}
                    >
                      {body}
                    </mark>
                  );
                })}
              </p>
            </article>
          );
        })}
      </div>
    </section>
  );
}
