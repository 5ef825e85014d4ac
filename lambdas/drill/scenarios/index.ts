// Every drill scenario, in the order the whole drill runs them.
import { primaryDatabaseDown } from './database.scenario';
import { discoverScenario } from './discover.scenario';
import { allServersDown, loadBalancerDown, serverDown } from './dns-healing.scenarios';
import { checkerBlackHoled } from './quorum.scenario';
import { replicaLagging } from './readiness.scenario';
import { regionDark } from './region.scenario';
import type { Scenario } from './scenario';

export const drillScenarios: readonly Scenario[] = [
  discoverScenario,
  serverDown,
  loadBalancerDown,
  allServersDown,
  primaryDatabaseDown,
  replicaLagging,
  checkerBlackHoled,
  regionDark,
];

export type { Scenario } from './scenario';
