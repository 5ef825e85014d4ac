import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { topologyJsonSchema } from '../../lambdas/domain/config/json-schema';
import { runCliCaptured } from './capture-io';
import { useTempDir } from './cli-files';

const files = useTempDir();
const committedSchemaPath = new URL('../../schema/topology.schema.json', import.meta.url);

describe('failover-guard schema', () => {
  it('prints the JSON Schema generated from the zod schema', async () => {
    // Act
    const run = await runCliCaptured('schema');
    // Assess
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(topologyJsonSchema());
  });

  it('writes the schema to --out and says where', async () => {
    // Prepare
    const out = `${files.dir}/topology.schema.json`;
    // Act
    const run = await runCliCaptured('schema', '--out', out);
    // Assess
    expect(run).toEqual({ stdout: `wrote ${out}\n`, stderr: '', exitCode: 0 });
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(topologyJsonSchema());
  });

  it('refuses an --out that is a directory with exit code 2, writing nothing', async () => {
    const run = await runCliCaptured('schema', '--out', files.dir);
    expect(run).toEqual({
      stdout: '',
      stderr: `error: --out "${files.dir}" is a directory; name a file inside it\n`,
      exitCode: 2,
    });
  });

  it('matches the committed schema/topology.schema.json (regenerate it with `failover-guard schema --out schema/topology.schema.json`)', async () => {
    // Act
    const run = await runCliCaptured('schema');
    // Assess
    expect(readFileSync(committedSchemaPath, 'utf8')).toBe(run.stdout);
  });

  it('describes the config as written: fields with defaults are optional, required ones are listed', () => {
    // Act
    const schema = topologyJsonSchema() as { required: string[]; properties: Record<string, { required?: string[] }> };
    // Assess
    expect(schema.required).toEqual(['name', 'account', 'regions']);
    expect(schema.properties.checks?.required).toBeUndefined();
  });

  it('accepts the example config and rejects an unknown field, as a JSON Schema validator would', () => {
    // Prepare: zod can read a JSON Schema back; validating with it proves the generated schema says what zod says
    const fromJsonSchema = z.fromJSONSchema(topologyJsonSchema() as z.core.JSONSchema.JSONSchema);
    const example = JSON.parse(readFileSync(new URL('../../examples/two-region.json', import.meta.url), 'utf8'));
    // Act + Assess
    expect(fromJsonSchema.safeParse(example).success).toBe(true);
    expect(fromJsonSchema.safeParse({ ...example, colour: 'blue' }).success).toBe(false);
  });
});
