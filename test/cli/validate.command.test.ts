import { describe, expect, it } from 'vitest';
import { exampleTopology, exampleTopologyPath } from '../domain/config/example-topology';
import { runCliCaptured } from './capture-io';
import { useTempDir } from './cli-files';

const files = useTempDir();

describe('failover-guard validate', () => {
  it('prints a one-line summary and exits 0 for a valid config', async () => {
    // Act
    const run = await runCliCaptured('validate', exampleTopologyPath);
    // Assess
    expect(run).toEqual({
      stdout:
        'ok: 4 servers, 4 load balancers, 2 DNS records (8 targets), 1 database (2 replicas), 2 regions: eu-west-1 (primary), eu-central-1 (standby)\n',
      stderr: '',
      exitCode: 0,
    });
  });

  it('lists every problem with its path and exits 2', async () => {
    // Prepare
    const topology = exampleTopology();
    topology.dns[0].targets[0].ip = '10.0.0.300';
    topology.servers[0].region = 'us-west-2';
    const path = files.write('bad.json', topology);
    // Act
    const run = await runCliCaptured('validate', path);
    // Assess
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `error: ${path} is not a valid topology (2 problems):\n` +
        '  dns[0].targets[0].ip: "10.0.0.300" is not an IPv4 address\n' +
        `  servers[0].region: region "us-west-2" is not one of the topology's regions (eu-west-1, eu-central-1)\n`,
    );
  });

  it('names the path and the cause when the file does not exist, and exits 2', async () => {
    // Prepare
    const path = `${files.dir}/missing.json`;
    // Act
    const run = await runCliCaptured('validate', path);
    // Assess
    expect(run).toEqual({
      stdout: '',
      stderr: `error: cannot read the config "${path}" (ENOENT): no such file; check the path\n`,
      exitCode: 2,
    });
  });

  it('says when the path is a directory', async () => {
    // Act
    const run = await runCliCaptured('validate', files.dir);
    // Assess
    expect(run.stderr).toBe(
      `error: cannot read the config "${files.dir}" (EISDIR): it is a directory; name the JSON file inside it\n`,
    );
    expect(run.exitCode).toBe(2);
  });

  it('reports text that is not JSON and exits 2', async () => {
    // Prepare
    const path = files.write('not-json.json', 'name: shop\n');
    // Act
    const run = await runCliCaptured('validate', path);
    // Assess
    expect(run.stderr).toMatch(
      new RegExp(`^error: ${path} is not a valid topology \\(1 problem\\):\\n {2}is not JSON: `),
    );
    expect(run.exitCode).toBe(2);
  });

  it('exits 2 and shows the usage hint when the config argument is missing', async () => {
    // Act
    const run = await runCliCaptured('validate');
    // Assess
    expect(run.stderr).toBe("error: missing required argument 'config'\n(add --help for usage)\n");
    expect(run.exitCode).toBe(2);
  });
});
