// One checker of the drill: the engine's runCycle for one region, every interval, as the Lambda's
// sub-minute loop runs it. The drill can cut the checker off (black hole) or stop it with its region.
import type { Topology } from '../domain/config/schema';
import { probeTargets } from '../domain/config/targets';
import { ProbeErrorCode, type Observation } from '../domain/observation';
import { runCycle, type CycleReport, type GuardContext } from '../engine';
import { dnsQueries } from '../probes/dns-queries';
import { probeTopology } from '../probes/probe-engine';

/** What a checker cut off from the network sees: every probe times out. */
export async function blackHoledProbe(
  topology: Topology,
  checker: string,
  signal: AbortSignal,
): Promise<Observation[]> {
  const timeoutMs = topology.checks.timeoutMs;
  const at = new Date().toISOString();
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
  const failed = (targetId: string, kind: Observation['kind']): Observation => ({
    targetId,
    kind,
    ok: false,
    latencyMs: timeoutMs,
    at,
    checker,
    error: kind === 'dns' ? ProbeErrorCode.DNS_TIMEOUT : ProbeErrorCode.ETIMEDOUT,
    detail: `no answer within ${timeoutMs} ms (the drill black-holed checker ${checker})`,
  });
  return [
    ...probeTargets(topology).map((t) => failed(t.id, t.probe.type)),
    ...dnsQueries(topology).map((q) => failed(q.targetId, 'dns')),
  ];
}

export interface CheckerLoopOptions {
  /** The context without its probe: the loop supplies the real probe, or the black hole. */
  readonly context: Omit<GuardContext, 'probe'>;
  readonly intervalMs: number;
  /** Delay before the first cycle, so checkers of several regions do not probe in lockstep. */
  readonly offsetMs: number;
  readonly onReport: (report: CycleReport) => void;
  readonly onError: (error: unknown) => void;
}

export class CheckerLoop {
  readonly checker: string;
  private readonly options: CheckerLoopOptions;
  /** The engine context this checker runs with (a failback command runs with it too). */
  readonly context: GuardContext;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private running = false;
  private blackHoled = false;
  private readonly abort = new AbortController();
  private completed = 0;

  constructor(options: CheckerLoopOptions) {
    this.options = options;
    this.checker = options.context.checker;
    this.context = {
      ...options.context,
      probe: (topology) =>
        this.blackHoled
          ? blackHoledProbe(topology, this.checker, this.abort.signal)
          : probeTopology(topology, { checker: this.checker }),
    };
  }

  /** Cycles finished since the loop was created. */
  get cycles(): number {
    return this.completed;
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Every probe of this checker times out until restored (the checker itself is cut off). */
  setBlackHoled(blackHoled: boolean): void {
    this.blackHoled = blackHoled;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(this.options.offsetMs);
  }

  /** Stops after the cycle in flight (if any) has finished. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight;
  }

  /** Stops at once: a probe waiting in the black hole is cut short too. */
  async close(): Promise<void> {
    this.abort.abort();
    await this.stop();
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const startedMs = Date.now();
      this.inFlight = this.cycle().finally(() => {
        this.inFlight = undefined;
        if (this.running) this.schedule(Math.max(0, this.options.intervalMs - (Date.now() - startedMs)));
      });
    }, delayMs);
  }

  private async cycle(): Promise<void> {
    try {
      const report = await runCycle(this.context);
      this.completed += 1;
      if (this.running) this.options.onReport(report);
    } catch (error) {
      this.options.onError(error);
    }
  }
}
