// Where a lane knowingly differs from AWS. A case named in a lane's differences runs as an expected
// failure (it.fails) with the difference in its title: it stays visible, and it turns red the day the
// lane starts to agree, so the note cannot outlive the difference.
import type { it as vitestIt } from 'vitest';

/** Case name → how this lane differs from AWS there. */
export type Differences<Case extends string> = Partial<Record<Case, string>>;

export function contractCase<Case extends string>(
  test: typeof vitestIt,
  name: Case,
  differences: Differences<Case>,
  body: () => Promise<void>,
): void {
  const difference = differences[name];
  if (difference === undefined) test(name, body);
  else test.fails(`${name} (known difference from AWS: ${difference})`, body);
}
