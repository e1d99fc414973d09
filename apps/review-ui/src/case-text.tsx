import { Fragment, useMemo } from 'react';
import { humanize, segmentText } from './format.ts';
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

/** The extracted text with the model's evidence and red-flag spans marked, page by page. */
export function CaseText({ text, pages, evidence, redFlags }: { text: string; pages: PageInfo[]; evidence: Evidence[]; redFlags: RedFlag[] }) {
  const byPage = useMemo(() => segmentText(text, pages, evidence, redFlags), [text, pages, evidence, redFlags]);
  const info = new Map(pages.map((p) => [p.pageNo, p]));
  return (
    <section className="card pane text" aria-labelledby="text-title">
      <div className="pane-head">
        <h2 id="text-title">Extracted text</h2>
        <div className="legend small" aria-label="Legend">
          <span data-legend="urgency">urgency evidence</span> <span data-legend="specialty">specialty evidence</span>
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
                  if (!s.heads.length && !s.flags.length) return <Fragment key={s.start}>{body}</Fragment>;
                  const title = [
                    ...s.heads.map((h) => `${h} evidence`),
                    ...s.flags.map((f) => `red flag: ${humanize(f).toLowerCase()}`),
                  ].join(', ');
                  return (
                    <mark
                      key={s.start}
                      data-head={s.heads.length ? s.heads.join(' ') : undefined}
                      data-red-flag={s.flags.length ? s.flags.join(' ') : undefined}
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
