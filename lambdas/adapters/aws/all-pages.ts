// Follows a list API's pages to the end, each page one SDK call mapped to CloudCallError on failure.
import { CloudCallError } from '../../ports/errors';
import { callAws } from './cloud-errors';

export interface PageCall<P, T> {
  readonly service: string;
  readonly operation: string;
  readonly resource: string;
  /** One page, from the token the previous page gave (undefined for the first). */
  readonly fetch: (token: T | undefined) => Promise<P>;
  /** The next page's token, undefined on the last page. */
  readonly next: (page: P) => T | undefined;
}

/** Every page, in order. A next token equal to the one just used fails the read instead of looping for ever. */
export async function allPages<P, T>(call: PageCall<P, T>): Promise<P[]> {
  const pages: P[] = [];
  let token: T | undefined;
  for (;;) {
    const used = token;
    const page = await callAws(call.service, call.operation, call.resource, () => call.fetch(used));
    pages.push(page);
    token = call.next(page);
    if (token === undefined) return pages;
    if (JSON.stringify(token) === JSON.stringify(used)) {
      const stuck = new Error(`the listing did not advance: the next page starts at ${JSON.stringify(token)} again`);
      throw new CloudCallError(call.operation, call.resource, stuck, true, call.service);
    }
  }
}
