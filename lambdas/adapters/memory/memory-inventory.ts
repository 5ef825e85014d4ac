// In-memory account inventory: the in-memory Route 53 zones, RDS and target health, plus the load
// balancers (listeners, target groups) and EC2 instances only an inventory needs, as AWS lists them.
import type {
  AccountInventoryPort,
  InventoryDbCluster,
  InventoryDbInstance,
  InventoryGlobalCluster,
  InventoryHostedZone,
  InventoryInstance,
  InventoryLoadBalancer,
  InventoryTargetGroup,
} from '../../ports/account-inventory.port';
import type { RecordSet } from '../../ports/dns.port';
import { CloudCallError } from '../../ports/errors';
import { awsError, type FaultInjector } from './faults';
import type { MemoryDatabase } from './memory-database';
import type { MemoryDns } from './memory-dns';
import { ROUTE53_CONTROL_PLANE_REGION } from './memory-dns';
import type { MemoryLoadBalancer } from './memory-load-balancer';
import { zoneApex } from './zone-apex';

/** A load balancer as added: its target groups' targets and their health live in the in-memory ELB. */
export interface MemoryLoadBalancerSpec extends Omit<InventoryLoadBalancer, 'targetGroups'> {
  readonly region: string;
  readonly targetGroups: readonly Omit<InventoryTargetGroup, 'targets'>[];
}

export class MemoryInventory implements AccountInventoryPort {
  private readonly loadBalancers: MemoryLoadBalancerSpec[] = [];
  private readonly instances = new Map<string, InventoryInstance[]>();

  constructor(
    private readonly parts: {
      readonly dns: MemoryDns;
      readonly database: MemoryDatabase;
      readonly loadBalancer: MemoryLoadBalancer;
      readonly faults: FaultInjector;
    },
  ) {}

  addLoadBalancer(spec: MemoryLoadBalancerSpec): void {
    this.loadBalancers.push(structuredClone(spec));
  }

  addInstance(region: string, instance: InventoryInstance): void {
    this.instances.set(region, [...(this.instances.get(region) ?? []), structuredClone(instance)]);
  }

  async listHostedZones(): Promise<InventoryHostedZone[]> {
    this.parts.faults.check('listHostedZones', 'the account', ROUTE53_CONTROL_PLANE_REGION);
    return this.parts.dns.zones().map((zone) => ({
      id: zone.zoneId,
      name: zoneApex(zone.recordSets.map((s) => s.name)) ?? zone.zoneId.toLowerCase(),
      privateZone: false,
    }));
  }

  async listRecordSets(zoneId: string): Promise<RecordSet[]> {
    this.parts.faults.check('listAllRecordSets', zoneId, ROUTE53_CONTROL_PLANE_REGION);
    const zone = this.parts.dns.zones().find((z) => z.zoneId === zoneId);
    if (!zone) {
      throw new CloudCallError(
        'listAllRecordSets',
        zoneId,
        awsError('NoSuchHostedZone', `No hosted zone found with ID: ${zoneId}`),
        false,
      );
    }
    return [...zone.recordSets];
  }

  async listLoadBalancers(region: string): Promise<InventoryLoadBalancer[]> {
    this.parts.faults.check('listLoadBalancers', region, region);
    return this.loadBalancers
      .filter((lb) => lb.region === region)
      .map(({ region: _region, ...lb }) => ({
        ...structuredClone(lb),
        targetGroups: lb.targetGroups.map((group) => ({
          ...structuredClone(group),
          targets: this.parts.loadBalancer.targetsOf(group.arn).map((t) => ({
            id: t.targetId,
            ...(t.port !== undefined ? { port: t.port } : {}),
            state: t.state,
          })),
        })),
      }));
  }

  async listInstances(region: string): Promise<InventoryInstance[]> {
    this.parts.faults.check('listInstances', region, region);
    return structuredClone(this.instances.get(region) ?? []);
  }

  async listInstancesById(region: string, ids: readonly string[]): Promise<InventoryInstance[]> {
    this.parts.faults.check('listInstancesById', region, region);
    const wanted = new Set(ids);
    return structuredClone((this.instances.get(region) ?? []).filter((i) => wanted.has(i.id)));
  }

  async listDbInstances(region: string): Promise<InventoryDbInstance[]> {
    this.parts.faults.check('listDbInstances', region, region);
    return this.parts.database.listInstances(region);
  }

  async listDbClusters(region: string): Promise<InventoryDbCluster[]> {
    this.parts.faults.check('listDbClusters', region, region);
    return this.parts.database.listClusters(region);
  }

  async listGlobalClusters(region: string): Promise<InventoryGlobalCluster[]> {
    this.parts.faults.check('listGlobalClusters', region, region);
    return this.parts.database.listGlobalClusters();
  }
}
