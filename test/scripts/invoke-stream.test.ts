import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { parseInvokeArgs } from '../../scripts/invoke-args';
import { FORBIDDEN_HINT, findStreamUrl, signedHeaders, streamFromUrl } from '../../scripts/invoke-stream';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

/** A local server standing in for the Function URL: records the request, answers NDJSON in pieces. */
async function fakeFunctionUrl(refuse = false): Promise<{ url: string; seen: { headers?: http.IncomingHttpHeaders; body?: string }; close(): Promise<void> }> {
  const seen: { headers?: http.IncomingHttpHeaders; body?: string } = {};
  const server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      seen.headers = req.headers;
      seen.body = Buffer.concat(parts).toString('utf8');
      if (refuse) {
        res.writeHead(403, { 'content-type': 'application/json' });
        res.end('{"Message":"Forbidden"}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      res.write('{"type":"start","cache":"miss","modelId":"m"}\n{"type":"delta","text":"Las "}\n{"type":"del');
      setTimeout(() => res.end('ta","text":"Vegas"}\n{"type":"end","stopReason":"end_turn"}\n'), 20);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, seen, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('npm run invoke -- --stream', () => {
  it('parses --stream', () => {
    expect(parseInvokeArgs(['memorydb', '--stream', 'Where', 'is', 'Las Vegas?'])).toEqual({ backend: 'memorydb', prompt: 'Where is Las Vegas?', options: {}, stream: true });
  });

  it('sends the request signed with SigV4 for the service lambda, and hands over each event as its line completes', async () => {
    const server = await fakeFunctionUrl();
    try {
      const events: Array<Record<string, unknown>> = [];
      const status = await streamFromUrl(server.url, { prompt: 'Where is Las Vegas?' }, { credentials, region: 'us-west-2' }, (event) => events.push(event));
      expect(status).toBe(200);
      expect(events.map((event) => event.type)).toEqual(['start', 'delta', 'delta', 'end']);
      expect(JSON.parse(server.seen.body!)).toEqual({ prompt: 'Where is Las Vegas?' });
      const authorization = String(server.seen.headers!.authorization);
      expect(authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-west-2\/lambda\/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}$/);
      expect(server.seen.headers!['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    } finally {
      await server.close();
    }
  });

  it('says which permissions the caller needs when the Function URL answers 403', async () => {
    const server = await fakeFunctionUrl(true);
    try {
      const failed = streamFromUrl(server.url, { prompt: 'x' }, { credentials, region: 'us-west-2' }, () => undefined);
      await expect(failed).rejects.toThrow(/answered 403: \{"Message":"Forbidden"\}/);
      await expect(failed).rejects.toThrow(FORBIDDEN_HINT);
      expect(FORBIDDEN_HINT).toMatch(/lambda:InvokeFunctionUrl and lambda:InvokeFunction/);
    } finally {
      await server.close();
    }
  });

  it('signs with the region of a Function URL host, deterministically for a given time', async () => {
    const url = new URL('https://abcdefghijklmnopqrstuvwxyz012345.lambda-url.eu-west-1.on.aws/');
    const signingDate = new Date('2026-01-02T03:04:05Z');
    const a = await signedHeaders(url, '{"prompt":"x"}', { credentials, region: 'us-east-1', signingDate });
    const b = await signedHeaders(url, '{"prompt":"x"}', { credentials, region: 'us-east-1', signingDate });
    const other = await signedHeaders(url, '{"prompt":"y"}', { credentials, region: 'us-east-1', signingDate });
    expect(a.authorization).toContain('Credential=AKIDEXAMPLE/20260102/eu-west-1/lambda/aws4_request');
    expect(a.authorization).toBe(b.authorization);
    expect(other.authorization).not.toBe(a.authorization); // the body is signed
  });

  it('reads the URL from the StreamUrl output and says how to get one when it is missing', async () => {
    const cfn = mockClient(CloudFormationClient);
    try {
      cfn.on(DescribeStacksCommand).resolvesOnce({ Stacks: [{ StackName: 'x', CreationTime: new Date(), StackStatus: 'CREATE_COMPLETE', Outputs: [{ OutputKey: 'StreamUrl', OutputValue: 'https://u.lambda-url.us-east-1.on.aws/' }] }] })
        .resolvesOnce({ Stacks: [{ StackName: 'x', CreationTime: new Date(), StackStatus: 'CREATE_COMPLETE', Outputs: [] }] });
      const client = new CloudFormationClient({ region: 'us-east-1' });
      await expect(findStreamUrl(client, 'memorydb')).resolves.toBe('https://u.lambda-url.us-east-1.on.aws/');
      await expect(findStreamUrl(client, 'memorydb')).rejects.toThrow(/-c streaming=true/);
    } finally {
      cfn.restore();
    }
  });
});
