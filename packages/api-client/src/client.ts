import type { paths } from './schema.gen.ts';
import { ApiError } from './api-error.ts';
import type { Args, Method, PathOf, RequestOptions, Success } from './operation-types.ts';

export type ClientOptions = {
  /** Origin (and prefix) of the API; '' for same-origin requests from the review UI. */
  baseUrl?: string;
  /** Sent as `Authorization: Bearer`; omit in a browser, where the session cookie authenticates. */
  token?: string;
  /** Whether cookies ride along: fetch's own default ('same-origin') unless the UI is served elsewhere ('include'). */
  credentials?: RequestInit['credentials'];
  /** Late-bound by default, so a test or a polyfill that swaps globalThis.fetch is honoured. */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
};

/** `{id}` segments from `path`, encoded; query values as strings, undefined ones left out (in the order given). */
function urlFor(template: string, path: Record<string, unknown> | undefined, query: Record<string, unknown> | undefined): string {
  const filled = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (path?.[name] === undefined) throw new TypeError(`${template}: missing path parameter ${name}`);
    return encodeURIComponent(String(path[name]));
  });
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) q.append(k, String(v));
  const qs = q.toString();
  return qs ? `${filled}?${qs}` : filled;
}

function parseBody(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A fetch client typed by the generated OpenAPI paths: answers are the 2xx JSON of the route, refusals throw ApiError. */
export function createApiClient(options: ClientOptions = {}) {
  const base = (options.baseUrl ?? '').replace(/\/+$/, '');
  const doFetch = options.fetch ?? ((url, init) => fetch(url, init));

  async function request<M extends Method, P extends PathOf<M>>(method: M, path: P, ...[opts]: Args<P, M>): Promise<Success<P, M>> {
    const o = (opts ?? {}) as RequestOptions<P, M> & { path?: Record<string, unknown>; query?: Record<string, unknown> };
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: RequestInit['body'];
    if (o.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(o.json);
    } else if (o.body !== undefined && o.body !== null) {
      headers['content-type'] = String(o.contentType);
      body = o.body;
    }
    Object.assign(headers, o.headers);
    const res = await doFetch(`${base}${urlFor(path, o.path, o.query)}`, {
      method: method.toUpperCase(),
      headers,
      credentials: options.credentials ?? 'same-origin',
      body,
      ...(o.signal ? { signal: o.signal } : {}),
      ...(o.keepalive !== undefined ? { keepalive: o.keepalive } : {}),
    });
    const data = parseBody(await res.text());
    if (!res.ok) throw new ApiError(res.status, data, res.statusText);
    return data as Success<P, M>;
  }

  return {
    request,
    get: <P extends PathOf<'get'>>(path: P, ...args: Args<P, 'get'>) => request('get', path, ...args),
    post: <P extends PathOf<'post'>>(path: P, ...args: Args<P, 'post'>) => request('post', path, ...args),
    delete: <P extends PathOf<'delete'>>(path: P, ...args: Args<P, 'delete'>) => request('delete', path, ...args),
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
export type { paths };
