// The apex of an in-memory hosted zone, which is known only by its id and its records' names.
import { normaliseDnsName } from '../../ports/record-sets';

/**
 * The apex of a zone known only by its id: the labels every name in it ends with. A zone whose
 * records share one name (or one record) is taken to be that name's parent, as a zone is rarely a host.
 */
export function zoneApex(names: readonly string[]): string | undefined {
  const labelLists = names.map((n) => normaliseDnsName(n).split('.').reverse());
  const [first, ...rest] = labelLists;
  if (!first) return undefined;
  let shared = 0;
  while (shared < first.length && rest.every((labels) => labels[shared] === first[shared])) shared += 1;
  const apexLabels = first.slice(0, shared);
  if (labelLists.some((labels) => labels.length === apexLabels.length) && apexLabels.length > 2) apexLabels.pop();
  return apexLabels.length > 0 ? apexLabels.reverse().join('.') : undefined;
}
