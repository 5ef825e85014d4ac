// A real Route 53 client whose HTTP answers are scripted, so the SDK's own retry strategy runs.
import { Readable } from 'node:stream';
import { Route53Client } from '@aws-sdk/client-route-53';

/** The client and how many HTTP requests it made; the last response repeats once the script runs out. */
export function scriptedClient(maxAttempts: number, responses: readonly { status: number; body: string }[]) {
  let calls = 0;
  const requestHandler = {
    handle: async () => {
      const next = responses[Math.min(calls, responses.length - 1)]!;
      calls += 1;
      return {
        response: {
          statusCode: next.status,
          reason: '',
          headers: { 'content-type': 'text/xml' },
          body: Readable.from([Buffer.from(next.body)]),
        },
      };
    },
  };
  const client = new Route53Client({
    region: 'us-east-1',
    maxAttempts,
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
    requestHandler,
  });
  return { client, calls: () => calls };
}
