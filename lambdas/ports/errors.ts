// Errors the adapters raise in the ports' terms, so the engine never sees an SDK error type.

/** A DNS change batch was refused because the record changed since it was read (CAS lost). */
export class DnsConflictError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DnsConflictError';
  }
}

/** A versioned write lost the compare-and-swap: someone else wrote first. */
export class StateConflictError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StateConflictError';
  }
}

/** A cloud call failed after the SDK's retries; names the service (when known), the operation and the resource. */
export class CloudCallError extends Error {
  readonly service?: string;
  readonly operation: string;
  readonly resource: string;
  /** True when retrying later may succeed (throttling, 5xx, busy zone, wrong state). */
  readonly retryable: boolean;

  constructor(operation: string, resource: string, cause: unknown, retryable: boolean, service?: string) {
    const why = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    super(`${service ? `${service} ` : ''}${operation} on ${resource} failed: ${why}`, { cause });
    this.name = 'CloudCallError';
    if (service !== undefined) this.service = service;
    this.operation = operation;
    this.resource = resource;
    this.retryable = retryable;
  }
}

/** A cloud call the caller's identity is not allowed to make (AccessDenied, UnauthorizedOperation): retrying will not help. */
export class AccessDeniedError extends CloudCallError {
  constructor(operation: string, resource: string, cause: unknown, service?: string) {
    super(operation, resource, cause, false, service);
    this.name = 'AccessDeniedError';
  }
}
