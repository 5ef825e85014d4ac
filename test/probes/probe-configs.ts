// Probe configs for the tests, with the schema's defaults filled in as a loaded config has them.
import type { z } from 'zod';
import { probeSchema, type HttpProbe } from '../../lambdas/domain/config/schema';

type HttpProbeFields = Partial<Omit<z.input<typeof probeSchema> & { type: 'http' | 'https' }, 'type' | 'url'>>;

/** An http(s) probe of `url` (its scheme gives the type), defaults as the config loader sets them. */
export function httpProbe(url: string, fields: HttpProbeFields = {}): HttpProbe {
  const probe = probeSchema.parse({ type: url.startsWith('https:') ? 'https' : 'http', url, ...fields });
  if (probe.type === 'tcp') throw new Error('an http(s) URL gives an http(s) probe');
  return probe;
}
