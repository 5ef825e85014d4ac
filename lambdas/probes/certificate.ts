// The server certificate's expiry, read off a TLS socket, and the secure contexts probes share.
import { createSecureContext, rootCertificates, type SecureContext, type TLSSocket } from 'node:tls';
import { ProbeErrorCode, type CertificateInfo } from '../domain/observation';
import { failureFromSocketError, type ProbeFailure } from './probe-outcome';

const dayMs = 86_400_000;

/** Expiry of the certificate a TLS socket was shown; undefined when there was none (handshake not reached). */
export function certificateInfo(
  socket: TLSSocket,
  warningDays: number,
  now: number = Date.now(),
): CertificateInfo | undefined {
  const certificate = socket.getPeerCertificate();
  if (!certificate || !certificate.valid_to) return undefined;
  const validTo = new Date(certificate.valid_to);
  if (Number.isNaN(validTo.getTime())) return undefined;
  // Whole days, rounded toward zero: 2.9 days ago is "expired 2 days ago" (-2).
  const daysLeft = Math.trunc((validTo.getTime() - now) / dayMs);
  return { validTo: validTo.toISOString(), daysLeft, expiringSoon: daysLeft <= warningDays };
}

// Building a secure context parses every root certificate; done once per CA bundle, not per probe.
const secureContexts = new Map<string, SecureContext>();

/** A secure context trusting the system roots plus `caPem` when given. */
export function secureContextFor(caPem: string | undefined): SecureContext {
  const key = caPem ?? '';
  let context = secureContexts.get(key);
  if (!context) {
    context = createSecureContext(caPem ? { ca: [...rootCertificates, caPem] } : {});
    secureContexts.set(key, context);
  }
  return context;
}

/** Why a TLS socket's peer failed verification (socket.authorized is false), naming the fix. */
export function tlsVerificationFailure(socket: TLSSocket, hostname: string): ProbeFailure {
  const code = String(socket.authorizationError ?? 'UNKNOWN');
  const { error } = failureFromSocketError(Object.assign(new Error(code), { code }));
  const peer = socket.getPeerCertificate();
  if (error === ProbeErrorCode.TLS_HOSTNAME_MISMATCH) {
    return {
      error,
      detail: `the certificate is for ${peer.subjectaltname ?? peer.subject?.CN ?? 'another name'}, not ${hostname}; fix serverName or the certificate`,
    };
  }
  if (error === ProbeErrorCode.TLS_CERT_EXPIRED)
    return { error, detail: `the certificate of ${hostname} expired on ${peer.valid_to}` };
  if (error === ProbeErrorCode.TLS_CERT_UNTRUSTED) {
    return {
      error,
      detail: `the certificate of ${hostname} is not trusted (${code}); add its CA as caPem, or fix the served chain`,
    };
  }
  return {
    error: error === ProbeErrorCode.PROBE_ERROR ? ProbeErrorCode.TLS_ERROR : error,
    detail: `TLS verification of ${hostname} failed: ${code}`,
  };
}
