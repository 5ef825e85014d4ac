import { describe, expect, it } from 'vitest';
import { failureFromSocketError } from '../../lambdas/probes/probe-outcome';

const errorWithCode = (code: string) => Object.assign(new Error(`${code} happened`), { code });

describe('failureFromSocketError', () => {
  it.each([
    ['ECONNREFUSED', 'ECONNREFUSED'],
    ['EPIPE', 'ECONNRESET'],
    ['ENETUNREACH', 'EHOSTUNREACH'],
    ['EAI_AGAIN', 'ENOTFOUND'],
    ['CERT_HAS_EXPIRED', 'TLS_CERT_EXPIRED'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'TLS_HOSTNAME_MISMATCH'],
    ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'TLS_CERT_UNTRUSTED'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'TLS_ERROR'],
    ['EWHATEVER', 'PROBE_ERROR'],
  ])('maps %s to %s, keeping the message as the detail', (code, error) => {
    expect(failureFromSocketError(errorWithCode(code))).toMatchObject({
      error,
      detail: expect.stringContaining(`${code} happened`),
    });
  });

  it('tells how to fix running out of file descriptors', () => {
    expect(failureFromSocketError(errorWithCode('EMFILE')).detail).toContain('lower the probe concurrency');
  });

  it('describes a thrown value that is not an Error', () => {
    expect(failureFromSocketError('boom')).toEqual({ error: 'PROBE_ERROR', detail: 'boom' });
  });
});
