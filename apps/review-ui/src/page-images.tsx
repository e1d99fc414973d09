import { useEffect, useRef, useState } from 'react';
import { boxStyle } from './field-format.ts';
import type { Box, PageInfo } from './types.ts';

const NO_BOXES: Box[] = [];
export const ZOOMS = [0.5, 0.75, 1, 1.25, 1.5, 2, 3] as const;

/** The original pages as the server renders them (PDF pages rasterised, scans already turned upright). */
export function PageImages({
  pages,
  zoomIndex,
  onZoom,
  src,
  boxes,
}: {
  pages: PageInfo[];
  zoomIndex: number;
  onZoom: (i: number) => void;
  src: (pageNo: number) => string;
  /** Where the picked field was read, per page (OCR pages only: they carry the layout the boxes are measured on). */
  boxes?: Map<number, Box[]>;
}) {
  const zoom = ZOOMS[zoomIndex] ?? 1;
  return (
    <section className="card pane images" aria-labelledby="images-title">
      <div className="pane-head">
        <h2 id="images-title">Original</h2>
        <div className="zoom" role="group" aria-label="Zoom">
          <button type="button" onClick={() => onZoom(zoomIndex - 1)} disabled={zoomIndex <= 0} aria-label="Zoom out" aria-keyshortcuts="-">
            −
          </button>
          <output aria-live="polite" aria-label="Zoom level">
            {Math.round(zoom * 100)}%
          </output>
          <button type="button" onClick={() => onZoom(zoomIndex + 1)} disabled={zoomIndex >= ZOOMS.length - 1} aria-label="Zoom in" aria-keyshortcuts="+">
            +
          </button>
          <button type="button" className="link" onClick={() => onZoom(ZOOMS.indexOf(1))}>
            Fit
          </button>
        </div>
      </div>
      <div className="page-scroll">
        {pages.map((p) => (
          <PageImage key={p.pageNo} page={p} count={pages.length} zoom={zoom} src={src(p.pageNo)} boxes={boxes?.get(p.pageNo)} />
        ))}
      </div>
    </section>
  );
}

function PageImage({ page, count, zoom, src, boxes }: { page: PageInfo; count: number; zoom: number; src: string; boxes: Box[] | undefined }) {
  const [failed, setFailed] = useState(false);
  const first = useRef<HTMLDivElement>(null);
  const shown = page.layout && boxes?.length ? boxes : NO_BOXES;
  useEffect(() => {
    if (shown.length) first.current?.scrollIntoView({ block: 'center', inline: 'nearest' });
  }, [shown]);
  return (
    <figure className="page" data-page-no={page.pageNo}>
      {failed ? (
        <div className="page-missing">Page {page.pageNo} could not be rendered.</div>
      ) : (
        // Boxes are in percent of the OCR image, so they follow the zoom without measuring the rendered image.
        <div className="page-frame" style={{ width: `${zoom * 100}%` }}>
          <img src={src} alt={`Page ${page.pageNo} of ${count}, as received`} loading={page.pageNo > 2 ? 'lazy' : 'eager'} onError={() => setFailed(true)} />
          {shown.map((b, i) => (
            <div key={i} ref={i === 0 ? first : undefined} className="field-box" data-testid="field-box" style={boxStyle(b, page.layout!)} aria-hidden="true" />
          ))}
        </div>
      )}
      <figcaption className="muted small">
        Page {page.pageNo}
        {page.ocrConfidence !== null && <> · OCR confidence {Math.round(page.ocrConfidence)}%</>}
        {page.rotation ? <> · turned {page.rotation}°</> : null}
      </figcaption>
    </figure>
  );
}
