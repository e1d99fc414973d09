import type { CaseDetail, ClaimResult, Decision, FieldsUpdate, Session, TaskList } from './types.ts';

/** A non-2xx answer, carrying the API's `{error:{code, message, ...extra}}`. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown>,
  ) {
    super(message);
  }
}

type Listener = () => void;

/**
 * The only way the UI talks to the API: the session cookie authenticates (HttpOnly, the page never sees it);
 * the CSRF token lives in memory only and goes on every state-changing request.
 */
export function createApi(base = '', fetchImpl: typeof fetch = (...a) => fetch(...a)) {
  let csrfToken: string | null = null;
  const unauthorized = new Set<Listener>();
  // Claims this tab holds, so signing out can hand them back first instead of leaving them to expire.
  const held = new Set<string>();

  async function call<T>(method: string, path: string, body?: unknown, init: RequestInit = {}): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
    const res = await fetchImpl(`${base}${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
      ...init,
    });
    const text = await res.text();
    const json: unknown = text ? safeJson(text) : null;
    if (!res.ok) {
      const err = (json as { error?: { code?: string; message?: string } } | null)?.error ?? {};
      const { code = 'http_' + res.status, message = res.statusText, ...extra } = err as Record<string, unknown>;
      if (res.status === 401 && path !== '/v1/session') unauthorized.forEach((l) => l());
      throw new ApiFailure(res.status, String(code), String(message), extra);
    }
    return json as T;
  }

  /** keepalive lets the release outlive the page (tab closed, navigation away). */
  const release = (id: string, keepalive = false) => {
    held.delete(id);
    return call<null>('POST', `/v1/review/tasks/${encodeURIComponent(id)}/release`, {}, { keepalive });
  };

  const remember = (s: Session) => {
    csrfToken = s.csrfToken;
    return s;
  };

  return {
    onUnauthorized(l: Listener) {
      unauthorized.add(l);
      return () => {
        unauthorized.delete(l);
      };
    },
    signIn: async (token: string) => remember(await call<Session>('POST', '/v1/session', { token })),
    resume: async () => remember(await call<Session>('GET', '/v1/session')),
    signOut: async () => {
      try {
        await Promise.allSettled([...held].map((id) => release(id)));
        await call<null>('DELETE', '/v1/session');
      } finally {
        csrfToken = null;
        held.clear();
      }
    },
    tasks: (filters: Record<string, string> = {}) => {
      const q = new URLSearchParams({ status: 'open', ...dropEmpty(filters) });
      return call<TaskList>('GET', `/v1/review/tasks?${q}`);
    },
    task: (id: string) => call<CaseDetail>('GET', `/v1/review/tasks/${encodeURIComponent(id)}`),
    claim: async (id: string) => {
      const r = await call<ClaimResult>('POST', `/v1/review/tasks/${encodeURIComponent(id)}/claim`, {});
      held.add(id);
      return r;
    },
    release,
    decide: async (id: string, d: Decision) => {
      const r = await call<{ taskId: string; documentId: string; status: string; run: number }>(
        'POST',
        `/v1/review/tasks/${encodeURIComponent(id)}/decision`,
        d,
      );
      held.delete(id);
      return r;
    },
    /** `value: null` removes a value the document does not really carry. */
    correctField: (id: string, field: string, value: unknown) =>
      call<FieldsUpdate>('POST', `/v1/review/tasks/${encodeURIComponent(id)}/fields`, { field, value }),
    requestInformation: (id: string) =>
      call<{ id: string; status: string }>('POST', `/v1/review/tasks/${encodeURIComponent(id)}/request-information`, {}),
    informationReceived: (id: string) =>
      call<{ id: string; status: string }>('POST', `/v1/review/tasks/${encodeURIComponent(id)}/information-received`, {}),
    informationRequestUrl: (documentId: string) => `${base}/v1/documents/${encodeURIComponent(documentId)}/information-request.pdf`,
    pageImageUrl: (documentId: string, pageNo: number, dpi: number) =>
      `${base}/v1/documents/${encodeURIComponent(documentId)}/pages/${pageNo}/image?dpi=${dpi}`,
    eventsUrl: () => `${base}/v1/review/events`,
  };
}

export type Api = ReturnType<typeof createApi>;

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function dropEmpty(o: Record<string, string>) {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== ''));
}
