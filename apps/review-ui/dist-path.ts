import { fileURLToPath } from 'node:url';

/** Where `pnpm --filter @triage/review-ui build` writes the UI; the API serves this folder at /review. */
export const reviewUiDist = fileURLToPath(new URL('./dist', import.meta.url));
