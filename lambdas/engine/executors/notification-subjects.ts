// What each notification's subject says, one template per event type: what happened and where, in
// words an on-call engineer reads at a glance. Names are headline names, so a long record name is
// shortened and the verb stays. The eventType and the JSON body do not depend on these words.
import { headline, words, type Headline } from '../../domain/notifications/notification-builder';
import { RegionActionKind } from '../region/region-planner';
import type { ActionOutcome, AlertEventType, ExtensionAction, PlanAlert, PlannedAction } from '../types';

/** One headline for every outcome, or what was done and (planned, held, failed) what was to be done. */
type Phrase = Headline | { readonly done: Headline; readonly pending: Headline };

type EngineActionKind = Exclude<PlannedAction['kind'], ExtensionAction['kind']>;
type RegionActionKindName = (typeof RegionActionKind)[keyof typeof RegionActionKind];
type ActionOf<K extends string> = PlannedAction extends infer A
  ? A extends { readonly kind: infer AK }
    ? K extends AK
      ? A
      : never
    : never
  : never;

/** The target group's name out of its ARN (…:targetgroup/<name>/<id>). */
const targetGroupName = (arn: string): string => arn.split('/').slice(-2, -1)[0] ?? arn;

const ENGINE_ACTION_SUBJECTS: { readonly [K in EngineActionKind]: (action: ActionOf<K>) => Phrase } = {
  'dns.pull': (a) => headline`pull ${a.endpoint} from ${a.resource}`,
  'dns.restore': (a) => headline`restore ${a.endpoint} to ${a.resource}`,
  'dns.attach-health-check': (a) => ({
    done: headline`${a.region} health check on ${a.setIdentifier} of ${a.resource}`,
    pending: headline`put ${a.region} health check on ${a.setIdentifier} of ${a.resource}`,
  }),
  'database.promote': (a) => headline`promote ${a.candidate} for database ${a.databaseId}`,
  'database.repoint-writer': (a) =>
    headline`${a.databaseId} writer -> ${a.newPrimary}; ${a.redundancy.replicas.length} replica(s) of it left`,
  'database.abandon': (a) => headline`give up failover of database ${a.databaseId}`,
  'database.fence': (a) =>
    a.step === 'lift'
      ? headline`fence of ${a.member} of ${a.databaseId} lifted: a replica of the writer again`
      : a.step === 'confirm'
        ? headline`old primary ${a.member} of ${a.databaseId} fenced (${a.mode === 'stop' ? 'stopped' : 'isolated'})`
        : {
            done: headline`fencing old primary ${a.member} of ${a.databaseId} (${a.mode})`,
            pending: headline`fence old primary ${a.member} of ${a.databaseId} (${a.mode})`,
          },
  'load-balancer.targets-unhealthy': (a) =>
    headline`${a.unhealthy.length} unhealthy target(s) in ${targetGroupName(a.resource)}`,
  'load-balancer.targets-recovered': (a) => headline`targets healthy again in ${targetGroupName(a.resource)}`,
  'readiness.lost': (a) =>
    headline`not ready for failover: ${a.notReady.length} check(s) fail (${a.notReady[0]?.rule ?? ''} ${a.notReady[0]?.resource ?? ''})`,
  'readiness.restored': () => headline`ready for failover again: every readiness check passes`,
};

/** What the region planner puts in a runbook action's data for its subject. */
interface RunbookFacts {
  readonly flow: Headline;
  readonly from: string;
  readonly to: string;
  /** " (step 2/5)", or nothing for an action that is no step. */
  readonly step: Headline;
  /** The records or databases the step moves: the first, and how many more; undefined when none. */
  readonly names?: Headline;
}

/** "www.shop.example.com +1 more": one name stays readable in a subject where a list would be cut. */
function firstAndCount([first = '', ...rest]: readonly string[]): Headline {
  return rest.length > 0 ? headline`${first} +${rest.length} more` : headline`${first}`;
}

