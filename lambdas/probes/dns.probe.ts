// DNS probe: asks one nameserver for a record and compares the answers with the configured targets.
import { Resolver } from 'node:dns/promises';
import { isIPv6 } from 'node:net';
import { parseNameserver, resolverServer } from '../domain/config/nameserver';
import { ProbeErrorCode, type Observation } from '../domain/observation';
import { failedObservation, observationBase, type ProbeFailure, type ProbeRun } from './probe-outcome';
import { errorMessage } from '../domain/errors';

/** One record asked of one nameserver. */
export interface DnsQuery {
  readonly name: string;
  readonly type: 'A' | 'AAAA';
  /** "ip" or "ip:port" ("[ipv6]:port"). */
  readonly nameserver: string;
  /** Addresses the record may serve; an answer outside them is drift. Empty: nothing to compare with. */
  readonly expected: readonly string[];
}

const resolverErrors: Readonly<Record<string, string>> = {
  ENOTFOUND: ProbeErrorCode.DNS_NXDOMAIN,
  ENODATA: ProbeErrorCode.DNS_NODATA,
  ESERVFAIL: ProbeErrorCode.DNS_SERVFAIL,
  EREFUSED: ProbeErrorCode.DNS_REFUSED,
  ECONNREFUSED: ProbeErrorCode.DNS_REFUSED,
  ETIMEOUT: ProbeErrorCode.DNS_TIMEOUT,
  ECANCELLED: ProbeErrorCode.DNS_TIMEOUT,
};

function failureFromResolverError(error: unknown, query: DnsQuery, timeoutMs: number): ProbeFailure {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
  const mapped = resolverErrors[code];
  const asked = `${query.type} ${query.name} at ${query.nameserver}`;
  if (mapped === ProbeErrorCode.DNS_TIMEOUT)
    return { error: mapped, detail: `${asked}: no answer within ${timeoutMs} ms` };
  if (mapped) return { error: mapped, detail: `${asked}: ${code}` };
  return {
    error: ProbeErrorCode.PROBE_ERROR,
    detail: `${asked}: ${errorMessage(error)}`,
  };
}

/** One spelling per address, so "2001:db8:0::1" and "2001:db8::1" compare equal. */
export function canonicalIp(ip: string): string {
  return isIPv6(ip) ? new URL(`http://[${ip}]/`).hostname.slice(1, -1) : ip;
}

/** Answers that are none of the expected addresses; none when nothing is expected. */
export function unexpectedAnswers(answers: readonly string[], expected: readonly string[]): string[] {
  if (expected.length === 0) return [];
  const known = new Set(expected.map(canonicalIp));
  return answers.filter((answer) => !known.has(canonicalIp(answer)));
}

/** Resolves the query at its nameserver. Never throws; the resolver is cancelled on timeout. */
export async function probeDns(run: ProbeRun, query: DnsQuery): Promise<Observation> {
  const at = new Date().toISOString();
  const startedMs = performance.now();
  const noAnswers = { dns: { nameserver: query.nameserver, answers: [], unexpected: [] } };
  // Checked here too, not only in the config: c-ares aborts the process on some addresses (port 0).
  const address = parseNameserver(query.nameserver);
  if (typeof address === 'string') {
    const detail = `nameserver ${JSON.stringify(query.nameserver)} cannot be asked: ${address}; fix the record's nameservers`;
    return failedObservation(run, 'dns', at, startedMs, { error: ProbeErrorCode.PROBE_ERROR, detail }, noAnswers);
  }
  let timer: NodeJS.Timeout | undefined;
  try {
    const resolver = new Resolver({ timeout: run.timeoutMs, tries: 1 });
    resolver.setServers([resolverServer(address)]);
    // c-ares may retry past its own timeout; the hard timer cancels the query regardless.
    timer = setTimeout(() => resolver.cancel(), run.timeoutMs);
    const answers = query.type === 'A' ? await resolver.resolve4(query.name) : await resolver.resolve6(query.name);
    const unexpected = unexpectedAnswers(answers, query.expected);
    const dns = { nameserver: query.nameserver, answers, unexpected };
    const observation: Observation = { ...observationBase(run, 'dns', at, startedMs), ok: true, dns };
    return unexpected.length === 0
      ? observation
      : { ...observation, detail: `answers not in the config (drift): ${unexpected.join(', ')}` };
  } catch (error) {
    return failedObservation(
      run,
      'dns',
      at,
      startedMs,
      failureFromResolverError(error, query, run.timeoutMs),
      noAnswers,
    );
  } finally {
    clearTimeout(timer);
  }
}
