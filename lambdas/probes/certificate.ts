// The server certificate's expiry, read off a TLS socket, and the secure contexts probes share.
import { createSecureContext, rootCertificates, type SecureContext, type TLSSocket } from 'node:tls';
import type { CertificateInfo } from '../domain/observation';

const dayMs = 86_400_000;

/** Expiry of the certificate a TLS socket was shown; undefined when there was none (handshake not reached). */
export function certificateInfo(socket: TLSSocket, warningDays: number, now: number = Date.now()): CertificateInfo | undefined {
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
