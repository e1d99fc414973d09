import type { components } from './schema.gen.ts';

export type ErrorBody = components['schemas']['ApiError'];

const errorOf = (body: unknown): ErrorBody['error'] | undefined => {
  const e = (body as { error?: unknown } | null | undefined)?.error;
  return typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string' ? (e as ErrorBody['error']) : undefined;
};

/** A non-2xx answer: its status and body, and the API's `{error: {code, message, ...extra}}` picked apart. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  /** The API's code (`conflict`, `claim_required`, …), or `http_<status>` when the body is not the API's. */
  readonly code: string;
  /** The error's other fields, e.g. `heldBy` and `until` on a claim held by someone else. */
  readonly extra: Record<string, unknown>;

  constructor(
    readonly status: number,
    readonly body: unknown,
    statusText = '',
  ) {
    const e = errorOf(body);
    const { code, message, ...extra } = e ?? { code: `http_${status}`, message: undefined };
    super(typeof message === 'string' ? message : statusText || `HTTP ${status}`);
    this.code = code;
    this.extra = extra;
  }
}
