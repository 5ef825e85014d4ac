// discover over the in-memory cloud: the drill's world read back into a topology that validates,
// re-runs that merge into an edited file and keep the edits, the --zone and --name filters, and
// an AccessDenied reported beside a draft of the rest.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sdkRegionCatalog } from '../../../lambdas/adapters/aws/region-catalog';
import { MemoryCloud } from '../../../lambdas/adapters/memory';
import { awsError } from '../../../lambdas/adapters/memory/faults';
import { parseTopologyText } from '../../../lambdas/domain/config/load';
import type { Topology } from '../../../lambdas/domain/config/schema';
import { discover } from '../../../lambdas/engine/discover/discover';
import { AccessDeniedError } from '../../../lambdas/ports/errors';

const localText = readFileSync(new URL('../../../examples/local.json', import.meta.url), 'utf8');
const local = parseTopologyText(localText, 'examples/local.json', sdkRegionCatalog);
const regions = ['eu-west-1', 'eu-central-1'];
const scope = { regions, zones: [], names: [] };
const validated = (topology: Record<string, unknown>) =>
  parseTopologyText(JSON.stringify(topology), 'draft', sdkRegionCatalog);

/** The drill's world with a first draft of it, validated and as written. */
async function firstDraft() {
  const cloud = MemoryCloud.fromTopology(local);
  const { topology } = await discover(cloud.inventory, scope);
  return { cloud, written: structuredClone(topology), topology: validated(topology) };
}

describe('discover over the in-memory cloud of the drill', () => {
  it('drafts every server, load balancer, record and database of the world, and the draft validates', async () => {
    const { topology: draft } = await firstDraft();
    expect(draft.servers.map((s) => [s.id, s.region, s.ip, s.probe])).toEqual(
      local.servers.map((s) => [
        s.id,
        s.region,
        s.ip,
        {
          type: 'http',
          url: (s.probe as { url: string }).url,
          method: 'GET',
          maxBodyBytes: 65536,
          redirects: 'follow',
          verifyTls: true,
        },
      ]),
    );
    expect(draft.loadBalancers.map((l) => [l.id, l.ips, l.probe])).toEqual(
      local.loadBalancers.map((l) => [l.id, l.ips, { type: 'tcp', host: l.ips[0], port: 18081 }]),
    );
    expect(draft.dns.map((d) => [d.name, d.routing, d.targets.map((t) => t.endpoint)])).toEqual([
      [
        'origin.shop.drill.test',
        'weighted',
        ['web-dub-a', 'web-dub-b', 'web-dub-c', 'web-fra-a', 'web-fra-b', 'web-fra-c'],
      ],
      // Active-passive: only the primary region's load balancers are in the record now.
      ['www.shop.drill.test', 'ip-set', ['lb-dub-1', 'lb-dub-2']],
    ]);
    expect(
      draft.databases.map((db) => [db.primary.identifier, db.replicas.map((r) => r.identifier), db.writerDns.name]),
    ).toEqual([['orders-primary', ['orders-replica-dub', 'orders-replica-fra'], 'db-writer.shop.drill.test']]);
    expect(draft.regions).toEqual(local.regions);
  });

  it('says what it guessed beside the draft', async () => {
    const cloud = MemoryCloud.fromTopology(local);
    const { report } = await discover(cloud.inventory, scope);
    expect(report).toContain('load balancers in no record: lb-fra-1, lb-fra-2');
    expect(report).toContain('eu-west-1 is the primary region: the writer of orders-primary lives there');
  });
});

