import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify } from 'jose';
import { getDb, writeTransaction } from '@/db/client';
import { useTempDatabase } from '@/tests/helpers/db';
import { seedPrivacyFixtures } from '@/tests/fixtures/privacy';
import { compileDataPackage } from './data-package';
import { forgetCustomer } from './forget';
import { requestDoubleOptIn, confirmOptInIn } from './optin';
import { optInPost } from './customer-pages';
import { receiptAnswer } from './receipt-http';
import { receiptJwks, rotateReceiptKey } from './receipt-keys';
import { checkReceiptInLedger, findReceipt, verifyReceiptSignature, type ReceiptPayload } from './receipts';
import { recordConsent } from './ledger';

const db = useTempDatabase();
let customers: Awaited<ReturnType<typeof seedPrivacyFixtures>>['customers'];
beforeAll(async () => {
  ({ customers } = await seedPrivacyFixtures(6));
});

let server: http.Server;
let jwksUrl: URL;
beforeAll(async () => {
  // The published key set over real HTTP, as a third party would fetch it.
  server = http.createServer((_req, res) => {
    void receiptJwks().then((set) => {
      res.writeHead(200, { 'content-type': 'application/jwk-set+json' });
      res.end(JSON.stringify(set));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  jwksUrl = new URL(
    `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/tarmo-receipt-keys.json`,
  );
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function optInLink(customerId: number): Promise<string> {
  await writeTransaction(
    async (tx) =>
      await requestDoubleOptIn(tx, {
        customerId,
        purposeKey: 'newsletter',
        themes: ['recipes'],
        source: 'form',
        evidence: {},
      }),
  );
  const row = (await db.get(
    "SELECT body_text FROM outbox WHERE customer_id = ? AND category = 'optin' ORDER BY id DESC",
    customerId,
  )) as { body_text: string };
  return /\/optin\/([A-Za-z0-9_-]{43})/.exec(row.body_text)![1]!;
}

function flipByte(token: string, index: number): string {
  const chars = token.split('');
  const c = chars[index]!;
  chars[index] = c === 'A' ? 'B' : 'A';
  return chars.join('');
}

describe('consent receipts', () => {
  it('a grant through the opt-in link yields a signed receipt that verifies with the published key and names its ledger event', async () => {
    const c = customers[0]!;
    const raw = await optInLink(c.id);
    const page = await optInPost(raw, { ip: '203.0.113.9', userAgent: 'Test/1.0' });
    expect(page.status).toBe(200);
    const links = [
      ...page.html.matchAll(/<a rel="receipt" href="[^"]*\/receipts\/([A-Za-z0-9_-]{43})"/g),
    ].map((m) => m[1]!);
    expect(links).toHaveLength(2); // the purpose and its theme

    // The confirmation mail links the same receipts.
    const mail = (await db.get(
      "SELECT body_text, body_html FROM outbox WHERE customer_id = ? AND category = 'receipt'",
      c.id,
    )) as { body_text: string; body_html: string };
    for (const id of links) expect(mail.body_text).toContain(`/receipts/${id}`);
    expect(mail.body_html).toContain('rel="receipt"');

    const jose = await receiptAnswer(links[0]!, 'jose', null);
    expect(jose?.kind).toBe('jose');
    const token = (jose as { token: string }).token;

    // Any standard JOSE library: the remote JWKS over HTTP, the kid picks the key.
    const remote = await jwtVerify(token, createRemoteJWKSet(jwksUrl), { algorithms: ['EdDSA'] });
    expect(remote.protectedHeader).toMatchObject({ alg: 'EdDSA', typ: 'consent-receipt+jwt' });
    expect(remote.protectedHeader.kid).toBeTruthy();
    const payload = remote.payload as unknown as ReceiptPayload;
    expect(payload).toMatchObject({
      event: { action: 'grant', state: 'granted' },
      purpose: { key: 'newsletter', legalBasis: { key: 'consent', article: 'GDPR Art. 6(1)(a)' } },
      method: { kind: 'link-click' },
      channel: 'email',
      controller: { name: expect.any(String), contact: expect.any(String) },
    });
    expect(payload.notice?.url).toMatch(/\/notices\/newsletter\/\d+\?lang=/);
    expect(payload.rights.map((r) => r.right)).toContain('erasure');

    // The hash is the ledger event's chain hash.
    const event = (await db.get(
      'SELECT id, hash FROM consent_events WHERE id = ?',
      payload.ledger.eventId,
    )) as {
      id: number;
      hash: string;
    };
    expect(payload.ledger.hash).toBe(event.hash);
    expect(await checkReceiptInLedger(getDb(), payload)).toEqual({ ok: true });

    // Nothing the person does not know: no address, name, IP or user agent.
    const text = JSON.stringify(payload);
    for (const secret of [c.email, '203.0.113', 'Test/1.0', c.name].filter(Boolean) as string[])
      expect(text).not.toContain(secret);

    // Any changed byte fails: header, payload and signature.
    const keys = await receiptJwks();
    for (let i = 0; i < token.length; i++) {
      if (token[i] === '.') continue;
      const tampered = flipByte(token, i);
      expect((await verifyReceiptSignature(tampered, keys)).ok, `byte ${i}`).toBe(false);
    }
    // Header and payload are signed as they are: a standard library refuses any change there too.
    const local = createLocalJWKSet(keys);
    const signatureStart = token.lastIndexOf('.');
    for (const i of [0, 5, token.indexOf('.') + 1, signatureStart - 1])
      await expect(jwtVerify(flipByte(token, i), local), `byte ${i}`).rejects.toThrow();
  }, 60_000);

  it('a rotated key still verifies old receipts; new receipts use the new kid', async () => {
    const before = await recordConsent({
      customerId: customers[1]!.id,
      purposeKey: 'newsletter',
      action: 'grant',
      source: 'api',
      evidence: { source: 'shop checkout' },
    });
    const oldReceipt = (await findReceipt(getDb(), before.receiptId!))!;
    expect(oldReceipt.payload.method).toEqual({ kind: 'api', detail: 'API', source: 'shop checkout' });
    const newKid = await rotateReceiptKey();
    expect(newKid).not.toBe(oldReceipt.kid);
    const after = await recordConsent({
      customerId: customers[1]!.id,
      purposeKey: 'newsletter',
      action: 'withdraw',
      source: 'form',
      evidence: { method: 'preference-center' },
    });
    const newReceipt = (await findReceipt(getDb(), after.receiptId!))!;
    expect(newReceipt.kid).toBe(newKid);
    expect(newReceipt.payload.event).toMatchObject({ action: 'withdraw', state: 'withdrawn' });

    const set = await receiptJwks();
    expect(set.keys.map((k) => k.kid)).toEqual([newKid, oldReceipt.kid]);
    const remote = createRemoteJWKSet(jwksUrl, { cacheMaxAge: 0, cooldownDuration: 0 });
    expect((await verifyReceiptSignature(oldReceipt.token, remote)).ok).toBe(true);
    expect((await verifyReceiptSignature(newReceipt.token, remote)).ok).toBe(true);
  });

  it('the receipt is in the data export and erasure deletes it', async () => {
    const c = customers[3]!;
    const granted = await recordConsent({
      customerId: c.id,
      purposeKey: 'newsletter',
      action: 'grant',
      source: 'form',
      evidence: {},
    });
    const pkg = await writeTransaction(async (tx) => await compileDataPackage(tx, c.id));
    expect(pkg.receipts.items).toHaveLength(1);
    expect(pkg.receipts.items[0]).toMatchObject({ action: 'grant', purpose: 'newsletter' });
    expect(pkg.receipts.items[0]!.url).toContain(`/receipts/${granted.receiptId}`);
    expect((await verifyReceiptSignature(pkg.receipts.items[0]!.jws, await receiptJwks())).ok).toBe(true);

    await writeTransaction(async (tx) => await forgetCustomer(tx, c.id, { actor: 'customer' }));
    expect(await findReceipt(getDb(), granted.receiptId!)).toBeNull();
    expect(
      await db.get('SELECT count(*) AS n FROM consent_receipts WHERE customer_id = ?', c.id),
    ).toMatchObject({
      n: 0,
    });
  });

  it('npm run receipt:verify checks the signature and the ledger, and fails on a changed byte', async () => {
    const granted = await recordConsent({
      customerId: customers[5]!.id,
      purposeKey: 'newsletter',
      action: 'grant',
      source: 'form',
      evidence: {},
    });
    const receipt = (await findReceipt(getDb(), granted.receiptId!))!;
    const dir = fs.mkdtempSync(path.join(db.dir(), 'receipt-'));
    const good = path.join(dir, 'good.jws');
    fs.writeFileSync(good, receipt.token);
    const json = path.join(dir, 'receipt.json');
    fs.writeFileSync(json, JSON.stringify({ receipt: receipt.payload, jws: receipt.token }));
    const bad = path.join(dir, 'bad.jws');
    fs.writeFileSync(bad, flipByte(receipt.token, receipt.token.indexOf('.') + 5));
    // Asynchronous: the key set is served by this test process, which must stay responsive.
    const run = (...args: string[]) =>
      new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(
          process.execPath,
          [path.resolve('node_modules/tsx/dist/cli.mjs'), 'scripts/receipt-verify.ts', ...args],
          { env: { ...process.env } },
        );
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('close', (status) => resolve({ status, stdout, stderr }));
      });
    const ok = await run(good);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain(`Ledger event ${granted.eventId} is in the ledger`);
    const viaUrl = await run(json, '--jwks', jwksUrl.href);
    expect(viaUrl.status, viaUrl.stderr + viaUrl.stdout).toBe(0);
    const broken = await run(bad);
    expect(broken.status).toBe(1);
    expect(broken.stderr).toContain('INVALID');
  }, 60_000);
});

describe('confirmOptInIn', () => {
  it('returns the receipt urls of the grants it recorded', async () => {
    const raw = await optInLink(customers[4]!.id);
    const result = await writeTransaction(async (tx) => await confirmOptInIn(tx, raw, {}));
    expect(result.ok && result.value.receiptUrls.length).toBe(2);
  });
});
