// What each notification's subject says, one template per event type: what happened and where, in
// words an on-call engineer reads at a glance. Names are headline names, so a long record name is
// shortened and the verb stays. The eventType and the JSON body do not depend on these words.
import { headline, words, type Headline } from '../../domain/notifications/notification-builder';
import {
  RegionActionKind,
  type ActionOutcome,
  type AlertEventType,
  type PlanAlert,
  type PlannedAction,
  type RunbookSubject,
} from '../types';

/** One headline for every outcome, or what was done and (planned, held, failed) what was to be done. */
type Phrase = Headline | { readonly done: Headline; readonly pending: Headline };

type ActionOf<K extends string> = PlannedAction extends infer A
  ? A extends { readonly kind: infer AK }
    ? K extends AK
      ? A
      : never
    : never
  : never;

/** The target group's name out of its ARN (…:targetgroup/<name>/<id>). */
const targetGroupName = (arn: string): string => arn.split('/').slice(-2, -1)[0] ?? arn;

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

type RunbookActionData = RunbookSubject & { readonly subjectNames?: readonly string[] };

function runbookFacts({
  flow,
  fromRegion,
  toRegion,
  stepNumber,
  stepCount,
  subjectNames,
}: RunbookActionData): RunbookFacts {
  return {
    flow: words(flow),
    from: fromRegion,
    to: toRegion,
    step:
      stepNumber !== undefined && stepCount !== undefined ? headline` (step ${stepNumber}/${stepCount})` : words(''),
    ...(subjectNames && subjectNames.length > 0 ? { names: firstAndCount(subjectNames) } : {}),
  };
}

/** A runbook action's subject, worded from the facts its data carries. */
const runbookPhrase =
  <A extends { readonly data: RunbookActionData }>(phrase: (facts: RunbookFacts, action: A) => Phrase) =>
  (action: A): Phrase =>
    phrase(runbookFacts(action.data), action);

type ActionByKind = { readonly [K in PlannedAction['kind']]: ActionOf<K> };

const ACTION_SUBJECTS: { readonly [K in PlannedAction['kind']]: (action: ActionByKind[K]) => Phrase } = {
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
  [RegionActionKind.REQUEST_APPROVAL]: runbookPhrase(({ from, to }) => ({
    done: headline`region ${from} is dark; failover to ${to} waits for approval`,
    pending: headline`ask approval to fail over ${from} -> ${to}`,
  })),
  [RegionActionKind.START]: runbookPhrase(({ from, to, step }) => ({
    done: headline`region failover ${from} -> ${to} started${step}`,
    pending: headline`start region failover ${from} -> ${to}${step}`,
  })),
  [RegionActionKind.CANCEL]: runbookPhrase(({ from, to }) => ({
    done: headline`failover ${from} -> ${to} cancelled before any move; ${from} is back`,
    pending: headline`cancel failover ${from} -> ${to}`,
  })),
  [RegionActionKind.ABORT]: runbookPhrase(({ flow, from, to }) => ({
    done: headline`region ${flow} ${from} -> ${to} aborted; see what to do`,
    pending: headline`abort region ${flow} ${from} -> ${to}`,
  })),
  [RegionActionKind.ANNOUNCE]: runbookPhrase(({ flow, from, to, step }) => ({
    done: headline`region ${flow} ${from} -> ${to} started${step}`,
    pending: headline`start region ${flow} ${from} -> ${to}${step}`,
  })),
  [RegionActionKind.PROMOTE]: runbookPhrase(({ to, step, names }, a) =>
    !names
      ? headline`no database to promote in ${to}${step}`
      : a.data.complete
        ? {
            done: headline`${names} promoted in ${to}${step}`,
            pending: headline`confirm ${names} promoted in ${to}${step}`,
          }
        : { done: headline`promoting ${names} in ${to}${step}`, pending: headline`promote ${names} in ${to}${step}` },
  ),
  [RegionActionKind.MOVE_DNS]: runbookPhrase(({ to, step, names }) =>
    !names
      ? headline`no DNS record to move to ${to}${step}`
      : {
          done: headline`DNS moved to ${to} (${names})${step}`,
          pending: headline`move DNS to ${to} (${names})${step}`,
        },
  ),
  [RegionActionKind.REPOINT_WRITER]: runbookPhrase(({ to, step, names }) =>
    !names
      ? headline`no writer name to move to ${to}${step}`
      : {
          done: headline`writer of ${names} moved to ${to}${step}`,
          pending: headline`point writer of ${names} at ${to}${step}`,
        },
  ),
  [RegionActionKind.COMPLETE]: runbookPhrase(({ flow, from, to, step }) => ({
    done: headline`region ${flow} ${from} -> ${to} complete${step}`,
    pending: headline`finish region ${flow} ${from} -> ${to}${step}`,
  })),
  [RegionActionKind.HEARTBEAT_RESTORED]: (a) => headline`checker ${a.data.checker} heartbeat is back`,
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
  'state.document-rejected': (_a, about) => headline`state document ${about} rejected; not acted on`,
};

const OUTCOME_PREFIX: Readonly<Record<ActionOutcome, string>> = {
  applied: '',
  planned: 'plan: ',
  skipped: 'held: ',
  failed: 'FAILED: ',
};

function phraseOf<K extends PlannedAction['kind']>(kind: K, action: ActionByKind[K]): Phrase {
  return ACTION_SUBJECTS[kind](action);
}

/** The subject's headline for an action's result: what was done, or (planned, held, failed) what was to be. */
export function actionHeadline(action: PlannedAction, outcome: ActionOutcome): Headline {
  const phrase = phraseOf(action.kind, action);
  const what = 'done' in phrase ? (outcome === 'applied' ? phrase.done : phrase.pending) : phrase;
  return headline`${words(OUTCOME_PREFIX[outcome])}${what}`;
}

/** The subject's headline for an alert. */
export function alertHeadline(alert: PlanAlert): Headline {
  return ALERT_SUBJECTS[alert.eventType](alert, alert.about ?? alert.resource, alert.region ?? alert.resource);
}

/** Every event type with a subject template: action kinds (a suffix .planned/.skipped/.failed is added) and alerts. */
export const SUBJECT_EVENT_TYPES: readonly string[] = [...Object.keys(ACTION_SUBJECTS), ...Object.keys(ALERT_SUBJECTS)];
