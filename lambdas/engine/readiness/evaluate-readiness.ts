// Every readiness rule over one input, in the order the table prints them.
import { databaseReadiness } from './database-readiness';
import { driftReadiness } from './drift-readiness';
import { guardHeartbeatReadiness } from './guard-readiness';
import type { ReadinessRow } from '../../domain/readiness/readiness-report';
import type { PlannerInput } from '../types';
import type { ReadinessInput, Rule } from './readiness';
import {
  certificateReadiness,
  recordHealthCheckReadiness,
  standbyLoadBalancerReadiness,
  standbyRecordReadiness,
} from './standby-readiness';

const rules: readonly Rule[] = [
  databaseReadiness,
  standbyLoadBalancerReadiness,
  standbyRecordReadiness,
  certificateReadiness,
  recordHealthCheckReadiness,
  guardHeartbeatReadiness,
  driftReadiness,
];

export function evaluateReadiness(input: ReadinessInput): ReadinessRow[] {
  return rules.flatMap((rule) => rule(input));
}

/** The readiness rows of a planner input that carries readiness evidence; none otherwise. */
export function readinessRows(planner: PlannerInput): ReadinessRow[] {
  return planner.readiness ? evaluateReadiness({ planner, evidence: planner.readiness }) : [];
}
