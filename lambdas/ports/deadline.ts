// The deadline every port call runs under: a cycle starts one (an AbortSignal) and every call made
// inside it, however deep, sees it without being passed it. A call still unanswered when the signal
// aborts fails with a CloudCallError naming the service, so a hung control plane is a failed read.
import { AsyncLocalStorage } from 'node:async_hooks';
import { CloudCallError } from './errors';

const current = new AsyncLocalStorage<AbortSignal>();

/** Runs `work` with `signal` as the deadline of every port call it makes. */
export function withDeadline<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  return current.run(signal, work);
}

/** The deadline of the calls being made now; undefined outside any cycle. */
export function currentDeadline(): AbortSignal | undefined {
  return current.getStore();
}

/** Why a call was cut short: the deadline's own reason (a DeadlineExceededError) or a plain abort. */
export class DeadlineExceededError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeadlineExceeded';
  }
}

/** A deadline signal that aborts after `ms` with a DeadlineExceededError saying how long it was. */
export function deadlineAfter(ms: number, what: string): AbortSignal {
  const controller = new AbortController();
  setTimeout(
    () => controller.abort(new DeadlineExceededError(`no answer within the ${what} of ${ms / 1000} s`)),
    ms,
  ).unref();
  return controller.signal;
}

function deadlineReason(signal: AbortSignal): DeadlineExceededError {
  return signal.reason instanceof DeadlineExceededError
    ? signal.reason
    : new DeadlineExceededError('no answer before the deadline');
}

/**
 * The call's outcome, or a retryable CloudCallError naming `service` once the current deadline passes
 * first. The call itself is not waited for any longer (adapters that can, cancel it on the same signal).
 */
export function raceDeadline<T>(
  service: string,
  operation: string,
  resource: string,
  call: () => Promise<T>,
): Promise<T> {
  const signal = currentDeadline();
  if (!signal) return call();
  const expired = () => new CloudCallError(operation, resource, deadlineReason(signal), true, service);
  if (signal.aborted) return Promise.reject(expired());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(expired());
    // Listening before the call starts: the deadline's error wins over the adapter's own abort error.
    signal.addEventListener('abort', onAbort, { once: true });
    call()
      .then(resolve, reject)
      .finally(() => signal.removeEventListener('abort', onAbort));
  });
}
