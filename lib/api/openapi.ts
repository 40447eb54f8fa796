import { z } from 'zod';
import { apiSchemas, MAX_EVENT_BATCH } from './schemas';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './pagination';
import { DELIVERABILITY_PROVIDERS } from '@/lib/vocabulary/delivery';

type Scope = 'read' | 'write' | 'privacy' | null;
type Operation = {
  method: 'get' | 'post' | 'patch';
  path: string;
  summary: string;
  description?: string;
  scope: Scope;
  request?: string;
  responses: Record<number, string | { description: string; schema?: string; contentType?: string }>;
  paged?: boolean;
  idempotent?: boolean;
};

/** Every route of the public API. Bodies are named schemas from ./schemas, so nothing is written twice. */
export const API_OPERATIONS: Operation[] = [
  {
    method: 'get',
    path: '/api/health',
    summary: 'Health check',
    scope: null,
    responses: { 200: { description: 'The database answers' } },
  },
  {
    method: 'post',
    path: '/api/v1/customers',
    summary: 'Create or update a customer',
    description:
      "Identified by externalId and/or email. When the two point at different profiles they are merged: both consent ledgers are kept, and per purpose the stricter state wins (a withdrawal or objection beats a grant; blocks are carried over). An address erased at the person's request is refused with 409 erased_address (also while a new sign-up of theirs awaits their own confirmation). A key without the read scope gets only {customer: {id, status}, created, mergedCustomerIds}; an update that changes nothing writes nothing.",
    scope: 'write',
    request: 'CustomerUpsert',
    idempotent: true,
    responses: { 200: 'CustomerUpsertResult', 201: 'CustomerUpsertResult', 409: 'Error' },
  },
  {
    method: 'get',
    path: '/api/v1/customers',
    summary: 'List customers',
    scope: 'read',
    paged: true,
    responses: { 200: 'CustomerPage' },
  },
  {
    method: 'get',
    path: '/api/v1/customers/{id}',
    summary: 'Get a customer',
    scope: 'read',
    responses: { 200: 'Customer', 404: 'Error' },
  },
  {
    method: 'patch',
    path: '/api/v1/customers/{id}',
    summary: 'Update a customer',
    description:
      'A key without the read scope gets only {id, status}, never the profile. An update that changes nothing writes nothing (updatedAt stays).',
    scope: 'write',
    request: 'CustomerPatch',
    responses: { 200: 'Customer', 404: 'Error', 409: 'Error' },
  },
  {
    method: 'get',
    path: '/api/v1/customers/{id}/consents',
    summary: 'Current consent state and history',
    description: 'History includes the ledgers of profiles merged into this one.',
    scope: 'read',
    responses: { 200: 'CustomerConsents', 404: 'Error' },
  },
  {
    method: 'post',
    path: '/api/v1/customers/{id}/consents',
    summary: 'Record a consent grant or withdrawal',
    description:
      'Appended to the tamper-evident ledger with source "api" and the evidence given. A key without the read scope gets only {customerId, status: "recorded"}.',
    scope: 'write',
    request: 'ConsentAction',
    idempotent: true,
    responses: { 201: 'CustomerConsents', 404: 'Error', 409: 'Error', 422: 'Error' },
  },
  {
    method: 'post',
    path: '/api/v1/events',
    summary: 'Track events',
    description: `One event or an array of up to ${MAX_EVENT_BATCH}, stored in one transaction; they start event-triggered journeys and wake enrollments waiting for them. A larger batch gets 413.`,
    scope: 'write',
    request: 'EventsBody',
    idempotent: true,
    responses: { 202: 'EventsResult', 404: 'Error', 413: 'Error' },
  },
  {
    method: 'get',
    path: '/api/v1/purposes',
    summary: 'Purposes with legal basis, themes and current notice version',
    description:
      'honoursGpc: true marks a purpose of sale or sharing / targeted advertising: a Global Privacy Control signal (Sec-GPC: 1) on a customer page or the public sign-up is recorded as an objection to it.',
    scope: 'read',
    responses: { 200: 'PurposeList' },
  },
  {
    method: 'get',
    path: '/api/v1/journeys',
    summary: 'List journeys',
    scope: 'read',
    paged: true,
    responses: { 200: 'JourneyPage' },
  },
  {
    method: 'post',
    path: '/api/v1/journeys/{id}/enrollments',
    summary: 'Enroll a customer in a live journey',
    scope: 'write',
    request: 'EnrollmentInput',
    idempotent: true,
    responses: { 201: 'EnrollmentResult', 404: 'Error', 409: 'Error' },
  },
  {
    method: 'post',
    path: '/api/v1/privacy-requests',
    summary: 'Open a data-subject request (Art. 15–22)',
    description:
      'A key cannot prove who the person is: Tarmo mails a verification link to the address on file, and the request stays "unverified" until it is used. Due one month after receipt (Art. 12(3)).',
    scope: 'privacy',
    request: 'PrivacyRequestInput',
    idempotent: true,
    responses: { 201: 'PrivacyRequest', 404: 'Error' },
  },
  {
    method: 'get',
    path: '/api/v1/privacy-requests/{id}',
    summary: 'Status of a privacy request',
    scope: 'privacy',
    responses: { 200: 'PrivacyRequest', 404: 'Error' },
  },
  {
    method: 'post',
    path: '/api/v1/subscribe',
    summary: 'Public sign-up (no key): starts double opt-in',
    description:
      'Answers 202 with the same body whether or not the address is known. With Sec-GPC: 1 the signal is recorded first as an objection to every purpose with honoursGpc (no opt-in starts for those), and the answer says so in gpc.',
    scope: null,
    request: 'SubscribeInput',
    responses: { 202: 'SubscribeResult', 400: 'Error' },
  },
  {
    method: 'post',
    path: '/api/v1/deliverability/{provider}',
    summary: 'Bounce and complaint notifications from a mail provider',
    description:
      'provider is generic (the body below), ses (Amazon SES through SNS: Notification with a Bounce or Complaint message; SubscriptionConfirmation is confirmed only for an sns.<region>.amazonaws.com SubscribeURL) or postmark (bounce and spam complaint webhooks). Not an API key: send the deliverability secret (TARMO_DELIVERABILITY_SECRET, or Settings → Delivery policy) as "Authorization: Bearer <secret>", as the password of HTTP Basic auth (for SNS and Postmark URLs) or in X-Tarmo-Secret; 401 otherwise. A hard bounce blocks the address, soft bounces block it after the workspace limit, a complaint blocks the customer and withdraws the consent the mail was sent for; the raw notification is kept as evidence.',
    scope: null,
    request: 'DeliverabilityNotification',
    responses: {
      200: 'DeliverabilityResult',
      401: 'Error',
      404: 'Error',
      413: 'Error',
      422: 'Error',
    },
  },
  {
    method: 'get',
    path: '/api/v1/consent/summary',
    summary: 'Consent counts per purpose and state',
    scope: 'read',
    responses: { 200: 'ConsentSummary' },
  },
  {
    method: 'get',
    path: '/api/v1/consent/stream',
    summary: 'Consent changes as server-sent events',
    scope: 'read',
    responses: {
      200: { description: 'text/event-stream of consent changes', contentType: 'text/event-stream' },
    },
  },
];

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });

