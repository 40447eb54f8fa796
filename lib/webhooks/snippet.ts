/** The receiver-side verification shown on the API docs page; mirrors verify.ts (tested there). */
export const RECEIVER_SNIPPET = `// Node.js (no dependencies). secret = the subscription's signing secret (whsec_…)
import crypto from 'node:crypto';
import http from 'node:http';

function verifyTarmoSignature(secret, header, rawBody, toleranceSeconds = 300) {
  const parts = Object.fromEntries(String(header || '').split(',').map((p) => p.trim().split('=', 2)));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1) return false;
  if (Math.abs(Date.now() / 1000 - t) > toleranceSeconds) return false; // replayed or stale
  const expected = crypto.createHmac('sha256', secret).update(t + '.').update(rawBody).digest();
  const given = Buffer.from(parts.v1, 'hex');
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const raw = Buffer.concat(chunks);
    if (!verifyTarmoSignature(process.env.TARMO_WEBHOOK_SECRET, req.headers['x-tarmo-signature'], raw)) {
      res.writeHead(401).end();
      return;
    }
    const event = JSON.parse(raw.toString('utf8'));
    // … handle event.type once per event.id …
    res.writeHead(204).end();
  });
}).listen(8080);`;
