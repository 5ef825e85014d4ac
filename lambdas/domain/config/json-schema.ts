// The editors' JSON Schema of the topology config, generated from the zod schema (one source).
import { z } from 'zod';
import { topologySchema } from './schema';

/** JSON Schema (draft 2020-12) of the config as written: fields with defaults are optional. */
export function topologyJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(topologySchema, { io: 'input', unrepresentable: 'any' }),
    title: 'Failover Guard topology',
  };
}

/** The committed file's exact text (schema/topology.schema.json). */
export function topologyJsonSchemaText(): string {
  return `${JSON.stringify(topologyJsonSchema(), null, 2)}\n`;
}