function responseObject(spec: Operation['responses'][number]) {
  const { description, schema, contentType } =
    typeof spec === 'string'
      ? { description: spec === 'Error' ? 'Error' : 'OK', schema: spec, contentType: undefined }
      : spec;
  if (!schema) return { description, ...(contentType ? { content: { [contentType]: {} } } : {}) };
  return { description, content: { 'application/json': { schema: ref(schema) } } };
}

/** Builds the OpenAPI 3.1 document from the zod registry and the operation list. */
export function buildOpenApiDocument(serverUrl: string) {
  const { schemas } = z.toJSONSchema(apiSchemas, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
    uri: (id) => `#/components/schemas/${id}`,
  });
  const components: Record<string, unknown> = {};
  for (const [id, schema] of Object.entries(schemas)) {
    const { $schema: _ignored, ...rest } = schema as Record<string, unknown>;
    components[id] = rest;
  }

  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of API_OPERATIONS) {
    const parameters: unknown[] = [];
    if (op.path.includes('{id}'))
      parameters.push({ name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } });
    if (op.path.includes('{provider}'))
      parameters.push({
        name: 'provider',
        in: 'path',
        required: true,
        schema: { type: 'string', enum: [...DELIVERABILITY_PROVIDERS] },
      });
    if (op.paged) {
      parameters.push(
        {
          name: 'cursor',
          in: 'query',
          schema: { type: 'string' },
          description: 'nextCursor of the previous page',
        },
        {
          name: 'limit',
          in: 'query',
          schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE },
        },
      );
    }
    if (op.idempotent) {
      parameters.push({
        name: 'Idempotency-Key',
        in: 'header',
        schema: { type: 'string', maxLength: 200 },
        description:
          'Retries with the same key and body get the first response again (header Idempotent-Replayed: true)',
      });
    }
    const responses: Record<string, unknown> = {};
    for (const [status, spec] of Object.entries(op.responses)) responses[status] = responseObject(spec);
    if (op.request)
      responses['400'] = responseObject({
        description: 'Malformed JSON or a wrong field (named in error.field)',
        schema: 'Error',
      });
    if (op.scope) {
      responses['401'] = responseObject({
        description: 'Missing, invalid, expired or revoked key',
        schema: 'Error',
      });
      responses['403'] = responseObject({
        description: `The key lacks the "${op.scope}" scope`,
        schema: 'Error',
      });
      responses['429'] = responseObject({
        description: 'Rate limit of the key reached; see Retry-After',
        schema: 'Error',
      });
    }
    paths[op.path] ??= {};
    paths[op.path]![op.method] = {
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      ...(op.scope ? { security: [{ apiKey: [] }], 'x-required-scope': op.scope } : { security: [] }),
      ...(parameters.length ? { parameters } : {}),
      ...(op.request
        ? { requestBody: { required: true, content: { 'application/json': { schema: ref(op.request) } } } }
        : {}),
      responses,
    };
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Tarmo API',
      version: '1',
      description:
        'Send "Authorization: Bearer <api key>". Keys carry scopes read, write and privacy. Errors are {"error":{"code","message","field?"}}.',
    },
    servers: [{ url: serverUrl }],
    components: {
      schemas: components,
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API key from Settings → API keys (tarmo_…)',
        },
      },
    },
    webhooks: {
      'consent.changed': webhookDoc('consent.changed'),
      'customer.erased': webhookDoc('customer.erased'),
      'block.changed': webhookDoc('block.changed'),
      'privacy_request.updated': webhookDoc('privacy_request.updated'),
    },
    paths,
  };
}

function webhookDoc(type: string) {
  return {
    post: {
      summary: `${type} (signed: see the X-Tarmo-Signature header)`,
      requestBody: { content: { 'application/json': { schema: ref('WebhookEvent') } } },
      responses: { '2XX': { description: 'Any 2xx acknowledges; anything else is retried with backoff' } },
    },
  };
}
