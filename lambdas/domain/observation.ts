// What one probe saw. Probes never throw: every outcome, failures included, is an Observation.

export const ProbeErrorCode = {
  ECONNREFUSED: 'ECONNREFUSED',
  ECONNRESET: 'ECONNRESET',
  ETIMEDOUT: 'ETIMEDOUT',
  EHOSTUNREACH: 'EHOSTUNREACH',
  ENOTFOUND: 'ENOTFOUND',
  /** HTTP status outside the expected ones; the code is `HTTP_<status>`, e.g. HTTP_503. */
  HTTP_STATUS: 'HTTP_STATUS',
  /** The answer is not HTTP/1.x, or breaks its framing (bad Content-Length, bad chunk size, head over the cap). */
  HTTP_MALFORMED: 'HTTP_MALFORMED',
  /** The head arrived but the body stopped coming before its end (or the cap) within the timeout. */
  HTTP_BODY_TIMEOUT: 'HTTP_BODY_TIMEOUT',
  /** The connection closed or was reset before the end of the body. */
  HTTP_BODY_TRUNCATED: 'HTTP_BODY_TRUNCATED',
  /** More redirects than a probe follows. */
  HTTP_TOO_MANY_REDIRECTS: 'HTTP_TOO_MANY_REDIRECTS',
  BODY_MISMATCH: 'BODY_MISMATCH',
  LATENCY_BUDGET_EXCEEDED: 'LATENCY_BUDGET_EXCEEDED',
  TLS_CERT_EXPIRED: 'TLS_CERT_EXPIRED',
  TLS_CERT_UNTRUSTED: 'TLS_CERT_UNTRUSTED',
  TLS_HOSTNAME_MISMATCH: 'TLS_HOSTNAME_MISMATCH',
  TLS_ERROR: 'TLS_ERROR',
  DNS_NXDOMAIN: 'DNS_NXDOMAIN',
  DNS_NODATA: 'DNS_NODATA',
  DNS_SERVFAIL: 'DNS_SERVFAIL',
  DNS_REFUSED: 'DNS_REFUSED',
  DNS_TIMEOUT: 'DNS_TIMEOUT',
  PROBE_ERROR: 'PROBE_ERROR',
} as const;

export type ProbeKind = 'http' | 'https' | 'tcp' | 'dns';

export interface CertificateInfo {
  readonly validTo: string;
  readonly daysLeft: number;
  /** True when daysLeft is at or under the configured warning threshold. */
  readonly expiringSoon: boolean;
}

interface DnsAnswerInfo {
  readonly nameserver: string;
  readonly answers: readonly string[];
  /** Answers that are none of the record's configured targets. */
  readonly unexpected: readonly string[];
}

export interface Observation {
  /** The probed target's id (server, load balancer or database member id; for DNS, `<record id>@<nameserver>`). */
  readonly targetId: string;
  readonly kind: ProbeKind;
  readonly ok: boolean;
  readonly latencyMs: number;
  /** A ProbeErrorCode, or `HTTP_<status>` for a status outside the expected ones. */
  readonly error?: string;
  /** A person-readable detail of the error. */
  readonly detail?: string;
  /** ISO-8601 time the probe started. */
  readonly at: string;
  /** Region of the checker that made the observation. */
  readonly checker?: string;
  readonly certificate?: CertificateInfo;
  /** HTTP(S) probes: the status of the final response (after redirects), once its head was read. */
  readonly httpStatus?: number;
  readonly dns?: DnsAnswerInfo;
}
