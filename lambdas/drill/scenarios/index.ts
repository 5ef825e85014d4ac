// Every drill scenario, in the order the whole drill runs them.
import { primaryDatabaseDown } from './database.scenario';
import { allServersDown, loadBalancerDown, serverDown } from './dns-healing.scenarios';
import { checkerBlackHoled } from './quorum.scenario';
import { regionDark, type FailbackCommand } from './region.scenario';
import type { Scenario } from './scenario';

export function drillScenarios(failback: FailbackCommand): Scenario[] {
  return [serverDown, loadBalancerDown, allServersDown, primaryDatabaseDown, checkerBlackHoled, regionDark(failback)];
}

export type { Scenario } from './scenario';
export type { FailbackCommand } from './region.scenario';