function runbookFacts(action: ExtensionAction): RunbookFacts {
  const { data } = action;
  const text = (key: string) => (typeof data[key] === 'string' ? (data[key] as string) : '');
  const { stepNumber, stepCount, subjectNames } = data;
  return {
    flow: words(text('flow') || 'failover'),
    from: text('fromRegion') || action.resource.replace(/^region /, ''),
    to: text('toRegion') || action.region,
    step:
      typeof stepNumber === 'number' && typeof stepCount === 'number'
        ? headline` (step ${stepNumber}/${stepCount})`
        : words(''),
    ...(Array.isArray(subjectNames) && subjectNames.length > 0
      ? { names: firstAndCount(subjectNames.map(String)) }
      : {}),
  };
}

const REGION_ACTION_SUBJECTS: {
  readonly [K in RegionActionKindName]: (action: ExtensionAction, facts: RunbookFacts) => Phrase;
} = {
  [RegionActionKind.REQUEST_APPROVAL]: (_a, { from, to }) => ({
    done: headline`region ${from} is dark; failover to ${to} waits for approval`,
    pending: headline`ask approval to fail over ${from} -> ${to}`,
  }),
  [RegionActionKind.START]: (_a, { from, to, step }) => ({
    done: headline`region failover ${from} -> ${to} started${step}`,
    pending: headline`start region failover ${from} -> ${to}${step}`,
  }),
  [RegionActionKind.CANCEL]: (_a, { from, to }) => ({
    done: headline`failover ${from} -> ${to} cancelled before any move; ${from} is back`,
    pending: headline`cancel failover ${from} -> ${to}`,
  }),
  [RegionActionKind.ABORT]: (_a, { flow, from, to }) => ({
    done: headline`region ${flow} ${from} -> ${to} aborted; see what to do`,
    pending: headline`abort region ${flow} ${from} -> ${to}`,
  }),
  [RegionActionKind.ANNOUNCE]: (_a, { flow, from, to, step }) => ({
    done: headline`region ${flow} ${from} -> ${to} started${step}`,
    pending: headline`start region ${flow} ${from} -> ${to}${step}`,
  }),
  [RegionActionKind.PROMOTE]: (a, { to, step, names }) =>
    !names
      ? headline`no database to promote in ${to}${step}`
      : a.data['complete'] === true
        ? {
            done: headline`${names} promoted in ${to}${step}`,
            pending: headline`confirm ${names} promoted in ${to}${step}`,
          }
        : { done: headline`promoting ${names} in ${to}${step}`, pending: headline`promote ${names} in ${to}${step}` },
  [RegionActionKind.MOVE_DNS]: (_a, { to, step, names }) =>
    !names
      ? headline`no DNS record to move to ${to}${step}`
      : {
          done: headline`DNS moved to ${to} (${names})${step}`,
          pending: headline`move DNS to ${to} (${names})${step}`,
        },
  [RegionActionKind.REPOINT_WRITER]: (_a, { to, step, names }) =>
    !names
      ? headline`no writer name to move to ${to}${step}`
      : {
          done: headline`writer of ${names} moved to ${to}${step}`,
          pending: headline`point writer of ${names} at ${to}${step}`,
        },
  [RegionActionKind.COMPLETE]: (_a, { flow, from, to, step }) => ({
    done: headline`region ${flow} ${from} -> ${to} complete${step}`,
    pending: headline`finish region ${flow} ${from} -> ${to}${step}`,
  }),
  [RegionActionKind.HEARTBEAT_RESTORED]: (a) =>
    headline`checker ${String(a.data['checker'] ?? a.region)} heartbeat is back`,
};

