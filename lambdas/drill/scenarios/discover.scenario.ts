// `failover-guard discover` over the drill's in-memory cloud: the draft it would write, checked by the
// same validation `validate` runs, and every record and database of the drill's topology found in it.
import * as z from 'zod/mini';
import { sdkRegionCatalog } from '../../adapters/aws/region-catalog';
import { summarizeTopology } from '../../cli/commands/validate.command';
import { parseTopologyText } from '../../domain/config/load';
import { discover } from '../../engine/discover/discover';
import type { Scenario } from './scenario';

/** One line per item of a section of the draft as written (a section that is not a list shows as itself). */
const compact = (section: unknown) => {
  const items = z.array(z.unknown()).safeParse(section);
  return (items.success ? items.data : section === undefined ? [] : [section]).map(
    (item) => `  ${JSON.stringify(item)}`,
  );
};

export const discoverScenario: Scenario = {
  name: 'discover',
  summary: 'run discover over the in-memory cloud: the topology draft it would write validates and maps every record',
  async run(session, recordResult) {
    const regions = session.topology.regions.map((r) => r.name);
    const expected = 'a draft that validates, every record and database mapped';
    session.timeline.add('operator', `failover-guard discover --region ${regions.join(',')} (the in-memory cloud)`);
    const discovery = await discover(session.cloud.inventory, { regions, zones: [], names: [] });
    const text = JSON.stringify(discovery.topology);
    const draft = parseTopologyText(text, 'the draft', sdkRegionCatalog);
    for (const line of discovery.report.trimEnd().split('\n')) session.timeline.add('info', line);
    const written = discovery.topology;
    session.timeline.add(
      'info',
      [
        'the draft it would write:',
        ...['servers', 'loadBalancers', 'dns', 'databases'].flatMap((k) => [`${k}:`, ...compact(written[k])]),
      ].join('\n'),
    );
    const missing = [
      ...session.topology.dns
        .filter((d) => !draft.dns.some((r) => r.name === d.name && r.type === d.type))
        .map((d) => d.name),
      ...session.topology.databases
        .filter((db) => !draft.databases.some((d) => d.primary.identifier === db.primary.identifier))
        .map((db) => db.id),
    ];
    const passed = missing.length === 0 && discovery.unread.length === 0;
    const detail = passed
      ? `ok: ${summarizeTopology(draft)}`
      : `not in the draft: ${missing.join(', ') || 'nothing'}; unread: ${discovery.unread.length}`;
    session.timeline.add(passed ? 'verified' : 'failed', `${expected}: ${detail}`);
    recordResult({ scenario: this.name, fault: '-', expected, passed, detail });
  },
};
