// A chaos schedule: the settings of one random world and the events that happen to it, as plain data
// (printed as JSON for replay), and the fast-check arbitraries that generate them.
import fc from 'fast-check';

export interface ChaosSettings {
  /** Checker regions (each a guard region): eu-west-1 primary, eu-central-1 standby, eu-north-1 a third voice. */
  readonly regions: 2 | 3;
  readonly mode: 'auto' | 'approval' | 'off';
  /** Every cycle and failback of the schedule runs dry. */
  readonly dryRun: boolean;
  /** How long a PromoteReadReplica takes on the cloud's clock (slow ones outlast promotionTimeoutSeconds). */
  readonly promotionMs: number;
}

/** Operations a throttle or an outage can hit (port method names of the in-memory cloud). */
export const FAULTABLE_OPERATIONS = [
  'changeRecordSets',
  'listRecordSets',
  'changeStatus',
  'promoteReadReplica',
  'describeInstance',
  'replicaLagSeconds',
  'get',
  'list',
  'put',
  'acquireLease',
  'releaseLease',
  'publish',
  'appendAudit',
] as const;

export type ChaosEvent =
  /** `count` times: every running checker runs one cycle, in guard order; then the clock moves 10 s. */
  | { readonly kind: 'round'; readonly count: number }
  /** One checker runs one cycle. */
  | { readonly kind: 'cycle'; readonly checker: number }
  /** Invocations run at the same time (the same checker twice is an overlapping invocation). */
  | { readonly kind: 'concurrent'; readonly checkers: readonly number[] }
  /** The invocation dies after this many port calls: the calls after it never return. */
  | { readonly kind: 'crash'; readonly checker: number; readonly afterCalls: number }
  /** A checker plans now and executes later (at the next `execute-late`, or when the schedule heals). */
  | { readonly kind: 'plan-late'; readonly checker: number }
  | { readonly kind: 'execute-late' }
  | { readonly kind: 'server'; readonly server: number; readonly up: boolean }
  /** The instance the writer name points at fails. */
  | { readonly kind: 'primary-fails' }
  | { readonly kind: 'region'; readonly region: number; readonly dark: boolean }
  /** The checker's probes all fail (cut off from the network, its APIs still answer). */
  | { readonly kind: 'blind'; readonly checker: number; readonly blind: boolean }
  /** The next `times` calls of an operation are throttled (or fail with a 5xx). */
  | {
      readonly kind: 'throttle';
      readonly operation: (typeof FAULTABLE_OPERATIONS)[number];
      readonly times: number;
      readonly outage: boolean;
    }
  /** Reads of a service lag its writes for `ms` (0: they stop lagging), as AWS's eventually consistent reads do. */
  | { readonly kind: 'stale'; readonly service: (typeof STALE_READ_SERVICES)[number]; readonly ms: number }
  | { readonly kind: 'skew'; readonly checker: number; readonly ms: number }
  | { readonly kind: 'lag'; readonly replica: number; readonly seconds: number }
  | { readonly kind: 'approve' }
  /** An operator runs `failback` to the primary region from this checker's context. */
  | { readonly kind: 'failback'; readonly checker: number }
  | { readonly kind: 'pause'; readonly paused: boolean }
  | { readonly kind: 'advance'; readonly ms: number };

export interface ChaosSchedule {
  readonly settings: ChaosSettings;
  readonly events: readonly ChaosEvent[];
}

const checker = fc.nat({ max: 2 });

/** The services whose reads the in-memory cloud can make lag its writes. */
export const STALE_READ_SERVICES = ['Route 53', 'RDS', 'Elastic Load Balancing'] as const;

