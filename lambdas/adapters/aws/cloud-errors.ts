// Turns an AWS SDK error that survived the SDK's retries into the ports' CloudCallError.
import { AccessDeniedError, CloudCallError } from '../../ports/errors';

/** Codes that say the service could not be reached or did not answer (not a throttle, not a refusal). */
const UNREACHABLE = [
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'ServiceUnavailable',
  'InternalFailure',
  'InternalServerError',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
];
const UNREACHABLE_CODES = new Set(UNREACHABLE);

/** Codes worth retrying later: throttling (as the SDK's standard strategy classifies it), transient, wrong state for now. */
const RETRYABLE_CODES = new Set([
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'TransactionInProgressException',
  'InvalidDBInstanceStateFault',
  'InvalidDBClusterStateFault',
  'InvalidGlobalClusterStateFault',
  ...UNREACHABLE,
]);

interface SdkErrorShape {
  name?: string;
  code?: string;
  $fault?: string;
  $metadata?: { httpStatusCode?: number };
}

/** The AWS error code of an SDK error (its name), or a Node network error code. */
function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as SdkErrorShape;
  return e.code && /^E[A-Z]+$/.test(e.code) ? e.code : e.name;
}

export function isRetryable(error: unknown): boolean {
  const code = errorCode(error);
  if (code !== undefined && RETRYABLE_CODES.has(code)) return true;
  const e = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  return e.$fault === 'server' || (e.$metadata?.httpStatusCode ?? 0) >= 500;
}

/**
 * Whether a failed call (an SDK error, or a CloudCallError wrapping one) says the endpoint is unreachable
 * or failing on its side, as in a regional outage; throttling and refusals are not.
 */
export function isUnreachable(error: unknown): boolean {
  const cause = error instanceof CloudCallError ? error.cause : error;
  const code = errorCode(cause);
  if (code !== undefined && UNREACHABLE_CODES.has(code)) return true;
  if (code !== undefined && RETRYABLE_CODES.has(code)) return false;
  const e = (typeof cause === 'object' && cause !== null ? cause : {}) as SdkErrorShape;
  return e.$fault === 'server' || (e.$metadata?.httpStatusCode ?? 0) >= 500;
}

/** The codes AWS services answer when the caller's policy does not allow the call. */
const ACCESS_DENIED_CODES = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation']);

/** Names the service, operation and resource, keeps the SDK error as the cause; a refused permission is an AccessDeniedError. */
export function toCloudCallError(service: string, operation: string, resource: string, error: unknown): CloudCallError {
  if (error instanceof CloudCallError) return error;
  const code = errorCode(error);
  if (code !== undefined && ACCESS_DENIED_CODES.has(code))
    return new AccessDeniedError(operation, resource, error, service);
  return new CloudCallError(operation, resource, error, isRetryable(error), service);
}

/** Runs one SDK call, mapping any error that survived the SDK's retries to a CloudCallError. */
export async function callAws<T>(
  service: string,
  operation: string,
  resource: string,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toCloudCallError(service, operation, resource, error);
  }
}
