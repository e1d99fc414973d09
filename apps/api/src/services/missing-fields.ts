const PREFIX = 'missing_information:';

/** Missing fields as reported: global gaps from the fields stage, a team's own from the decision's reasons. */
export function missingFieldNames(stageMissing: readonly string[], reasons: readonly string[]): string[] {
  return [...new Set([...stageMissing, ...reasons.filter((r) => r.startsWith(PREFIX)).map((r) => r.slice(PREFIX.length))])];
}
