// The Route 53 adapter relies on the SDK's standard retry strategy backing off on PriorRequestNotComplete;
// this runs a real client over a scripted HTTP handler (no network) to show that it does.
import { Readable } from 'node:stream';
import { Route53Client } from '@aws-sdk/client-route-53';
import { describe, expect, it } from 'vitest';
import { Route53DnsAdapter } from '../../../lambdas/adapters/aws/route53-dns.adapter';
import { CloudCallError } from '../../../lambdas/ports/errors';

const BUSY = `<?xml version="1.0"?><ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Error><Type>Sender</Type><Code>PriorRequestNotComplete</Code><Message>The request was rejected because Route 53 was still processing a prior request.</Message></Error><RequestId>r</RequestId></ErrorResponse>`;
const INSYNC = `<?xml version="1.0"?><GetChangeResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><ChangeInfo><Id>/change/C1</Id><Status>INSYNC</Status><SubmittedAt>2025-01-01T00:00:00Z</SubmittedAt></ChangeInfo></GetChangeResponse>`;

function scriptedClient(maxAttempts: number, responses: readonly { status: number; body: string }[]) {
  let calls = 0;
  const requestHandler = {
    handle: async () => {
      const next = responses[Math.min(calls, responses.length - 1)]!;
      calls += 1;
      return { response: { statusCode: next.status, reason: '', headers: { 'content-type': 'text/xml' }, body: Readable.from([Buffer.from(next.body)]) } };
    },
  };
  const client = new Route53Client({ region: 'us-east-1', maxAttempts, credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' }, requestHandler });
  return { client, calls: () => calls };
}

describe('Route 53 retries through the SDK standard retry strategy', () => {
  it('retries PriorRequestNotComplete and succeeds when the zone frees up', async () => {
    const { client, calls } = scriptedClient(2, [{ status: 400, body: BUSY }, { status: 200, body: INSYNC }]);
    expect(await new Route53DnsAdapter(client).changeStatus('C1')).toBe('INSYNC');
    expect(calls()).toBe(2);
  });

  it('gives up after maxAttempts with a retryable CloudCallError', async () => {
    const { client, calls } = scriptedClient(2, [{ status: 400, body: BUSY }]);
    await expect(new Route53DnsAdapter(client).changeStatus('C1')).rejects.toSatisfy(
      (e) => e instanceof CloudCallError && e.retryable && /GetChange on C1 failed: PriorRequestNotComplete/.test(e.message),
    );
    expect(calls()).toBe(2);
  });
});
