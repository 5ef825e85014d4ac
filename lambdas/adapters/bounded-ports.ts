// The ports with every call bounded by the current deadline (ports/deadline.ts), whatever adapter is
// behind them: a call that has not answered when the cycle's deadline passes fails, naming the service.
import type { GuardPorts } from '../ports/guard-ports';
import { raceDeadline } from '../ports/deadline';

/** The AWS service behind each port method, as named in the error of a call that ran out. */
const SERVICES = {
  dns: { listRecordSets: 'Route 53', changeRecordSets: 'Route 53', changeStatus: 'Route 53' },
  database: {
    describeInstance: 'RDS',
    describeCluster: 'RDS',
    describeGlobalCluster: 'RDS',
    replicaLagSeconds: 'CloudWatch',
    promoteReadReplica: 'RDS',
    failoverCluster: 'RDS',
    failoverGlobalCluster: 'RDS',
    stopInstance: 'RDS',
    isolateInstance: 'RDS',
  },
  loadBalancer: { describeTargetHealth: 'Elastic Load Balancing' },
  notifier: { publish: 'SNS' },
  store: {
    get: 'DynamoDB',
    list: 'DynamoDB',
    put: 'DynamoDB',
    acquireLease: 'DynamoDB',
    releaseLease: 'DynamoDB',
    appendAudit: 'DynamoDB',
    listAudit: 'DynamoDB',
  },
} as const satisfies { readonly [P in keyof GuardPorts]: { readonly [M in keyof GuardPorts[P]]: string } };

/** The call's resource for the error: its plain arguments (region, identifier, zone, namespace/name). */
function resourceOf(args: readonly unknown[]): string {
  const plain = args.filter((a): a is string | number => typeof a === 'string' || typeof a === 'number');
  return plain.length > 0 ? plain.join('/') : 'the call';
}

/** One port call as a wrapper sees it. */
export interface PortCall {
  readonly port: keyof GuardPorts;
  readonly method: string;
  readonly service: string;
  readonly args: readonly unknown[];
  readonly invoke: () => Promise<unknown>;
}

/** `ports` with every port method's call passed through `wrap`. */
export function wrapPortCalls(ports: GuardPorts, wrap: (call: PortCall) => Promise<unknown>): GuardPorts {
  const wrapPort = <K extends keyof GuardPorts>(port: K): GuardPorts[K] => {
    const target = ports[port] as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    const wrapped: Record<string, unknown> = {};
    for (const [method, service] of Object.entries(SERVICES[port])) {
      // Looked up at each call: a method replaced later (a test's spy) is the one called.
      wrapped[method] = (...args: unknown[]) =>
        wrap({ port, method, service, args, invoke: () => target[method]!.apply(target, args) });
    }
    return wrapped as unknown as GuardPorts[K];
  };
  return {
    dns: wrapPort('dns'),
    database: wrapPort('database'),
    loadBalancer: wrapPort('loadBalancer'),
    notifier: wrapPort('notifier'),
    store: wrapPort('store'),
  };
}

/** `ports` with every call racing the current deadline. */
export function boundedPorts(ports: GuardPorts): GuardPorts {
  return wrapPortCalls(ports, (call) => raceDeadline(call.service, call.method, resourceOf(call.args), call.invoke));
}