const event: fc.Arbitrary<ChaosEvent> = fc.oneof(
  { weight: 14, arbitrary: fc.integer({ min: 1, max: 6 }).map((count): ChaosEvent => ({ kind: 'round', count })) },
  { weight: 3, arbitrary: checker.map((c): ChaosEvent => ({ kind: 'cycle', checker: c })) },
  {
    weight: 3,
    arbitrary: fc
      .array(checker, { minLength: 2, maxLength: 3 })
      .map((cs): ChaosEvent => ({ kind: 'concurrent', checkers: cs })),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({ checker, afterCalls: fc.nat({ max: 60 }) })
      .map((r): ChaosEvent => ({ kind: 'crash', ...r })),
  },
  { weight: 1, arbitrary: checker.map((c): ChaosEvent => ({ kind: 'plan-late', checker: c })) },
  { weight: 1, arbitrary: fc.constant<ChaosEvent>({ kind: 'execute-late' }) },
  {
    weight: 3,
    arbitrary: fc
      .record({ server: fc.nat({ max: 3 }), up: fc.boolean() })
      .map((r): ChaosEvent => ({ kind: 'server', ...r })),
  },
  { weight: 1, arbitrary: fc.constant<ChaosEvent>({ kind: 'primary-fails' }) },
  {
    weight: 4,
    arbitrary: fc
      .record({ region: fc.nat({ max: 1 }), dark: fc.boolean() })
      .map((r): ChaosEvent => ({ kind: 'region', ...r })),
  },
  {
    weight: 1,
    arbitrary: fc.record({ checker, blind: fc.boolean() }).map((r): ChaosEvent => ({ kind: 'blind', ...r })),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({
        operation: fc.constantFrom(...FAULTABLE_OPERATIONS),
        times: fc.integer({ min: 1, max: 4 }),
        outage: fc.boolean(),
      })
      .map((r): ChaosEvent => ({ kind: 'throttle', ...r })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ service: fc.constantFrom(...STALE_READ_SERVICES), ms: fc.constantFrom(0, 30_000, 90_000, 200_000) })
      .map((r): ChaosEvent => ({ kind: 'stale', ...r })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ checker, ms: fc.integer({ min: -20_000, max: 20_000 }) })
      .map((r): ChaosEvent => ({ kind: 'skew', ...r })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ replica: fc.nat({ max: 1 }), seconds: fc.constantFrom(0, 5, 120) })
      .map((r): ChaosEvent => ({ kind: 'lag', ...r })),
  },
  { weight: 2, arbitrary: fc.constant<ChaosEvent>({ kind: 'approve' }) },
  { weight: 1, arbitrary: checker.map((c): ChaosEvent => ({ kind: 'failback', checker: c })) },
  { weight: 1, arbitrary: fc.boolean().map((paused): ChaosEvent => ({ kind: 'pause', paused })) },
  { weight: 2, arbitrary: fc.integer({ min: 1_000, max: 600_000 }).map((ms): ChaosEvent => ({ kind: 'advance', ms })) },
);

/** Promotion times; the slow ones outlast the engine's promotionTimeoutSeconds (600 s in the chaos world). */
const QUICK_PROMOTIONS_MS = [20_000, 60_000] as const;
const SLOW_PROMOTIONS_MS = [1_200_000, 2_400_000] as const;

function settingsArbitrary(slowPromotions: boolean): fc.Arbitrary<ChaosSettings> {
  return fc.record({
    regions: fc.constantFrom<2 | 3>(2, 3),
    mode: fc.constantFrom<'auto' | 'approval' | 'off'>('auto', 'auto', 'approval', 'off'),
    dryRun: fc.constantFrom(false, false, false, true),
    promotionMs: fc.constantFrom(...QUICK_PROMOTIONS_MS, ...(slowPromotions ? SLOW_PROMOTIONS_MS : [])),
  });
}

/** Schedules of up to `maxEvents` events; `slowPromotions` adds promotions that outlast the engine's timeout. */
export function scheduleArbitrary(maxEvents: number, slowPromotions: boolean): fc.Arbitrary<ChaosSchedule> {
  return fc.record({
    settings: settingsArbitrary(slowPromotions),
    events: fc.array(event, { minLength: 1, maxLength: maxEvents }),
  });
}
