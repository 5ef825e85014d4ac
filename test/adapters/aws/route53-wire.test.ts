// Route 53 as it answers on the wire: a real client over a scripted HTTP handler (no network) shows the
// SDK's standard retry strategy backing off on PriorRequestNotComplete, and Route 53's reason for a
// refused batch reaching the error however the SDK parses it.
import { describe, expect, it } from 'vitest';
import { Route53DnsAdapter } from '../../../lambdas/adapters/aws/route53-dns.adapter';
import { CloudCallError, DnsConflictError } from '../../../lambdas/ports/errors';
import { scriptedClient } from './scripted-route53';

const BUSY = `<?xml version="1.0"?><ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Error><Type>Sender</Type><Code>PriorRequestNotComplete</Code><Message>The request was rejected because Route 53 was still processing a prior request.</Message></Error><RequestId>r</RequestId></ErrorResponse>`;
const INSYNC = `<?xml version="1.0"?><GetChangeResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><ChangeInfo><Id>/change/C1</Id><Status>INSYNC</Status><SubmittedAt>2025-01-01T00:00:00Z</SubmittedAt></ChangeInfo></GetChangeResponse>`;

describe('Route 53 retries through the SDK standard retry strategy', () => {
  it('retries PriorRequestNotComplete and succeeds when the zone frees up', async () => {
    const { client, calls } = scriptedClient(2, [
      { status: 400, body: BUSY },
      { status: 200, body: INSYNC },
    ]);
    expect(await new Route53DnsAdapter(client).changeStatus('C1')).toBe('INSYNC');
    expect(calls()).toBe(2);
  });

  it('gives up after maxAttempts with a retryable CloudCallError', async () => {
    const { client, calls } = scriptedClient(2, [{ status: 400, body: BUSY }]);
    await expect(new Route53DnsAdapter(client).changeStatus('C1')).rejects.toSatisfy(
      (e) =>
        e instanceof CloudCallError && e.retryable && /GetChange on C1 failed: PriorRequestNotComplete/.test(e.message),
    );
    expect(calls()).toBe(2);
  });
});

/** Route 53 refusing a batch for one reason: a single <Message>, which SDK v3 parses as `messages: []`. */
const refused = (message: string) =>
  `<?xml version="1.0"?><ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Error><Type>Sender</Type><Code>InvalidChangeBatch</Code><Message>${message}</Message></Error><RequestId>r</RequestId></ErrorResponse>`;
const A_SET = { name: 'www.example.com', type: 'A', ttl: 60, values: ['10.0.0.1'] };

describe("Route 53's reason for a refused batch", () => {
  it('names the lost compare-and-swap when Route 53 gives a single <Message>', async () => {
    // Prepare
    const reason = "[Tried to delete resource record set [name='www.example.com.', type='A'] but it was not found]";
    const { client } = scriptedClient(1, [{ status: 400, body: refused(reason) }]);
    // Act
    const refusal = new Route53DnsAdapter(client).changeRecordSets('Z1', [{ action: 'DELETE', recordSet: A_SET }]);
    // Assess
    await expect(refusal).rejects.toThrow(DnsConflictError);
    await expect(refusal).rejects.toThrow(
      `record sets in Z1 changed since they were read (${reason}); re-read and re-plan`,
    );
  });

  it('keeps a configuration refusal in a single <Message> as the CloudCallError reason', async () => {
    const reason = 'RRSet of type CNAME with DNS name www.example.com. is not permitted at apex in zone example.com.';
    const { client } = scriptedClient(1, [{ status: 400, body: refused(reason) }]);
    await expect(
      new Route53DnsAdapter(client).changeRecordSets('Z1', [{ action: 'CREATE', recordSet: A_SET }]),
    ).rejects.toSatisfy(
      (e) =>
        e instanceof CloudCallError &&
        !e.retryable &&
        e.message === `Route 53 ChangeResourceRecordSets on Z1 failed: InvalidChangeBatch: ${reason}`,
    );
  });
});
