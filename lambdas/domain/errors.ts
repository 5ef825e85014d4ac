// Named errors of the domain: each says what it concerns and why, and keeps the cause.

/** One problem found in a topology config, at a JSON path such as `dns[1].targets[0].ip`. */
export interface ConfigIssue {
  readonly path: string;
  readonly message: string;
}

/** The config is not valid; carries every issue found, not only the first. */
export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];
  readonly source: string;

  constructor(source: string, issues: readonly ConfigIssue[], options?: ErrorOptions) {
    const lines = issues.map((i) => `  ${i.path ? `${i.path}: ` : ''}${i.message}`);
    super(
      `${source} is not a valid topology (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${lines.join('\n')}`,
      options,
    );
    this.name = 'ConfigError';
    this.issues = issues;
    this.source = source;
  }
}

/** The message of anything thrown: an Error's message, else the thrown value as text. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Anything thrown as an Error (a thrown non-Error becomes one with its text), for logs that keep the stack. */
export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
