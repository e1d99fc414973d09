import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiFailure, type Api } from './api.ts';
import { CaseText } from './case-text.tsx';
import { DecisionForm } from './decision-form.tsx';
import { boxesByPage, joinedSpans } from './field-format.ts';
import { FieldsPanel } from './fields-panel.tsx';
import { slaState } from './format.ts';
import { InformationRequest } from './information-request.tsx';
import { ModelSummary, Probabilities } from './model-panel.tsx';
import { PageImages, ZOOMS } from './page-images.tsx';
import { casePath, queuePath, type Navigate } from './router.ts';
import type { CaseDetail, Decision, FieldsUpdate, TaskSummary } from './types.ts';
import { useClaim, type ClaimState } from './use-claim.ts';
import { useTaskEvents } from './use-events.ts';
import { useNow } from './use-now.ts';
import { useShortcuts } from './use-shortcuts.ts';

const IMAGE_DPI = 110;
/** Reviewer-facing wording for a failed write that needs the claim. */
function failure(e: unknown, claimLapsed: () => void, fallback: string): Error {
  if (e instanceof ApiFailure && e.code === 'claim_required') {
    claimLapsed();
    return new Error('Your claim had lapsed; it is being taken again if the case is still free. Try again.');
  }
  return new Error(e instanceof ApiFailure ? e.message : fallback);
}

const time = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** The next case in queue order that nobody else holds; `dir` -1 walks backwards. */
async function neighbour(api: Api, currentId: string, dir: 1 | -1): Promise<TaskSummary | undefined> {
  const { tasks } = await api.tasks();
  const free = (t: TaskSummary) => t.id !== currentId && (!t.claim || t.claim.mine);
  const i = tasks.findIndex((t) => t.id === currentId);
  if (i === -1) return dir === 1 ? tasks.find(free) : undefined;
  const rest = dir === 1 ? tasks.slice(i + 1) : tasks.slice(0, i).reverse();
  return rest.find(free) ?? (dir === 1 ? tasks.find(free) : undefined);
}

function ClaimBanner({ state, onRetry }: { state: ClaimState; onRetry: () => void }) {
  switch (state.kind) {
    case 'claiming':
      return <div className="banner" role="status">Claiming this case…</div>;
    case 'mine':
      return (
        <div className={`banner ${state.renewFailing ? 'banner-warn' : 'banner-ok'}`} role="status" data-testid="claim-state">
          {state.renewFailing
            ? `Connection problem: your claim runs out at ${time(state.expiresAt)} unless it can be renewed.`
            : `You hold this case (renewed automatically while it is open).`}
        </div>
      );
    case 'held':
      return (
        <div className="banner banner-held" role="alert" data-testid="claim-state">
          Held by <strong>{state.by}</strong>
          {state.until ? ` until ${time(state.until)}` : ''}. You can read it, but not decide it.{' '}
          <button type="button" className="link" onClick={onRetry}>
            Try again
          </button>
        </div>
      );
    case 'closed':
      return <div className="banner" role="status" data-testid="claim-state">This case has been decided.</div>;
    case 'missing':
      return <div className="banner banner-held" role="alert">No such case.</div>;
    case 'error':
      return (
        <div className="banner banner-held" role="alert">
          Could not claim this case ({state.message}).{' '}
          <button type="button" className="link" onClick={onRetry}>
            Try again
          </button>
        </div>
      );
  }
}

