// Lambda gives a function CPU in proportion to its memory: a full vCPU at 1,769 MB. The scale bench
// can hold each shard process to that share with a cgroup (v1 `cpu` controller, CFS quota per 100 ms
// period), so a shard runs as slowly as the function it stands for. Needs root and a writable
// /sys/fs/cgroup/cpu; elsewhere it says why and the bench runs unconfined.
import { existsSync, mkdirSync, rmdirSync, writeFileSync } from 'node:fs';

const CGROUP_CPU = '/sys/fs/cgroup/cpu';
const FULL_VCPU_MB = 1769;
const PERIOD_US = 100_000;

export interface CpuShare {
  /** Moves the process (all its threads) into the share. */
  confine(pid: number): void;
  release(): void;
}

/**
 * A CPU share of `memoryMb` of Lambda memory, or why this machine cannot make one. A shorter period
 * meters the share in finer slices: a burst of CPU after an idle spell runs unthrottled for at most
 * one period's quota.
 */
export function lambdaCpuShare(memoryMb: number, name: string, periodUs = PERIOD_US): CpuShare | string {
  if (!existsSync(`${CGROUP_CPU}/cpu.cfs_quota_us`))
    return `no cgroup v1 cpu controller at ${CGROUP_CPU} (the shards run unconfined)`;
  const dir = `${CGROUP_CPU}/failover-guard-bench-${process.pid}-${name}`;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}/cpu.cfs_period_us`, String(periodUs));
    writeFileSync(`${dir}/cpu.cfs_quota_us`, String(Math.round((memoryMb / FULL_VCPU_MB) * periodUs)));
  } catch (error) {
    return `cannot make a cgroup under ${CGROUP_CPU}: ${(error as Error).message} (the shards run unconfined)`;
  }
  return {
    confine: (pid) => writeFileSync(`${dir}/cgroup.procs`, String(pid)),
    release: () => rmdirSync(dir),
  };
}
