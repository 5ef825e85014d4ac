// Builds the CDK app: one FailoverGuard stack per guard region of the topology, checked by cdk-nag.
import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { resolve } from 'node:path';
import { auditTopology } from '../lambdas/domain/audit/spof-audit';
import type { Topology } from '../lambdas/domain/config/schema';
import { ConfigError } from '../lambdas/domain/errors';
import { guardRegions } from '../lambdas/domain/config/targets';
import { ExitCode, InputError, processIo, type CliIo } from '../lambdas/contracts/command-io';
import { readTopologyFile } from '../lambdas/adapters/topology-file';
import type { FailoverGuardProps } from './failover-guard';
import { FailoverGuardStack, guardStackName } from './failover-guard-stack';
import { projectRoot } from './handler-bundling';

/** Context key naming the topology file: `cdk synth -c config=path/to/topology.json`. */
export const CONFIG_CONTEXT_KEY = 'config';
export const DEFAULT_CONFIG_PATH = 'examples/two-region.json';
/** Context key reserving concurrency for both functions: `cdk deploy -c reserveConcurrency=true`. */
export const RESERVE_CONCURRENCY_CONTEXT_KEY = 'reserveConcurrency';

export interface CreateAppOptions {
  /** App properties (context, outdir). @default - an App reading the CLI's context */
  readonly appProps?: AppProps;
  /**
   * The topology file.
   * @default - the `config` context value, else examples/two-region.json (relative paths from the working directory, the default from the project root)
   */
  readonly configPath?: string;
  /** Run the cdk-nag AwsSolutions checks during synthesis. @default - true */
  readonly nagChecks?: boolean;
  /** Construct options beyond the topology, for every stack. @default - the construct's defaults */
  readonly guard?: Omit<FailoverGuardProps, 'topology'>;
}

export interface GuardApp {
  readonly app: App;
  readonly topology: Topology;
  /** One per guard region, in guard order; the first owns the global table. */
  readonly stacks: readonly FailoverGuardStack[];
}

export function configPathFor(app: App, configPath?: string): string {
  const fromContext = app.node.tryGetContext(CONFIG_CONTEXT_KEY) as string | undefined;
  const chosen = configPath ?? fromContext;
  return chosen ? resolve(chosen) : resolve(projectRoot, DEFAULT_CONFIG_PATH);
}

/** The `reserveConcurrency` context as a boolean (`-c` passes the text "true"/"false"); absent: undefined. */
export function reserveConcurrencyFor(app: App): boolean | undefined {
  const value: unknown = app.node.tryGetContext(RESERVE_CONCURRENCY_CONTEXT_KEY);
  if (value === undefined) return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(
    `Context ${RESERVE_CONCURRENCY_CONTEXT_KEY} is ${JSON.stringify(value)}, expected true or false: pass -c ${RESERVE_CONCURRENCY_CONTEXT_KEY}=true or leave it out.`,
  );
}

/** A drill topology deploys cleanly and then reads every target UNHEALTHY: refused before anything is built. */
function refuseLoopbackTopology(topology: Topology, source: string): void {
  const loopback = auditTopology(topology).find((f) => f.code === 'LOOPBACK_TOPOLOGY');
  if (loopback)
    throw new ConfigError(source, [{ path: '', message: `cannot be deployed: ${loopback.problem}; ${loopback.fix}` }]);
}

/** Reads and validates the topology (a broken one throws ConfigError naming every path), then builds the stacks. */
export async function createApp(options: CreateAppOptions = {}): Promise<GuardApp> {
  const app = new App(options.appProps);
  const configPath = configPathFor(app, options.configPath);
  const topology = await readTopologyFile(configPath);
  refuseLoopbackTopology(topology, configPath);
  // The construct options given in code win over the `-c` context.
  const reserveConcurrency = options.guard?.reserveConcurrency ?? reserveConcurrencyFor(app);
  const guard = { ...options.guard, ...(reserveConcurrency !== undefined && { reserveConcurrency }) };
  const stacks = guardRegions(topology).map(
    (region) => new FailoverGuardStack(app, guardStackName(topology, region), { topology, region, guard }),
  );
  // The first stack creates the global table whose replicas the others use.
  for (const stack of stacks.slice(1))
    stack.addStackDependency(stacks[0]!, 'the first guard region creates the global state table');
  if (options.nagChecks ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, topology, stacks };
}

/**
 * The CDK app's entry (`cdk synth`, `cdk deploy`): builds and synthesizes. A broken or unreadable
 * config prints the same errors as `failover-guard validate`, without a stack trace, and exits 2.
 */
export async function synthesizeApp(options: CreateAppOptions = {}, io: CliIo = processIo): Promise<void> {
  try {
    (await createApp(options)).app.synth();
  } catch (error) {
    if (!(error instanceof ConfigError || error instanceof InputError)) throw error;
    io.stderr(`error: ${error.message}\n`);
    io.setExitCode(ExitCode.BAD_INPUT);
  }
}
