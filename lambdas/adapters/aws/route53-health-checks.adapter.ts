// HealthCheckDirectoryPort over Route 53: every CLOUDWATCH_METRIC health check of the account
// (ListHealthChecks, paged), then their tags ten at a time (ListTagsForResources), kept when the tags
// name the topology. Health checks are global: one client, in Route 53's control plane region.
import {
  ListHealthChecksCommand,
  ListTagsForResourcesCommand,
  type Route53Client,
  type Tag,
} from '@aws-sdk/client-route-53';
import { HealthCheckTag } from '../../contracts/health-check-tags';
import type { GuardHealthCheck, HealthCheckDirectoryPort } from '../../ports/health-check-directory.port';
import { callAws } from './cloud-errors';

/** Health checks per ListHealthChecks page (Route 53's maximum is 1,000). */
const PAGE_SIZE = 1000;
/** ListTagsForResources takes at most ten resource ids. */
const TAG_BATCH = 10;

export class Route53HealthCheckDirectory implements HealthCheckDirectoryPort {
  constructor(private readonly client: Route53Client) {}

  async guardHealthChecks(topologyName: string): Promise<GuardHealthCheck[]> {
    const ids = await this.metricHealthCheckIds();
    const found: GuardHealthCheck[] = [];
    for (let i = 0; i < ids.length; i += TAG_BATCH) {
      const batch = ids.slice(i, i + TAG_BATCH);
      const page = await callAws('Route 53', 'ListTagsForResources', `healthcheck ${batch.join(',')}`, () =>
        this.client.send(new ListTagsForResourcesCommand({ ResourceType: 'healthcheck', ResourceIds: batch })),
      );
      for (const set of page.ResourceTagSets ?? []) {
        const check = guardCheck(set.ResourceId, set.Tags ?? [], topologyName);
        if (check) found.push(check);
      }
    }
    return found;
  }

  /** Ids of the account's CLOUDWATCH_METRIC health checks (the only kind the guard creates), every page. */
  private async metricHealthCheckIds(): Promise<string[]> {
    const ids: string[] = [];
    let marker: string | undefined;
    do {
      const page = await callAws('Route 53', 'ListHealthChecks', marker ?? 'first page', () =>
        this.client.send(
          new ListHealthChecksCommand({ MaxItems: PAGE_SIZE, ...(marker !== undefined ? { Marker: marker } : {}) }),
        ),
      );
      for (const check of page.HealthChecks ?? [])
        if (check.Id && check.HealthCheckConfig?.Type === 'CLOUDWATCH_METRIC') ids.push(check.Id);
      marker = page.IsTruncated ? page.NextMarker : undefined;
    } while (marker !== undefined);
    return ids;
  }
}

function guardCheck(id: string | undefined, tags: readonly Tag[], topologyName: string): GuardHealthCheck | undefined {
  const tag = (key: string) => tags.find((t) => t.Key === key)?.Value;
  const judgedRegion = tag(HealthCheckTag.judgedRegion);
  const checkerRegion = tag(HealthCheckTag.checkerRegion);
  if (!id || tag(HealthCheckTag.topology) !== topologyName || !judgedRegion || !checkerRegion) return undefined;
  return { id, judgedRegion, checkerRegion };
}
