import { ApiError, createApiClient, type JsonBody, type QueryOf } from '@triage/api-client';
import type { Decision, Session } from './types.ts';

/** A non-2xx answer, carrying the API's `{error:{code, message, ...extra}}` (the client's error, by its UI name). */
export { ApiError as ApiFailure };

type Listener = () => void;
type TaskQuery = NonNullable<QueryOf<'/v1/review/tasks', 'get'>>;
type FieldName = JsonBody<'/v1/review/tasks/{id}/fields', 'post'>['field'];

/**
 * The only way the UI talks to the API: the session cookie authenticates (HttpOnly, the page never sees it);
 * the CSRF token lives in memory only and goes on every state-changing request.
 */
export function createApi(base = '', fetchImpl: typeof fetch = (...a) => fetch(...a)) {
  let csrfToken: string | null = null;
  const unauthorized = new Set<Listener>();
  // Claims this tab holds, so signing out can hand them back first instead of leaving them to expire.
  const held = new Set<string>();
  const client = createApiClient({ baseUrl: base, credentials: 'same-origin', fetch: fetchImpl });

  const csrf = () => (csrfToken ? { headers: { 'x-csrf-token': csrfToken } } : {});
  /** A 401 means the session was lost, except from /v1/session itself (a wrong token is the form's business). */
  const watched = async <T>(p: Promise<T>, session = false): Promise<T> => {
    try {
      return await p;
    } catch (e) {
      if (e instanceof ApiError && e.status === 401 && !session) unauthorized.forEach((l) => l());
      throw e;
    }
  };
  const task = (id: string) => ({ path: { id } });

  /** keepalive lets the release outlive the page (tab closed, navigation away). */
  const release = (id: string, keepalive = false) => {
    held.delete(id);
    return watched(client.post('/v1/review/tasks/{id}/release', { ...task(id), json: {}, keepalive, ...csrf() }));
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
    signIn: async (token: string) => remember(await watched(client.post('/v1/session', { json: { token }, ...csrf() }), true)),
    resume: async () => remember(await watched(client.get('/v1/session'), true)),
    signOut: async () => {
      try {
        await Promise.allSettled([...held].map((id) => release(id)));
        await watched(client.delete('/v1/session', csrf()), true);
      } finally {
        csrfToken = null;
        held.clear();
      }
    },
    tasks: (filters: Record<string, string> = {}) =>
      // Filters come from the form as strings; the API validates them and answers 400 for a bad one.
      watched(client.get('/v1/review/tasks', { query: { status: 'open', ...dropEmpty(filters) } as TaskQuery })),
    task: (id: string) => watched(client.get('/v1/review/tasks/{id}', task(id))),
    claim: async (id: string) => {
      const r = await watched(client.post('/v1/review/tasks/{id}/claim', { ...task(id), json: {}, ...csrf() }));
      held.add(id);
      return r;
    },
    release,
    decide: async (id: string, d: Decision) => {
      const r = await watched(client.post('/v1/review/tasks/{id}/decision', { ...task(id), json: d, ...csrf() }));
      held.delete(id);
      return r;
    },
    /** `value: null` removes a value the document does not really carry. */
    correctField: (id: string, field: string, value: unknown) =>
      // Names come from the case's own fieldNames; the API refuses any other.
      watched(client.post('/v1/review/tasks/{id}/fields', { ...task(id), json: { field: field as FieldName, value }, ...csrf() })),
    requestInformation: (id: string) => watched(client.post('/v1/review/tasks/{id}/request-information', { ...task(id), json: {}, ...csrf() })),
    informationReceived: (id: string) => watched(client.post('/v1/review/tasks/{id}/information-received', { ...task(id), json: {}, ...csrf() })),
    informationRequestUrl: (documentId: string) => `${base}/v1/documents/${encodeURIComponent(documentId)}/information-request.pdf`,
    pageImageUrl: (documentId: string, pageNo: number, dpi: number) =>
      `${base}/v1/documents/${encodeURIComponent(documentId)}/pages/${pageNo}/image?dpi=${dpi}`,
    eventsUrl: () => `${base}/v1/review/events`,
  };
}

export type Api = ReturnType<typeof createApi>;

function dropEmpty(o: Record<string, string>) {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== ''));
}
