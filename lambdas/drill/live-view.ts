// What a person watches during the drill. On a terminal: the timeline scrolls, and a panel at the
// bottom is redrawn with the health of every target per checker and what DNS answers now. Not on a
// terminal (tests, CI, a pipe): plain lines only, one per event, nothing redrawn.
import { notificationBody } from '../domain/notifications/notification-builder';
import type { HealthStatus } from '../domain/health/types';
import type { TargetStatus, Timeline, TimelineEvent, TimelineKind } from './timeline';

export interface LiveViewSnapshot {
  /** "scenario 2/6 lb-down: …" */
  readonly heading: string;
  readonly checkers: readonly string[];
  readonly regions: readonly { readonly name: string; readonly role: string }[];
  readonly targets: readonly TargetStatus[];
  /** Seconds since each checker last wrote its view; a checker whose view is older than a few intervals is stale. */
  readonly viewAgeSeconds?: Readonly<Record<string, number | undefined>>;
  /** Above this age a checker's column is marked stale. */
  readonly staleAfterSeconds?: number;
  /** "www.shop.drill.test A → 127.0.1.101 127.0.1.102", one per served name. */
  readonly dnsAnswers: readonly string[];
}

export interface LiveViewOutput {
  write(text: string): void;
  readonly isTTY: boolean;
  /** The terminal's width; panel lines are cut to it, so each takes one row and the redraw stays aligned. */
  readonly columns?: () => number | undefined;
}

const redrawEveryMs = 250;

const kindLabels: Readonly<Record<TimelineKind, string>> = {
  scenario: 'SCENARIO',
  fault: 'FAULT',
  operator: 'OPERATOR',
  detected: 'DETECTED',
  action: 'ACTION',
  notification: 'SNS',
  verified: 'VERIFIED',
  failed: 'FAILED',
  info: 'INFO',
};

const color = {
  red: '\x1b[31m',
  green: '\x1b[32m',
  yellow: '\x1b[33m',
  cyan: '\x1b[36m',
  bold: '\x1b[1m',
  dim: '\x1b[2m',
  reset: '\x1b[0m',
} as const;

const kindColors: Readonly<Record<TimelineKind, string>> = {
  scenario: color.bold,
  fault: color.red,
  operator: color.bold + color.cyan,
  detected: color.yellow,
  action: color.cyan,
  notification: color.dim,
  verified: color.green,
  failed: color.red + color.bold,
  info: '',
};

const statusCells: Readonly<Record<HealthStatus, { text: string; color: string }>> = {
  HEALTHY: { text: 'healthy', color: color.green },
  SUSPECT: { text: 'suspect', color: color.yellow },
  UNHEALTHY: { text: 'UNHEALTHY', color: color.red },
  RECOVERING: { text: 'recovering', color: color.cyan },
};

/** The lines one event prints: one line, and with `verbose` a notification's JSON body under it. */
export function eventLines(event: TimelineEvent, useColor: boolean, verbose = false): string[] {
  const paint = (code: string, text: string) => (useColor && code ? `${code}${text}${color.reset}` : text);
  const time = `${(event.atMs / 1000).toFixed(1).padStart(6)}s`;
  const who = event.checker ? ` [${event.checker}]` : '';
  // Continuation lines of a multi-line text (a failback plan) line up under the first.
  const text = event.text.split('\n').join(`\n${' '.repeat(18)}`);
  const first = `${time}  ${paint(kindColors[event.kind], kindLabels[event.kind].padEnd(9))}${text}${who}`;
  if (!event.notification || !verbose) return [first];
  return [first, `${' '.repeat(18)}${paint(color.dim, JSON.stringify(notificationBody(event.notification)))}`];
}

// An ANSI colour code (ESC [ … letter): it takes no room on the screen.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the escape character is what marks the code
const ansiCode = /^\x1b\[[0-9;]*[A-Za-z]/;

/** Cuts a line to `width` visible characters, colour codes not counted (and closed if cut). */
export function fitWidth(line: string, width: number): string {
  let visible = 0;
  let out = '';
  for (let i = 0; i < line.length; i += 1) {
    const code = ansiCode.exec(line.slice(i));
    if (code) {
      out += code[0];
      i += code[0].length - 1;
      continue;
    }
    if (visible === width) return `${out}${color.reset}`;
    out += line[i];
    visible += 1;
  }
  return out;
}

const healthyEverywhere = (t: TargetStatus, checkers: readonly string[]) =>
  checkers.every((c) => t.byChecker[c] === 'HEALTHY');

/** Words that fill lines of `width` (a DNS answer's addresses), the next lines indented. */
function wrapWords(words: readonly string[], width: number, indent: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = `${indent}${word}`;
    } else line = line ? `${line} ${word}` : word;
  }
  return line ? [...lines, line] : lines;
}