describe('re-running discover over an existing topology', () => {
  it('keeps every edit the user made', async () => {
    const { cloud, written, topology } = await firstDraft();
    const servers = written.servers as Record<string, unknown>[];
    servers[0] = { ...servers[0], id: 'web-a', probe: { type: 'tcp', host: '127.0.1.11', port: 22 } };
    const dns = written.dns as { targets: { endpoint: string }[] }[];
    for (const record of dns) for (const t of record.targets) if (t.endpoint === 'web-dub-a') t.endpoint = 'web-a';
    const edited = {
      ...written,
      name: 'my-shop',
      checks: { intervalSeconds: 5 },
      notifications: { emails: ['me@shop.example'] },
    };
    const existing = { written: edited, topology: validated(edited) };

    const again = await discover(cloud.inventory, { ...scope, existing });

    expect(again.topology).toEqual(edited);
    expect(again.report).not.toContain('added to the existing topology');
    expect(topology.servers).toHaveLength(6);
  });

  it('refuses to merge into a file whose list is not a list, naming it, instead of dropping what it holds', async () => {
    const { cloud, written } = await firstDraft();
    const existing = { written: { ...written, dns: { www: 'kept as written' } }, topology: validated(written) };

    const again = discover(cloud.inventory, { ...scope, existing });

    await expect(again).rejects.toThrow(
      'the topology file: "dns" is not a list as discover expects; nothing was merged',
    );
  });

  it('adds what is new in the account and reports what is gone, deleting nothing', async () => {
    const { cloud, written } = await firstDraft();
    const servers = written.servers as { id: string; ip: string }[];
    // The file knows a server the account no longer has, and lacks one the account has.
    const withoutFraC = servers.filter((s) => s.id !== 'web-fra-c');
    const ghost = {
      id: 'web-ghost',
      region: 'eu-west-1',
      ip: '127.0.1.99',
      probe: { type: 'tcp', host: '127.0.1.99', port: 80 },
    };
    const dns = (written.dns as { id: string; targets: { endpoint: string }[] }[]).map((d) => ({
      ...d,
      targets: d.targets.filter((t) => t.endpoint !== 'web-fra-c'),
    }));
    const edited = { ...written, servers: [...withoutFraC, ghost], dns };
    const existing = { written: edited, topology: validated(edited) };

    const again = await discover(cloud.inventory, { ...scope, existing });

    const merged = validated(again.topology);
    expect(merged.servers.map((s) => s.id)).toContain('web-fra-c');
    expect(merged.servers.map((s) => s.id)).toContain('web-ghost');
    expect(merged.dns.find((d) => d.name === 'origin.shop.drill.test')?.targets.map((t) => t.endpoint)).toContain(
      'web-fra-c',
    );
    expect(again.report).toContain('  - server web-fra-c');
    expect(again.report).toContain('  - record origin.shop.drill.test: targets web-fra-c');
    expect(again.report).toContain('gone from the account (kept in the file; delete what is gone for good):');
    expect(again.report).toContain('  - server web-ghost: no instance or target in eu-west-1 has 127.0.1.99');
  });

  it('adds a new region as a standby, never changing which one is primary', async () => {
    const { cloud, written } = await firstDraft();
    const oneRegion: Topology['regions'] = [{ name: 'eu-central-1', role: 'primary' }];
    const edited = {
      ...written,
      regions: oneRegion,
      servers: (written.servers as { region: string }[]).filter((s) => s.region === 'eu-central-1'),
      loadBalancers: [],
      dns: [],
      databases: [],
    };
    const again = await discover(cloud.inventory, {
      ...scope,
      existing: { written: edited, topology: validated(edited) },
    });
    expect(validated(again.topology).regions).toEqual([
      { name: 'eu-central-1', role: 'primary' },
      { name: 'eu-west-1', role: 'standby' },
    ]);
  });
});

describe('filters', () => {
  it('--name drafts only the records named, with the endpoints behind them', async () => {
    const cloud = MemoryCloud.fromTopology(local);
    const { topology } = await discover(cloud.inventory, { ...scope, names: ['www.shop.drill.test'] });
    const draft = validated(topology);
    expect(draft.dns.map((d) => d.name)).toEqual(['www.shop.drill.test']);
    expect(draft.loadBalancers.map((l) => l.id)).toEqual(['lb-dub-1', 'lb-dub-2']);
    expect(draft.servers.map((s) => s.id)).toEqual(['web-dub-a', 'web-dub-b', 'web-dub-c']);
    expect(draft.databases).toEqual([]);
  });

  it('--name takes * patterns, which also select writer names', async () => {
    const cloud = MemoryCloud.fromTopology(local);
    const { topology } = await discover(cloud.inventory, { ...scope, names: ['db-*.shop.drill.test'] });
    const draft = validated(topology);
    expect(draft.dns).toEqual([]);
    expect(draft.databases.map((d) => d.writerDns.name)).toEqual(['db-writer.shop.drill.test']);
  });

  it('--zone reads only the zones named, by id or name', async () => {
    const cloud = MemoryCloud.fromTopology(local);
    const byName = await discover(cloud.inventory, { ...scope, zones: ['shop.drill.test.'] });
    expect(validated(byName.topology).dns).toHaveLength(2);
    const other = await discover(cloud.inventory, { ...scope, zones: ['Z0OTHER'] });
    expect(validated(other.topology).dns).toEqual([]);
    expect(other.report).toContain('read: 0 hosted zones (0 record sets)');
  });

  it('--region reads only the regions named', async () => {
    const cloud = MemoryCloud.fromTopology(local);
    const { topology, report } = await discover(cloud.inventory, { ...scope, regions: ['eu-central-1'] });
    const draft = validated(topology);
    expect(draft.regions).toEqual([{ name: 'eu-central-1', role: 'primary' }]);
    expect(draft.dns.map((d) => [d.name, d.targets.length])).toEqual([['origin.shop.drill.test', 3]]);
    expect(report).toContain(
      'A www.shop.drill.test: none of its answers (127.0.1.101, 127.0.1.102) is a load balancer or instance in the regions read',
    );
  });
});

describe('partial permissions', () => {
  it('reports the service it could not read and drafts the rest', async () => {
    const cloud = MemoryCloud.fromTopology(local);
    const denied = new AccessDeniedError(
      'listInstances',
      'eu-central-1',
      awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.'),
      'EC2',
    );
    cloud.failNext('listInstances', 2, denied);
    const { topology, unread, report } = await discover(cloud.inventory, scope);
    expect(unread).toEqual([
      { service: 'EC2', region: 'eu-west-1', reason: denied.message },
      { service: 'EC2', region: 'eu-central-1', reason: denied.message },
    ]);
    expect(report).toContain(
      'EC2 in eu-west-1 could not be read: EC2 listInstances on eu-central-1 failed: UnauthorizedOperation',
    );
    expect(report).toContain('instances unread');
    const draft = validated(topology);
    expect(draft.loadBalancers).toHaveLength(4);
  });
});
