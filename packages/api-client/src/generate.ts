import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, COMMENT_HEADER, type OpenAPI3 } from 'openapi-typescript';
// The document itself, not the served copy: generating needs no running API (nor a database).
import { openApiDocument } from '../../../apps/api/src/openapi.ts';

export const SCHEMA_FILE = fileURLToPath(new URL('./schema.gen.ts', import.meta.url));

/** The TypeScript types of the API's OpenAPI document; `info.version` does not reach the output. */
export async function generateSchema(): Promise<string> {
  const ast = await openapiTS(openApiDocument('generated') as unknown as OpenAPI3, { exportType: true, silent: true });
  return `${COMMENT_HEADER}// Regenerate with \`pnpm api-client:generate\`; a test fails while this file differs from the routes.\n\n${astToString(ast)}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await writeFile(SCHEMA_FILE, await generateSchema());
  console.log(`wrote ${SCHEMA_FILE}`);
}
