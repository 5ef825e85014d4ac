// The environment the FailoverGuard construct gives each function, read once per cold start.
import { GuardEnv, type CheckerScheduleMode } from '../contracts/telemetry-names';

export function requiredEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (!value) {
    throw new Error(
      `Environment variable ${name} is not set: this function expects the environment the FailoverGuard construct gives it. Redeploy with cdk deploy.`,
    );
  }
  return value;
}

export interface GuardEnvironment {
  readonly region: string;
  readonly tableName: string;
  /** The deciding state replicas, home first; unset: the local replica alone. */
  readonly stateRegions?: readonly string[];
  readonly topicArn: string;
  /** Health check id per region whose data-plane record sets this stack keeps it on; unset: none. */
  readonly regionHealthChecks?: Readonly<Record<string, string>>;
}

export function guardEnvironment(env: NodeJS.ProcessEnv = process.env): GuardEnvironment {
  return {
    region: requiredEnv('AWS_REGION', env),
    tableName: requiredEnv(GuardEnv.tableName, env),
    ...stateRegions(env),
    topicArn: requiredEnv(GuardEnv.topicArn, env),
    ...regionHealthChecks(env),
  };
}

/** `region=id,…` from the environment; a function deployed before data-plane failover attaches nothing. */
function regionHealthChecks(env: NodeJS.ProcessEnv): { regionHealthChecks?: Record<string, string> } {
  const entries = (env[GuardEnv.regionHealthChecks] ?? '')
    .split(',')
    .filter((entry) => entry.trim() !== '')
    .map((entry) => {
      const [region, id, ...rest] = entry.split('=').map((part) => part.trim());
      if (!region || !id || rest.length > 0)
        throw new Error(
          `Environment variable ${GuardEnv.regionHealthChecks} has "${entry}", expected region=healthCheckId: redeploy with cdk deploy.`,
        );
      return [region, id] as const;
    });
  return entries.length > 0 ? { regionHealthChecks: Object.fromEntries(entries) } : {};
}

/** The deciding state replicas from the environment; a function deployed before this setting uses its local replica. */
function stateRegions(env: NodeJS.ProcessEnv): { stateRegions?: string[] } {
  const regions = (env[GuardEnv.stateRegions] ?? '')
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '');
  return regions.length > 0 ? { stateRegions: regions } : {};
}

/** The checker's schedule from the environment; a function deployed before schedules existed loops. */
export function checkerScheduleMode(env: NodeJS.ProcessEnv = process.env): CheckerScheduleMode {
  const mode = env[GuardEnv.schedule] ?? 'loop';
  if (mode !== 'loop' && mode !== 'tick') {
    throw new Error(
      `Environment variable ${GuardEnv.schedule} is "${mode}", expected "loop" or "tick": set guard.schedule in the topology (or the construct's schedule prop) and redeploy with cdk deploy.`,
    );
  }
  return mode;
}
