// `discover` end to end, whatever the cloud: read the inventory, draft a topology, merge it into an
// existing one when given, and say what was guessed, not mapped, not read, added and gone.
import type { Topology } from '../../domain/config/schema';
import { ConfigError } from '../../domain/errors';
import type { AccountInventoryPort } from '../../ports/account-inventory.port';
import { nameInScope } from './draft-records';
import { accountOf, draftTopology } from './draft-topology';
import { formatDiscoveryReport } from './format-discovery';
import { goneFromAccount } from './gone-from-account';
import { mergeDraft } from './merge-draft';
import { readInventory, type UnreadService } from './read-inventory';

export interface DiscoverOptions {
  /** Regions to read, in order: the first is the primary when nothing else tells. */
  readonly regions: readonly string[];
  /** Hosted zones to read (ids or names); empty reads every zone. */
  readonly zones: readonly string[];
  /** Record names or * patterns to draft; empty drafts everything read. */
  readonly names: readonly string[];
  /** @default - the existing topology's, else the account of the first ARN read */
  readonly account?: string;
  /** The existing topology to merge into: as written (parsed JSON) and validated. */
  readonly existing?: { readonly written: Record<string, unknown>; readonly topology: Topology };
}

export interface Discovery {
  /** The draft, or the existing topology with the draft merged in: JSON to write. */
  readonly topology: Record<string, unknown>;
  /** The report to show beside it. */
  readonly report: string;
  /** Services that could not be read (AccessDenied): the draft lacks what they hold. */
  readonly unread: readonly UnreadService[];
}

export async function discover(port: AccountInventoryPort, options: DiscoverOptions): Promise<Discovery> {
  const inventory = await readInventory(port, { regions: options.regions, zones: options.zones });
  const existing = options.existing?.topology;
  const account = options.account ?? existing?.account ?? accountOf(inventory);
  if (account === undefined) {
    throw new ConfigError('the draft', [
      { path: 'account', message: 'could not be told from any ARN read; pass --account <12 digits>' },
    ]);
  }
  const firstZone = inventory.zones?.[0]?.zone.name.split('.')[0];
  const draft = draftTopology(inventory, {
    account,
    name: existing?.name ?? firstZone?.replace(/[^A-Za-z0-9._-]/g, '-') ?? 'discovered',
    regions: options.regions,
    names: options.names,
  });
  if (!options.existing) {
    return {
      topology: draft.topology,
      report: formatDiscoveryReport({ inventory, notes: draft.notes }),
      unread: inventory.unread,
    };
  }
  const merged = mergeDraft(options.existing.written, options.existing.topology, draft.topology);
  const gone = goneFromAccount(options.existing.topology, inventory, (name) => nameInScope(name, options.names));
  return {
    topology: merged.topology,
    report: formatDiscoveryReport({ inventory, notes: draft.notes, added: merged.added, gone }),
    unread: inventory.unread,
  };
}
