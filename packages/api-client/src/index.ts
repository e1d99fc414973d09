export { createApiClient, type ApiClient, type ClientOptions } from './client.ts';
export { ApiError, type ErrorBody } from './api-error.ts';
export type { JsonBody, Method, OperationOf, PathOf, QueryOf, RawType, RequestOptions, Success } from './operation-types.ts';
export type { components, operations, paths } from './schema.gen.ts';
import type { components } from './schema.gen.ts';

/** The API's named shapes (`Schemas['CaseDetail']`, `Schemas['TaskList']`, …). */
export type Schemas = components['schemas'];
