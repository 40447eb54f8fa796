import { requireStaff } from '@/app/_lib/session';
import { API_OPERATIONS, buildOpenApiDocument } from '@/lib/api/openapi';
import { appEnv } from '@/lib/config/env';
import { MAX_EVENT_BATCH } from '@/lib/api/schemas';
import { RECEIVER_SNIPPET } from '@/lib/webhooks/snippet';
import styles from './api-docs.module.css';

export const metadata = { title: 'API documentation' };
export const dynamic = 'force-dynamic';

export default async function ApiDocsPage() {
  await requireStaff();
  const base = appEnv().appUrl;
  const document = buildOpenApiDocument(base);
  const schemas = document.components.schemas as Record<string, unknown>;
  return (
    <div className={styles.docs}>
      <h1>API documentation</h1>
      <p>
        The machine-readable description is at <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1,
        generated from the same schemas that validate requests). Create keys under{' '}
        <a href="/settings/api-keys">Settings → API keys</a>.
      </p>

      <section aria-labelledby="basics">
        <h2 id="basics">Basics</h2>
        <ul>
          <li>
            Send <code>Authorization: Bearer tarmo_…</code>. Scopes: <code>read</code>, <code>write</code>,{' '}
            <code>privacy</code>. A missing, invalid, expired or revoked key gets 401; a key without the scope
            gets 403.
          </li>
          <li>
            Errors always look like{' '}
            <code>
              {'{"error":{"code":"invalid_field","message":"email: Invalid email address","field":"email"}}'}
            </code>
            . Malformed JSON and wrong fields get 400 and change nothing.
          </li>
          <li>
            Each key has a rate limit per minute; above it you get 429 with <code>Retry-After</code>{' '}
            (seconds).
          </li>
          <li>
            Send <code>Idempotency-Key: &lt;unique string&gt;</code> on a POST to retry safely: a retry with
            the same key and body gets the first response again (with <code>Idempotent-Replayed: true</code>);
            the same key with another body gets 422.
          </li>
          <li>
            Lists are paged: <code>?limit=50</code> (at most 200) and <code>?cursor=</code> the{' '}
            <code>nextCursor</code> of the previous page.
          </li>
          <li>Events: one object or an array of up to {MAX_EVENT_BATCH}; a larger batch gets 413.</li>
          <li>
            An address erased at the person&apos;s request is refused with 409 <code>erased_address</code>{' '}
            until the person signs up again.
          </li>
        </ul>
        <pre className={styles.code}>{`curl -X POST ${base}/api/v1/customers \\
  -H "Authorization: Bearer $TARMO_KEY" -H "Content-Type: application/json" \\
  -H "Idempotency-Key: crm-sync-4711" \\
  -d '{"externalId":"crm-4711","email":"anna@example.com","name":"Anna"}'`}</pre>
      </section>

      <section aria-labelledby="endpoints">
        <h2 id="endpoints">Endpoints</h2>
        {API_OPERATIONS.map((op) => (
          <article key={`${op.method} ${op.path}`} className={`card ${styles.operation}`}>
            <h3>
              <span className={styles.method}>{op.method.toUpperCase()}</span> <code>{op.path}</code>
            </h3>
            <p>
              {op.summary}
              {op.scope ? (
                <>
                  {' '}
                  — scope <code>{op.scope}</code>
                </>
              ) : (
                ' — no key'
              )}
            </p>
            {op.description && <p className="muted">{op.description}</p>}
            {op.request && (
              <details>
                <summary>Request body: {op.request}</summary>
                <pre className={styles.code}>{JSON.stringify(schemas[op.request], null, 2)}</pre>
              </details>
            )}
            <p className="muted">
              Responses:{' '}
              {Object.entries(op.responses)
                .map(
                  ([status, spec]) =>
                    `${status}${typeof spec === 'string' && spec !== 'Error' ? ` ${spec}` : ''}`,
                )
                .join(', ')}
            </p>
          </article>
        ))}
      </section>

      <section aria-labelledby="webhooks">
        <h2 id="webhooks">Webhooks</h2>
        <p>
          Subscriptions (<a href="/settings/webhooks">Settings → Webhooks</a>) receive{' '}
          <code>consent.changed</code>, <code>customer.erased</code>, <code>block.changed</code> and{' '}
          <code>privacy_request.updated</code> as a POST with a JSON body{' '}
          <code>{'{"id","type","createdAt","data"}'}</code>. Answer with any 2xx; anything else (or no answer
          within 10 s) is retried with growing delays. The same <code>id</code> may arrive more than once:
          ignore repeats.
        </p>
        <p>
          Each delivery carries <code>X-Tarmo-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</code>: the
          HMAC-SHA256, keyed with the subscription&apos;s secret, of the timestamp, a dot and the raw body.
          Verify it over the raw bytes before parsing, in constant time, and refuse timestamps older than five
          minutes:
        </p>
        <pre className={styles.code}>{RECEIVER_SNIPPET}</pre>
      </section>
    </div>
  );
}