/**
 * The panel, small enough for 80×24: per region a count of healthy targets and a row for each target some
 * checker does not see HEALTHY; a stale checker's column says how old its view is; then the DNS answers, wrapped.
 */
export function panelLines(snapshot: LiveViewSnapshot, useColor: boolean, width = 80): string[] {
  const paint = (code: string, text: string) => (useColor ? `${code}${text}${color.reset}` : text);
  const idWidth = Math.max(10, ...snapshot.targets.map((t) => t.targetId.length));
  const stale = (checker: string) => {
    const age = snapshot.viewAgeSeconds?.[checker];
    return age !== undefined && snapshot.staleAfterSeconds !== undefined && age > snapshot.staleAfterSeconds
      ? age
      : undefined;
  };
  const header = (c: string) => {
    const age = stale(c);
    return age !== undefined ? `${c}: STALE ${Math.round(age)}s` : `${c} sees`;
  };
  const columnWidth = Math.max(12, ...snapshot.checkers.map((c) => header(c).length + 2));
  const lines = [paint(color.bold, `── ${snapshot.heading} ──`)];
  lines.push(
    `${''.padEnd(idWidth + 4)}${snapshot.checkers.map((c) => paint(stale(c) !== undefined ? color.dim : '', header(c).padEnd(columnWidth))).join('')}`,
  );
  for (const region of snapshot.regions) {
    const targets = snapshot.targets.filter((t) => t.region === region.name);
    const unwell = targets.filter((t) => !healthyEverywhere(t, snapshot.checkers));
    lines.push(
      `${paint(color.bold, `${region.name} (${region.role})`)}  ${targets.length - unwell.length}/${targets.length} healthy everywhere`,
    );
    for (const target of unwell) {
      const cells = snapshot.checkers.map((checker) => {
        const status = target.byChecker[checker];
        const cell = status ? statusCells[status] : { text: '-', color: color.dim };
        return paint(stale(checker) !== undefined ? color.dim : cell.color, cell.text.padEnd(columnWidth));
      });
      lines.push(`  ${target.targetId.padEnd(idWidth)}  ${cells.join('')}`);
    }
  }
  lines.push(
    paint(color.bold, 'DNS answers now'),
    ...snapshot.dnsAnswers.flatMap((a) => wrapWords(a.split(' '), width - 2, '    ').map((l) => `  ${l}`)),
  );
  return lines;
}

export class LiveView {
  private readonly output: LiveViewOutput;
  private readonly snapshot: () => LiveViewSnapshot;
  private readonly pending: string[] = [];
  private panelHeight = 0;
  private timer: NodeJS.Timeout | undefined;
  private timeline: Timeline | undefined;
  private detach: (() => void) | undefined;

  private readonly verbose: boolean;

  constructor(output: LiveViewOutput, snapshot: () => LiveViewSnapshot, options: { verbose?: boolean } = {}) {
    this.output = output;
    this.snapshot = snapshot;
    this.verbose = options.verbose ?? false;
  }

  /** Starts showing the timeline's events (and, on a terminal, redrawing the panel). */
  start(timeline: Timeline): void {
    this.timeline = timeline;
    this.detach = timeline.onEvent((event) => {
      const lines = eventLines(event, this.output.isTTY, this.verbose);
      if (this.output.isTTY) this.pending.push(...lines);
      else this.output.write(`${lines.join('\n')}\n`);
    });
    if (this.output.isTTY) {
      this.timer = setInterval(() => this.render(), redrawEveryMs);
      this.timer.unref();
    }
  }

  /** Stops redrawing; the last panel stays on screen above whatever is printed next. */
  stop(): void {
    this.detach?.();
    this.detach = undefined;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.output.isTTY) this.render();
    this.panelHeight = 0;
  }

  private render(): void {
    // Move to the panel's first line and clear downwards, print the new events, then the panel again.
    const clear = this.panelHeight > 0 ? `\x1b[${this.panelHeight}F\x1b[J` : '';
    const events = this.pending
      .splice(0)
      .map((l) => `${l}\n`)
      .join('');
    const snapshot = this.snapshot();
    const elapsed = this.timeline ? ` · ${(this.timeline.elapsedMs() / 1000).toFixed(1)} s` : '';
    const width = Math.max(20, (this.output.columns?.() ?? 80) - 1);
    const panel = panelLines({ ...snapshot, heading: `${snapshot.heading}${elapsed}` }, true, width).map((line) =>
      fitWidth(line, width),
    );
    this.output.write(`${clear}${events}${panel.join('\n')}\n`);
    this.panelHeight = panel.length;
  }
}
