import type { LifecycleJobKey } from './jobs';

/**
 * What every table and every file area holds about people, how long, and what erasure (Art. 17)
 * does to it. A table or file area without an entry fails lib/lifecycle/registry.test.ts,
 * so a new one cannot be added without answering these questions. `jobs` name the prune jobs
 * that enforce the retention (lib/lifecycle/jobs.ts); Settings → Data lifecycle lists it all.
 */
export type DataLifecycle = {
  personalData: string;
  retention: string;
  erasure: string;
  jobs?: LifecycleJobKey[];
};

const NONE = 'none';

export const TABLE_LIFECYCLE: Record<string, DataLifecycle> = {
  customers: {
    personalData: 'address, name, external id, attributes, language, time zone',
    retention: 'while the person is a customer',
    erasure:
      'address, name, external id and attributes emptied; status erased (restricted under a legal duty)',
  },
  events: {
    personalData: 'behaviour events and their properties',
    retention: 'while the customer exists',
    erasure: 'deleted',
  },
  tombstones: {
    personalData: 'keyed hash (HMAC) of an erased address; no address',
    retention: 'until the person confirms a new double opt-in themselves',
    erasure: 'written by erasure; removed only by the person\u2019s own confirmation',
  },
  consent_events: {
    personalData: 'customer id, purpose, action, time (the append-only hash chain)',
    retention: 'kept as proof of consent (Art. 7(1)); no address or name',
    erasure: "kept; a 'redact' event per purpose records the redaction of the evidence",
    jobs: ['ledger-checkpoint'],
  },
  consent_evidence: {
    personalData: 'evidence details: truncated IP, user agent, form, notice version',
    retention: 'with the ledger',
    erasure: 'details emptied (redacted); the digest stays in the chain',
  },
  consent_receipts: {
    personalData:
      'customer id, purpose, action, time, notice and ledger reference, signed (no address or name)',
    retention: 'while the customer exists (the person keeps their own copy)',
    erasure: 'deleted',
  },
  consent_state: {
    personalData: 'current consent per customer, purpose and theme',
    retention: 'while the customer exists',
    erasure: 'kept by customer id (no identity remains once the profile is erased)',
  },
  consent_counters: { personalData: NONE, retention: 'aggregate counts', erasure: 'nothing to erase' },
  contact_blocks: {
    personalData: 'blocked address, reason, evidence',
    retention: 'historized; kept while the customer exists',
    erasure: 'address and evidence redacted',
  },
  tokens: {
    personalData: 'customer id and link payload; only the hash of the secret',
    retention: 'until expiry, deleted a week after',
    erasure: 'deleted',
    jobs: ['prune-tokens', 'expire-opt-ins'],
  },
  privacy_requests: {
    personalData: 'request details (may quote an address), receipt',
    retention: 'kept as the record of the request (Art. 12, 5(2) accountability)',
    erasure: 'details redacted (also where they quote the address); receipt counts stay',
  },
  exports: {
    personalData: 'points at a data-package file of one customer',
    retention: 'the download link\u2019s lifetime',
    erasure: 'marked deleted; the file is removed',
    jobs: ['purge-exports'],
  },
  outbox: {
    personalData: 'recipient address, rendered mail, webhook and transfer payloads',
    retention: 'content emptied 30 days after delivery (legal-duty purposes kept)',
    erasure: 'queued mail cancelled; address, bodies and payloads emptied, also where they quote the address',
    jobs: ['empty-old-outbox'],
  },
  idempotency_keys: {
    personalData: 'cached API answers (may contain a profile), tagged with the customer id',
    retention: 'one day',
    erasure: 'deleted by customer id and wherever the address occurs',
    jobs: ['prune-idempotency-cache'],
  },
  rate_limits: {
    personalData: 'none in clear: bucket names are keyed hashes of IP, address or key id',
    retention: 'until the window has ended',
    erasure: 'nothing identifying to erase; pruned after the window',
    jobs: ['prune-rate-limits'],
  },
  delivery_policies: { personalData: NONE, retention: 'configuration', erasure: 'nothing to erase' },
  provider_rate_limits: { personalData: NONE, retention: 'configuration', erasure: 'nothing to erase' },
  send_slots: {
    personalData: NONE,
    retention: 'an hour after the delivery (the longest rate window)',
    erasure: 'nothing to erase',
    jobs: ['prune-send-slots'],
  },
  deliverability_notifications: {
    personalData: 'recipient address, the raw bounce or complaint notification (evidence of a block)',
    retention: 'kept as evidence for 400 days after it arrived',
    erasure: 'address, detail and raw notification emptied',
    jobs: ['prune-deliverability-evidence'],
  },
  audit_log: {
    personalData: 'actor and target ids, counts, reasons; never addresses or names',
    retention: 'kept for accountability',
    erasure: 'kept (ids only)',
  },
  users: {
    personalData: 'staff address, name, password hash',
    retention: 'while the staff account exists',
    erasure: 'staff accounts are disabled by admins; not customer data',
  },
  api_keys: { personalData: NONE, retention: 'until revoked', erasure: 'nothing to erase' },
  message_templates: {
    personalData: 'none about customers (marketing copy); author and editor staff ids',
    retention: 'until archived and beyond (published journey versions keep a copy)',
    erasure: 'nothing to erase',
  },
  workspace_settings: {
    personalData: 'saved staff test addresses (message.test-addresses); the message layout',
    retention: 'until an admin changes them',
    erasure: 'nothing about customers to erase',
  },
  webhooks: { personalData: NONE, retention: 'until deleted by an admin', erasure: 'nothing to erase' },
  import_jobs: {
    personalData: 'file name and per-row problems (row numbers and messages, no addresses)',
    retention: 'kept as the record of the import',
    erasure: 'nothing to erase (the uploaded file is in the imports file area)',
  },
  purposes: { personalData: NONE, retention: 'configuration', erasure: 'nothing to erase' },
  themes: { personalData: NONE, retention: 'configuration', erasure: 'nothing to erase' },
  notices: {
    personalData: NONE,
    retention: 'every version kept (what people agreed to)',
    erasure: 'nothing to erase',
  },
  journeys: { personalData: NONE, retention: 'until archived', erasure: 'nothing to erase' },
  journey_versions: {
    personalData: NONE,
    retention: 'immutable once published',
    erasure: 'nothing to erase',
  },
  journey_rollouts: {
    personalData: NONE,
    retention: 'while a published version is being rolled out (a cursor, then deleted)',
    erasure: 'nothing to erase',
  },
  enrollments: {
    personalData: 'customer id, position, data a journey gathered (context)',
    retention: 'purged with the journey after its archival retention',
    erasure: 'journeys stopped, context emptied',
    jobs: ['purge-archived-journeys'],
  },
  step_events: {
    personalData: 'customer id, step, human-readable reason, context',
    retention: 'purged with the journey after its archival retention',
    erasure: 'context emptied; reasons name no address',
    jobs: ['purge-archived-journeys'],
  },
  journey_node_stats: { personalData: NONE, retention: 'aggregate counts', erasure: 'nothing to erase' },
  journey_test_runs: {
    personalData: 'simulated runs over invented or chosen test profiles, no mail',
    retention: 'with the journey',
    erasure: 'nothing to erase (no real customer data is stored)',
  },
  ledger_checks: {
    personalData: NONE,
    retention: 'results of ledger verifications',
    erasure: 'nothing to erase',
  },
  ledger_checkpoints: {
    personalData: NONE,
    retention: 'signed anchors of the ledger head',
    erasure: 'nothing to erase',
  },
  lifecycle_job_runs: { personalData: NONE, retention: 'one row per prune job', erasure: 'nothing to erase' },
  worker_heartbeats: { personalData: NONE, retention: 'while a worker runs', erasure: 'nothing to erase' },
  customer_status_counts: { personalData: NONE, retention: 'aggregate counts', erasure: 'nothing to erase' },
  change_versions: { personalData: NONE, retention: 'version numbers', erasure: 'nothing to erase' },
};

