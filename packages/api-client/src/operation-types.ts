import type { paths } from './schema.gen.ts';

// Types read off the generated `paths`: what an operation takes and what its 2xx answers are.

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Operation = { parameters: object; responses: object };

/** Paths that serve this method. */
export type PathOf<M extends Method> = { [P in keyof paths]: paths[P][M] extends Operation ? P : never }[keyof paths];
export type OperationOf<P extends keyof paths, M extends Method> = Extract<paths[P][M], Operation>;

type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : undefined;
type Responses<P extends keyof paths, M extends Method> = OperationOf<P, M>['responses'];
/** The JSON of every 2xx answer (undefined for a 204). */
export type Success<P extends keyof paths, M extends Method> = {
  [C in keyof Responses<P, M>]: C extends 200 | 201 | 202 | 204 ? JsonOf<Responses<P, M>[C]> : never;
}[keyof Responses<P, M>];

type BodyContent<O> = O extends { requestBody?: infer B } ? ([B] extends [never] ? never : B extends { content: infer C } ? C : never) : never;
/** The JSON request body; routes that take none still accept `{}` (what a bodiless POST sends as JSON). */
export type JsonBody<P extends keyof paths, M extends Method> =
  BodyContent<OperationOf<P, M>> extends { 'application/json': infer J } ? J : Record<string, never>;
/** Media types a route takes as a raw body (uploads). */
export type RawType<P extends keyof paths, M extends Method> = Exclude<keyof BodyContent<OperationOf<P, M>>, 'application/json'> & string;

type Params<P extends keyof paths, M extends Method> = OperationOf<P, M>['parameters'];
export type PathParams<P extends keyof paths, M extends Method> = Params<P, M> extends { path: infer X } ? X : never;
export type QueryOf<P extends keyof paths, M extends Method> = Params<P, M> extends { query?: infer Q } ? ([Q] extends [never] ? never : Q) : never;

type Body<P extends keyof paths, M extends Method> =
  | { json?: JsonBody<P, M>; body?: undefined; contentType?: undefined }
  | ([RawType<P, M>] extends [never] ? never : { json?: undefined; body: RequestInit['body']; contentType: RawType<P, M> });

export type RequestOptions<P extends keyof paths, M extends Method> = Body<P, M> & {
  query?: QueryOf<P, M>;
  /** Extra headers (e.g. `x-csrf-token`, `idempotency-key`); they win over the client's own. */
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Lets the request outlive the page (a release on tab close). */
  keepalive?: boolean;
} & ([PathParams<P, M>] extends [never] ? { path?: undefined } : { path: PathParams<P, M> });

/** Options are required when the path has parameters. */
export type Args<P extends keyof paths, M extends Method> = [PathParams<P, M>] extends [never] ? [opts?: RequestOptions<P, M>] : [opts: RequestOptions<P, M>];