export function CaseScreen({ api, taskId, navigate, onFlash }: { api: Api; taskId: string; navigate: Navigate; onFlash: (m: string | null) => void }) {
  const claim = useClaim(api, taskId);
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [zoom, setZoom] = useState(ZOOMS.indexOf(1));
  const [gaps, setGaps] = useState<FieldsUpdate | null>(null);
  const [status, setStatus] = useState<string>('open');
  const [picked, setPicked] = useState<string | null>(null);
  const now = useNow(1000);

  useEffect(() => {
    let live = true;
    api.task(taskId).then(
      (d) => {
        if (!live) return;
        setDetail(d);
        setGaps(d.fields ? { fields: d.fields, missing: d.missing, conflicts: d.conflicts } : null);
        setStatus(d.task.status);
      },
      (e) => live && setLoadError(e instanceof ApiFailure && e.status === 404 ? 'No such case.' : 'Could not load the case.'),
    );
    return () => {
      live = false;
    };
  }, [api, taskId]);

  useTaskEvents(api.eventsUrl(), (e) => {
    if (e.taskId === taskId) claim.onEvent(e.type);
  });

  const go = useCallback(
    async (dir: 1 | -1, replace = false, saved = '') => {
      const next = await neighbour(api, taskId, dir).catch(() => undefined);
      if (next) {
        if (saved) onFlash(`${saved} Next case opened.`);
        navigate(casePath(next.id), { replace });
      } else if (dir === 1) {
        onFlash(`${saved} No more free cases in the queue.`.trim());
        navigate(queuePath(), { replace });
      }
    },
    [api, taskId, navigate, onFlash],
  );

  const decide = async (d: Decision) => {
    try {
      await api.decide(taskId, d);
    } catch (e) {
      if (e instanceof ApiFailure && e.code === 'claim_required') {
        void claim.retry();
        throw new Error('Your claim had lapsed; it is being taken again if the case is still free. Submit again.');
      }
      throw new Error(e instanceof ApiFailure ? e.message : 'The decision was not saved; check the connection and try again.');
    }
    claim.markDecided();
    await go(1, true, `Decision saved (${d.action}).`);
  };

  const saveField = async (field: string, value: unknown) => {
    try {
      setGaps(await api.correctField(taskId, field, value));
    } catch (e) {
      throw failure(e, () => void claim.retry(), 'The value was not saved; check the connection and try again.');
    }
  };
  const setInfo = (requested: boolean) => async () => {
    try {
      const r = await (requested ? api.requestInformation(taskId) : api.informationReceived(taskId));
      setStatus(r.status);
      onFlash(requested ? 'Information requested: the target clock is stopped.' : 'Information received: the target clock runs again.');
    } catch (e) {
      throw failure(e, () => void claim.retry(), 'That was not saved; check the connection and try again.');
    }
  };

  // Where the picked field was read: spans in the joined text, boxes on OCR page images.
  const pickedField = picked ? gaps?.fields[picked] : undefined;
  const focus = useMemo(() => (pickedField && detail ? joinedSpans(pickedField.evidence, detail.document.pages) : []), [pickedField, detail]);
  const boxes = useMemo(() => boxesByPage(pickedField?.evidence ?? []), [pickedField]);

  useShortcuts({
    f: (e) => {
      e.preventDefault();
      // The first value, not the first button: Enter right after must never send a request to the referrer.
      const panel = document.querySelector('[data-testid="fields-panel"]');
      (panel?.querySelector<HTMLElement>('.field-value') ?? panel?.querySelector<HTMLElement>('.field-edit'))?.focus();
    },
    j: () => void go(1),
    k: () => void go(-1),
    '+': () => setZoom((z) => Math.min(ZOOMS.length - 1, z + 1)),
    '=': () => setZoom((z) => Math.min(ZOOMS.length - 1, z + 1)),
    '-': () => setZoom((z) => Math.max(0, z - 1)),
  });

  if (loadError) {
    return (
      <div className="card empty" role="alert">
        <p>{loadError}</p>
        <button type="button" onClick={() => navigate(queuePath())}>
          Back to the queue
        </button>
      </div>
    );
  }
  if (!detail) return <div className="boot" aria-busy="true">Loading case…</div>;

  const sla = slaState(detail.task, now);
  const waiting = status === 'information_requested';
  const hasImages = detail.document.kind !== 'text';
  const mine = claim.state.kind === 'mine';
  return (
    <div className="case" data-task-id={taskId} data-document-id={detail.document.id}>
      <div className="case-head">
        <button type="button" className="link" onClick={() => navigate(queuePath())}>
          ← Queue
        </button>
        <h1>
          {detail.task.suspectedEmergent && <span className="badge badge-emergent">Suspected emergent</span>} {detail.task.specialty}
          <span className="muted"> · {detail.task.urgency}</span>
        </h1>
        {waiting ? (
          <span className="sla sla-paused" data-testid="task-status">
            Waiting on referrer · clock stopped
          </span>
        ) : (
          <span className={`sla sla-${sla.level}`}>{sla.text}</span>
        )}
        <span className="muted small">
          {detail.document.kind.toUpperCase()} · {detail.document.pages.length} page{detail.document.pages.length === 1 ? '' : 's'} · received{' '}
          {new Date(detail.document.receivedAt).toLocaleString()}
        </span>
        <span className="case-nav">
          <button type="button" onClick={() => void go(-1)} aria-keyshortcuts="K">
            Previous <kbd>K</kbd>
          </button>
          <button type="button" onClick={() => void go(1)} aria-keyshortcuts="J">
            Next <kbd>J</kbd>
          </button>
        </span>
      </div>
      <ClaimBanner state={claim.state} onRetry={() => void claim.retry()} />
      <div className={`case-grid ${hasImages ? '' : 'no-images'}`}>
        {hasImages && (
          <PageImages
            pages={detail.document.pages}
            zoomIndex={zoom}
            onZoom={(i) => setZoom(Math.max(0, Math.min(ZOOMS.length - 1, i)))}
            src={(n) => api.pageImageUrl(detail.document.id, n, IMAGE_DPI)}
            boxes={boxes}
          />
        )}
        <FieldsPanel
          fields={gaps?.fields ?? null}
          missing={gaps?.missing ?? detail.missing}
          conflicts={gaps?.conflicts ?? detail.conflicts}
          fieldNames={detail.fieldNames}
          specialties={detail.options.specialties}
          urgencies={detail.options.urgencies}
          editable={mine && gaps !== null}
          selected={picked}
          onSelect={setPicked}
          onSave={saveField}
          actions={
            <InformationRequest
              status={status}
              gaps={(gaps?.missing ?? detail.missing).length + (gaps?.conflicts ?? detail.conflicts).length}
              enabled={mine}
              letterUrl={api.informationRequestUrl(detail.document.id)}
              onRequest={setInfo(true)}
              onReceived={setInfo(false)}
            />
          }
        />
        <CaseText
          text={detail.text}
          pages={detail.document.pages}
          evidence={detail.evidence}
          redFlags={detail.redFlags}
          focus={focus}
          {...(picked ? { focusField: picked } : {})}
        />
        <aside className="side">
          <ModelSummary detail={detail} />
          <DecisionForm detail={detail} enabled={mine} onSubmit={decide} />
          <Probabilities detail={detail} />
        </aside>
      </div>
    </div>
  );
}