export type FileArea = DataLifecycle & {
  /** Entries of the data directory this area covers (a first path segment, or a file name pattern). */
  matches: RegExp;
  where: string;
};

export const FILE_AREAS: Record<string, FileArea> = {
  database: {
    where: 'tarmo.db, its -wal, -shm and -wake files (SQLite only)',
    matches: /^[^/]+\.db(-wal|-shm|-journal|-wake)?$/,
    personalData: 'everything in the tables above',
    retention: 'per table',
    erasure: 'secure_delete zeroes freed pages; the WAL is checkpointed (TRUNCATE) after every erasure',
  },
  exports: {
    where: 'exports/',
    matches: /^exports(\/|$)/,
    personalData: 'data packages (one customer each)',
    retention: 'until the download link expires',
    erasure: 'deleted',
    jobs: ['purge-exports'],
  },
  imports: {
    where: 'imports/',
    matches: /^imports(\/|$)/,
    personalData: 'uploaded CSV customer lists',
    retention: 'deleted after the import; an hour after a dry run that is not followed up',
    erasure: 'every upload that mentions the address is deleted',
    jobs: ['prune-import-uploads'],
  },
  secrets: {
    where: 'secrets/',
    matches: /^secrets(\/|$)/,
    personalData: NONE,
    retention: 'for the life of the installation (the ledger key must outlive the ledger)',
    erasure: 'nothing to erase',
  },
  logs: {
    where: 'standard output and error only (no log files are written)',
    matches: /^logs(\/|$)/,
    personalData: 'none: log lines carry ids, counts and error names, never addresses, names or IPs',
    retention: 'the operator\u2019s log retention',
    erasure: 'nothing to erase',
  },
};
