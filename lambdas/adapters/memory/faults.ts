// Fault injection for the in-memory cloud, as hostile as AWS in a regional event: named operations that
// fail N times (throttling, 5xx, any AWS error), dark regions, and calls that are slow or never answer
// (matched by service, operation or region), waited out on the cloud's clock.
import { CloudCallError } from '../../ports/errors';

/** An error shaped like an AWS SDK service exception (its name is the AWS error code). */
export function awsError(code: string, message: string): Error {
  const error = new Error(message);
  error.name = code;
  return error;
}

/** The throttling codes AWS answers with: Route 53 and most APIs, a busy hosted zone, EC2-style APIs. */
export type ThrottlingCode = 'Throttling' | 'PriorRequestNotComplete' | 'RequestLimitExceeded';

/** Which calls a slowness rule applies to; an empty match applies to every call. */
export interface CallMatch {
  /** The AWS service behind the port: Route 53, RDS, CloudWatch, Elastic Load Balancing, SNS, DynamoDB. */
  readonly service?: string;
  /** A port method name, e.g. listRecordSets. */
  readonly operation?: string;
  /** The region the call is made in (Route 53's control plane is us-east-1). */
  readonly region?: string;
}

/** How long a matched call takes: a latency in ms on the cloud's clock, or never answering. */
export type Slowness = number | 'never';

interface SlownessRule {
  readonly match: CallMatch;
  readonly slowness: Slowness;
}

const matches = (match: CallMatch, call: Required<Pick<CallMatch, 'service' | 'operation'>> & { region?: string }) =>
  (match.service === undefined || match.service === call.service) &&
  (match.operation === undefined || match.operation === call.operation) &&
  (match.region === undefined || match.region === call.region);

export class FaultInjector {
  private readonly pending = new Map<string, { remaining: number; error: (resource: string) => Error }>();
  private readonly darkRegions = new Set<string>();
  private slowness: SlownessRule[] = [];

  /** The next `times` calls of `operation` (a port method name, e.g. promoteReadReplica) throw. */
  failNext(operation: string, times: number, error?: Error): void {
    this.failNextWith(
      operation,
      times,
      (resource) =>
        error ?? new CloudCallError(operation, resource, awsError('ServiceUnavailable', 'injected fault'), true),
    );
  }

  /** The next `times` calls of `operation` are throttled with `code` (HTTP 400, retryable), as AWS does under load. */
  throttle(operation: string, times: number, code: ThrottlingCode = 'Throttling'): void {
    this.failNextWith(
      operation,
      times,
      (resource) => new CloudCallError(operation, resource, awsError(code, 'Rate exceeded'), true),
    );
  }

  /** The next `times` calls of `operation` fail with an HTTP 500 InternalFailure (retryable). */
  serverError(operation: string, times: number): void {
    this.failNextWith(
      operation,
      times,
      (resource) =>
        new CloudCallError(
          operation,
          resource,
          awsError('InternalFailure', 'We encountered an internal error. Please try again.'),
          true,
        ),
    );
  }

  private failNextWith(operation: string, times: number, error: (resource: string) => Error): void {
    if (times <= 0) this.pending.delete(operation);
    else this.pending.set(operation, { remaining: times, error });
  }

  /** Matching calls take `slowness` (ms on the cloud's clock, or 'never' answering) until cleared. */
  slow(match: CallMatch, slowness: Slowness): void {
    this.slowness.push({ match, slowness });
  }

  /** Drops every slowness rule equal to `match` (all of them without one). */
  answerNormally(match?: CallMatch): void {
    this.slowness = match ? this.slowness.filter((r) => JSON.stringify(r.match) !== JSON.stringify(match)) : [];
  }

  /** The slowness of one call: the longest matching rule ('never' beats any latency), or undefined. */
  slownessOf(call: { service: string; operation: string; region?: string }): Slowness | undefined {
    const applying = this.slowness.filter((r) => matches(r.match, call)).map((r) => r.slowness);
    if (applying.includes('never')) return 'never';
    const ms = applying.filter((s): s is number => typeof s === 'number');
    return ms.length > 0 ? Math.max(...ms) : undefined;
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
      throw new CloudCallError(
        operation,
        resource,
        awsError('ServiceUnavailable', `region ${region} is unreachable (dark)`),
        true,
      );
    }
    const fault = this.pending.get(operation);
    if (!fault) return;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.pending.delete(operation);
    throw fault.error(resource);
  }
}
