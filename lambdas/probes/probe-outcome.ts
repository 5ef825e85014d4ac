// Turns what a socket, TLS or the resolver reported into an Observation's error code and detail.
import { ProbeErrorCode, type Observation, type ProbeKind } from '../domain/observation';
import { errorMessage } from '../domain/errors';

/** What every probe needs besides its own settings. */
export interface ProbeRun {
  readonly targetId: string;
  /** The probe fails with ETIMEDOUT (DNS_TIMEOUT for DNS) when it has not finished after this long. */
  readonly timeoutMs: number;
  /** Region of the checker making the probe. @default - not recorded */
  readonly checker?: string;
}

/** A probe's failure: an error code and the person-readable detail. */
export interface ProbeFailure {
  readonly error: string;
  readonly detail: string;
}

const socketErrors: Readonly<Record<string, string>> = {
  ECONNREFUSED: ProbeErrorCode.ECONNREFUSED,
  ECONNRESET: ProbeErrorCode.ECONNRESET,
  EPIPE: ProbeErrorCode.ECONNRESET,
  ECONNABORTED: ProbeErrorCode.ECONNRESET,
  ETIMEDOUT: ProbeErrorCode.ETIMEDOUT,
  EHOSTUNREACH: ProbeErrorCode.EHOSTUNREACH,
  ENETUNREACH: ProbeErrorCode.EHOSTUNREACH,
  EHOSTDOWN: ProbeErrorCode.EHOSTUNREACH,
  ENOTFOUND: ProbeErrorCode.ENOTFOUND,
  EAI_AGAIN: ProbeErrorCode.ENOTFOUND,
  EAI_NONAME: ProbeErrorCode.ENOTFOUND,
  CERT_HAS_EXPIRED: ProbeErrorCode.TLS_CERT_EXPIRED,
  ERR_TLS_CERT_ALTNAME_INVALID: ProbeErrorCode.TLS_HOSTNAME_MISMATCH,
  DEPTH_ZERO_SELF_SIGNED_CERT: ProbeErrorCode.TLS_CERT_UNTRUSTED,
  SELF_SIGNED_CERT_IN_CHAIN: ProbeErrorCode.TLS_CERT_UNTRUSTED,
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: ProbeErrorCode.TLS_CERT_UNTRUSTED,
  UNABLE_TO_GET_ISSUER_CERT: ProbeErrorCode.TLS_CERT_UNTRUSTED,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: ProbeErrorCode.TLS_CERT_UNTRUSTED,
  CERT_UNTRUSTED: ProbeErrorCode.TLS_CERT_UNTRUSTED,
  CERT_SIGNATURE_FAILURE: ProbeErrorCode.TLS_CERT_UNTRUSTED,
  CERT_REVOKED: ProbeErrorCode.TLS_CERT_UNTRUSTED,
  CERT_NOT_YET_VALID: ProbeErrorCode.TLS_CERT_UNTRUSTED,
};

/** Maps an error from net, http, https or tls to a probe error code. */
export function failureFromSocketError(error: unknown): ProbeFailure {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = errorMessage(error);
  const mapped = code === undefined ? undefined : socketErrors[code];
  if (mapped) return { error: mapped, detail: message };
  if (code?.startsWith('ERR_SSL') || code === 'EPROTO' || code?.startsWith('ERR_TLS')) {
    return { error: ProbeErrorCode.TLS_ERROR, detail: message };
  }
  if (code === 'EMFILE' || code === 'ENFILE') {
    // Lambda allows 1,024 open files; each probe in flight holds one socket.
    return {
      error: ProbeErrorCode.PROBE_ERROR,
      detail: `${code}: too many open files; lower the probe concurrency (${message})`,
    };
  }
  return { error: ProbeErrorCode.PROBE_ERROR, detail: code ? `${code}: ${message}` : message };
}

export function timeoutFailure(timeoutMs: number): ProbeFailure {
  return { error: ProbeErrorCode.ETIMEDOUT, detail: `no answer within ${timeoutMs} ms` };
}

/** Milliseconds since `startedMs` (a performance.now() reading), to the hundredth. */
function elapsedMs(startedMs: number): number {
  return Math.round((performance.now() - startedMs) * 100) / 100;
}

/** The fields every observation has; the probe adds ok, error and what it learnt. */
export function observationBase(run: ProbeRun, kind: ProbeKind, at: string, startedMs: number) {
  const base = { targetId: run.targetId, kind, latencyMs: elapsedMs(startedMs), at };
  return run.checker === undefined ? base : { ...base, checker: run.checker };
}

export function failedObservation(
  run: ProbeRun,
  kind: ProbeKind,
  at: string,
  startedMs: number,
  failure: ProbeFailure,
  extra?: Partial<Observation>,
): Observation {
  return {
    ...observationBase(run, kind, at, startedMs),
    ...extra,
    ok: false,
    error: failure.error,
    detail: failure.detail,
  };
}
