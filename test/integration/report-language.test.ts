import { createRightsApi } from '@lukema/api';
import { contractMessages } from '@lukema/headend-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api-client.js';
import { startPipeline } from '../support/pipeline.js';
import { generatedWorld } from '../support/population.js';
import { createTestStack, type TestStack } from '../support/test-stack.js';
import { waitFor } from '../support/wait-for.js';

const FROM = Date.UTC(2026, 9, 1);

describe('the access report in the language the request chose', () => {
  let stack: TestStack;
  let pipeline: Awaited<ReturnType<typeof startPipeline>>;
  let api: ReturnType<typeof createRightsApi>;
  let call: ReturnType<typeof apiClient>;
  let dpo: string;
  const { contracts, messages } = generatedWorld({
    sites: 2,
    seed: 8,
    fromMs: FROM,
    days: 2,
    moveShare: 0,
    vacancyShare: 0,
    badShare: 0,
    lateShare: 0,
  });
  const customer = contracts[0]?.customerId as string;

  /** Starts an export, waits for it and downloads its HTML report. */
  async function reportOf(request: { body?: Record<string, unknown>; query?: string }) {
    const started = await call('POST', `/v1/access-requests${request.query ?? ''}`, {
      token: dpo,
      purpose: 'access_request',
      body: { customerId: customer, ...request.body },
    });
    expect(started.status).toBe(202);
    const { requestId } = (await started.json()) as { requestId: string };
    await waitFor('the export job', async () => {
      const r = await call('GET', `/v1/access-requests/${requestId}`, {
        token: dpo,
        purpose: 'access_request',
      });
      const s = (await r.json()) as { state: string; result?: { found: boolean } };
      return s.state === 'completed' && s.result?.found === true;
    });
    const file = await call('GET', `/v1/access-requests/${requestId}/files/access-report.html`, {
      token: dpo,
      purpose: 'access_request',
    });
    expect(file.status).toBe(200);
    return file.text();
  }

  const headings = (html: string) =>
    [...html.matchAll(/<h2>([^<]*)<\/h2>/g)].map((m) => m[1]).join(' | ');

  beforeAll(async () => {
    stack = await createTestStack('report-language');
    pipeline = await startPipeline(stack);
    api = createRightsApi(stack.config, stack.logger);
    const address = await api.start(0);
    call = apiClient(
      `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    );
    dpo = await api.tokens.create('dpo-lang', 'dpo', ['access_request']);
    await stack.producer.send(stack.config.kafka.topics.contracts, contractMessages(contracts));
    await stack.producer.send(stack.config.kafka.topics.readings, messages);
    await stack.contractsApplied();
    await waitFor('readings committed', async () => (await stack.lag()) === 0, {
      timeoutMs: 90_000,
    });
  });
  afterAll(async () => {
    await api?.stop();
    await pipeline?.stop();
    await stack?.close();
  });

  it('writes a Swedish report when the request asks for Swedish', async () => {
    const html = await reportOf({ body: { language: 'sv' } });
    console.log(`[report-language] sv: ${headings(html)}`);
    expect(html.startsWith('<!DOCTYPE html><html lang="sv">')).toBe(true);
    expect(html).toContain('<h1>Dina personuppgifter hos Example Energy Oy</h1>');
    expect(html).toContain('<h2>Dina förbrukningsplatser och avtalsperioder</h2>');
    expect(html).toContain('Rätt att lämna in klagomål till en tillsynsmyndighet');
    expect(html).toContain('Dataombudsmannens byrå');
    expect(html).not.toContain('Your personal data at');
    expect(html).not.toContain('Henkilötietosi');
  });

  it('writes Finnish by default, and English when the query asks for it', async () => {
    const fi = await reportOf({});
    const en = await reportOf({ query: '?language=en' });
    console.log(`[report-language] default: ${headings(fi)}`);
    console.log(`[report-language] en: ${headings(en)}`);
    expect(fi.startsWith('<!DOCTYPE html><html lang="fi">')).toBe(true);
    expect(fi).toContain('<h1>Henkilötietosi – Example Energy Oy</h1>');
    expect(fi).toContain('Tietosuojavaltuutetun toimisto');
    expect(en.startsWith('<!DOCTYPE html><html lang="en">')).toBe(true);
    expect(en).toContain('Office of the Data Protection Ombudsman');
  });

  it('refuses a language it cannot write, before any export starts', async () => {
    const refused = await call('POST', '/v1/access-requests', {
      token: dpo,
      purpose: 'access_request',
      body: { customerId: customer, language: 'de' },
    });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ error: 'language must be one of fi, sv, en' });
  });
});
