// Load balancer port: target health as the load balancer itself sees it.

export interface LbTargetHealth {
  readonly targetId: string;
  readonly port?: number;
  /** initial, healthy, unhealthy, unhealthy.draining, unused, draining, unavailable */
  readonly state: string;
  readonly reason?: string;
  readonly description?: string;
}

export interface LoadBalancerPort {
  describeTargetHealth(region: string, targetGroupArn: string): Promise<LbTargetHealth[]>;
}
