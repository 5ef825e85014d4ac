// Fault injection for the in-memory cloud: named operations that fail N times, and dark regions.
import { CloudCallError } from '../../ports/errors';

/** An error shaped like an AWS SDK service exception (its name is the AWS error code). */
export function awsError(code: string, message: string): Error {
  const error = new Error(message);
  error.name = code;
  return error;
}

export class FaultInjector {
  private readonly pending = new Map<string, { remaining: number; error?: Error }>();
  private readonly darkRegions = new Set<string>();

  /** The next `times` calls of `operation` (a port method name, e.g. promoteReadReplica) throw. */
  failNext(operation: string, times: number, error?: Error): void {
    if (times <= 0) this.pending.delete(operation);
    else this.pending.set(operation, { remaining: times, ...(error ? { error } : {}) });
  }

  /** Every API call made in this region fails, as when the region is unreachable. */
  setRegionDark(region: string): void {
    this.darkRegions.add(region);
  }

  setRegionLight(region: string): void {
    this.darkRegions.delete(region);
  }

  isRegionDark(region: string): boolean {
    return this.darkRegions.has(region);
  }

  /** Throws the injected fault for this call, if any; called before an operation changes anything. */
  check(operation: string, resource: string, region?: string): void {
    if (region !== undefined && this.darkRegions.has(region)) {
      throw new CloudCallError(operation, resource, awsError('ServiceUnavailable', `region ${region} is unreachable (dark)`), true);
    }
    const fault = this.pending.get(operation);
    if (!fault) return;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.pending.delete(operation);
    throw fault.error ?? new CloudCallError(operation, resource, awsError('ServiceUnavailable', 'injected fault'), true);
  }
}
