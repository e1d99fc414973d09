import { userInfo } from 'node:os';

/** Who ran a CLI command, for the audit trail (the OS account: the CLI has no bearer token). */
export function cliActor(): string {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (some containers)
  }
  return `cli:${user}`;
}
