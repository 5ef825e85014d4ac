// The topology the functions guard. `cdk synth` validated it (parseTopology) and esbuild froze the
// result into the bundle as a global constant, so a cold start reads it without I/O or zod.
import type { Topology } from '../domain/config/schema';

declare const FAILOVER_GUARD_TOPOLOGY: string | undefined;

export function bundledTopology(): Topology {
  if (typeof FAILOVER_GUARD_TOPOLOGY !== 'string') {
    throw new Error(
      'No topology is bundled into this function: it was built without the FAILOVER_GUARD_TOPOLOGY define. Deploy it with the FailoverGuard construct (cdk deploy), which bundles the validated config.',
    );
  }
  return JSON.parse(FAILOVER_GUARD_TOPOLOGY) as Topology;
}