const ALERT_SUBJECTS: {
  readonly [E in AlertEventType]: (alert: PlanAlert, about: string, region: string) => Headline;
} = {
  'dns.all-targets-down': (a) => headline`every target of ${a.resource} is down; DNS left unchanged`,
  'dns.edit-refused': (a, about) => headline`DNS edit of ${a.resource} for ${about} refused; record unchanged`,
  'dns.cannot-restore': (a, about) => headline`${about} is healthy but cannot go back into ${a.resource}`,
  'dns.min-healthy-held': (a, about) => headline`unhealthy ${about} kept in ${a.resource} (minHealthy)`,
  'dns.read-failed': (a) => headline`cannot read DNS record ${a.resource}; no DNS change`,
  'dns.health-check-foreign': (a, about) =>
    headline`${about} of ${a.resource} carries a foreign health check; left unchanged`,
  'load-balancer.read-failed': (_a, about) => headline`cannot read target health of ${about}`,
  'database.unconfirmed': (a, about) => headline`${a.resource} primary ${about} failing, RDS unreadable; no promotion`,
  'database.probe-disagrees': (a, about) =>
    headline`${a.resource} primary ${about} unreachable, RDS says available; no promotion`,
  'database.primary-busy': (a, about) =>
    headline`${a.resource} primary ${about} failing while RDS works on it; waiting`,
  'database.no-candidate': (a) => headline`no replica can be promoted for ${a.resource}`,
  'database.promotion-slow': (a, about) => headline`promotion of ${about} (${a.resource}) is slow; failover waits`,
  'region.failover.promotion-slow': (a, about, region) =>
    headline`promotion of ${about} (${a.resource}) in ${region} is slow; failover waits`,
  'region.dark': (_a, _about, region) => headline`region ${region} is dark; region failover is off, nothing moved`,
  'region.failover.aborted': (_a, _about, region) =>
    headline`region ${region} is dark; no standby can take over, nothing moved`,
  'checker.heartbeat.missing': (_a, _about, region) => headline`checker ${region} heartbeat missing`,
  'checker.shard.stale': (_a, about, region) =>
    headline`checker ${region} ${about} heartbeat missing; its targets held`,
};

const OUTCOME_PREFIX: Readonly<Record<ActionOutcome, string>> = {
  applied: '',
  planned: 'plan: ',
  skipped: 'held: ',
  failed: 'FAILED: ',
};

function phraseOf(action: PlannedAction): Phrase {
  const engine = ENGINE_ACTION_SUBJECTS[action.kind as EngineActionKind] as ((a: PlannedAction) => Phrase) | undefined;
  if (engine) return engine(action);
  const extension = action as ExtensionAction;
  const region = REGION_ACTION_SUBJECTS[extension.kind as RegionActionKindName] as
    | ((a: ExtensionAction, facts: RunbookFacts) => Phrase)
    | undefined;
  // An extension kind without a template still names itself and its resource.
  return region ? region(extension, runbookFacts(extension)) : headline`${extension.kind} ${extension.resource}`;
}

/** The subject's headline for an action's result: what was done, or (planned, held, failed) what was to be. */
export function actionHeadline(action: PlannedAction, outcome: ActionOutcome): Headline {
  const phrase = phraseOf(action);
  const what = 'done' in phrase ? (outcome === 'applied' ? phrase.done : phrase.pending) : phrase;
  return headline`${words(OUTCOME_PREFIX[outcome])}${what}`;
}

/** The subject's headline for an alert. */
export function alertHeadline(alert: PlanAlert): Headline {
  return ALERT_SUBJECTS[alert.eventType](alert, alert.about ?? alert.resource, alert.region ?? alert.resource);
}

/** Every event type with a subject template: action kinds (a suffix .planned/.skipped/.failed is added) and alerts. */
export const SUBJECT_EVENT_TYPES: readonly string[] = [
  ...Object.keys(ENGINE_ACTION_SUBJECTS),
  ...Object.keys(REGION_ACTION_SUBJECTS),
  ...Object.keys(ALERT_SUBJECTS),
];
