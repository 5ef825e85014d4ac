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
}

export function guardEnvironment(env: NodeJS.ProcessEnv = process.env): GuardEnvironment {
  return {
    region: requiredEnv('AWS_REGION', env),
    tableName: requiredEnv(GuardEnv.tableName, env),
    ...stateRegions(env),
    topicArn: requiredEnv(GuardEnv.topicArn, env),
  };
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
