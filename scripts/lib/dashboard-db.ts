/**
 * The throw-away database of bench:dashboard: BENCH_CUSTOMERS customers and BENCH_EVENTS
 * hash-chained ledger events bulk-inserted with prepared statements in large transactions, and
 * consent_state and consent_counters filled to match. Imports the app lazily: the caller has set
 * DATABASE_URL and TARMO_DATA_DIR first.
 */

const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);

/** Deterministic PRNG so runs are comparable. */
export function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

export async function buildDashboardDatabase({
  customers: CUSTOMERS,
  events: EVENTS,
  log,
}: {
  customers: number;
  events: number;
  log: (line: string) => void;
}) {
  const { migrateSqlite } = await import('@/db/migrate');
  const { openSqlite } = await import('@/db/client');
  const { insertPurposes } = await import('@/db/store/workspace');
  const { DEMO_PURPOSES } = await import('@/lib/demo/purposes');
  const { chainHash, evidenceDigest, GENESIS_HASH } = await import('@/lib/privacy/ledger');
  const { secretKey } = await import('@/lib/privacy/crypto');

  migrateSqlite();
  const { sqlite } = openSqlite();
  sqlite.pragma('synchronous = OFF');
  sqlite.pragma('cache_size = -262144');
  const purposes = await insertPurposes(DEMO_PURPOSES);

  let started = performance.now();
  const insertCustomer = sqlite.prepare(
    "insert into customers (external_id, email, name, locale, time_zone, attributes, status, created_at) values (?, ?, ?, 'en', 'UTC', '{}', ?, ?)",
  );
  const createdAt = Date.now() - 400 * 86_400_000;
  const BATCH = 50_000;
  for (let start = 1; start <= CUSTOMERS; start += BATCH) {
    sqlite.transaction(() => {
      for (let i = start; i < Math.min(start + BATCH, CUSTOMERS + 1); i++) {
        insertCustomer.run(
          `b${i}`,
          `c${i}@bench.test`,
          `Customer ${i}`,
          i % 500 === 0 ? 'erased' : 'active',
          createdAt,
        );
      }
    })();
  }
  log(`customers: ${CUSTOMERS.toLocaleString('en')} in ${seconds(started)} s`);

  // Targets: each consent purpose, plus the newsletter's themes.
  const consentPurposes = purposes.filter((p) => p.legalBasis === 'consent');
  const newsletter = await purposes.find((p) => p.key === 'newsletter')!;
  const targets = [
    ...consentPurposes.map((p) => ({ purposeId: p.id, themeKey: '' })),
    ...(DEMO_PURPOSES.find((p) => p.key === 'newsletter')?.themes ?? []).map((t) => ({
      purposeId: newsletter.id,
      themeKey: t.key,
    })),
  ];
  const T = targets.length;
  const STATES = ['not-asked', 'pending', 'granted', 'withdrawn', 'expired', 'objected'] as const;
  const state = new Uint8Array(CUSTOMERS * T);
  const lastEvent = new Uint32Array(CUSTOMERS * T);
  const lastAt = new Float64Array(CUSTOMERS * T);
  const noticeHashes = new Map(
    sqlite
      .prepare("select purpose_id as purposeId, text_hash as hash from notices where locale = 'en'")
      .all()
      .map((r) => [(r as { purposeId: number }).purposeId, (r as { hash: string }).hash]),
  );

  started = performance.now();
  const key = secretKey('ledger-key');
  const digest = evidenceDigest({ source: 'bench' });
  const insertEvent = sqlite.prepare(
    'insert into consent_events (id, customer_id, purpose_id, theme_key, action, state_after, source, notice_hash, evidence_digest, occurred_at, prev_hash, hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const random = rng(20261123);
  const spanMs = 365 * 86_400_000;
  const firstAt = Date.now() - spanMs - 60_000;
  let prevHash = GENESIS_HASH;
  const EVENT_BATCH = 100_000;
  for (let start = 1; start <= EVENTS; start += EVENT_BATCH) {
    sqlite.transaction(() => {
      for (let id = start; id < Math.min(start + EVENT_BATCH, EVENTS + 1); id++) {
        const customer = 1 + Math.floor(random() * CUSTOMERS);
        const t = Math.floor(random() * T);
        const slot = (customer - 1) * T + t;
        const before = state[slot]!;
        // A plausible life cycle: ask, then mostly confirm; later some withdraw or object.
        const r = random();
        let action: 'request' | 'grant' | 'withdraw' | 'expire' | 'object';
        if (before === 0 || before === 3 || before === 4) action = 'request';
        else if (before === 1) action = r < 0.75 ? 'grant' : 'expire';
        else if (before === 2) action = r < 0.85 ? 'withdraw' : 'object';
        else action = 'request';
        const after = { request: 1, grant: 2, withdraw: 3, expire: 4, object: 5 }[action];
        const occurredAt = new Date(firstAt + Math.floor((id / EVENTS) * spanMs));
        const target = targets[t]!;
        const noticeHash = action === 'grant' ? (noticeHashes.get(target.purposeId) ?? null) : null;
        const fields = {
          prevHash,
          customerId: customer,
          purposeId: target.purposeId,
          themeKey: target.themeKey,
          action,
          stateAfter: STATES[after]!,
          occurredAt,
          source: 'import' as const,
          noticeHash,
          evidenceDigest: digest,
        };
        const hash = chainHash(key, fields);
        insertEvent.run(
          id,
          customer,
          target.purposeId,
          target.themeKey,
          action,
          STATES[after],
          'import',
          noticeHash,
          digest,
          occurredAt.getTime(),
          prevHash,
          hash,
        );
        prevHash = hash;
        state[slot] = after;
        lastEvent[slot] = id;
        lastAt[slot] = occurredAt.getTime();
      }
    })();
    if ((start - 1) % 1_000_000 === 0 && start > 1)
      log(`  ledger: ${(start - 1).toLocaleString('en')} events, ${seconds(started)} s`);
  }
  log(`ledger events: ${EVENTS.toLocaleString('en')} in ${seconds(started)} s`);

  started = performance.now();
  const insertState = sqlite.prepare(
    'insert into consent_state (customer_id, purpose_id, theme_key, state, last_event_id, notice_hash, updated_at) values (?, ?, ?, ?, ?, null, ?)',
  );
  const counts = new Map<string, number>();
  for (let start = 0; start < CUSTOMERS * T; start += 500_000) {
    sqlite.transaction(() => {
      for (let slot = start; slot < Math.min(start + 500_000, CUSTOMERS * T); slot++) {
        if (!state[slot]) continue;
        const target = targets[slot % T]!;
        const name = STATES[state[slot]!]!;
        insertState.run(
          Math.floor(slot / T) + 1,
          target.purposeId,
          target.themeKey,
          name,
          lastEvent[slot],
          lastAt[slot],
        );
        const k = `${target.purposeId}|${target.themeKey}|${name}`;
        counts.set(k, (counts.get(k) ?? 0) + 1);
      }
    })();
  }
  const insertCounter = sqlite.prepare(
    'insert into consent_counters (purpose_id, theme_key, state, count) values (?, ?, ?, ?)',
  );
  sqlite.transaction(() => {
    for (const [k, count] of counts) {
      const [purposeId, themeKey, name] = k.split('|');
      insertCounter.run(Number(purposeId), themeKey, name, count);
    }
  })();
  log(`consent_state and counters in ${seconds(started)} s`);

  // Some blocks, open privacy requests and a ledger check, so every panel has work to do.
  const now = Date.now();
  sqlite.transaction(() => {
    const block = sqlite.prepare(
      "insert into contact_blocks (customer_id, scope, channel, theme_key, reason, evidence, set_at, set_by) values (?, ?, ?, ?, ?, 'bench', ?, 'bench')",
    );
    const scopes = [
      ['all', null, null],
      ['channel', 'email', null],
      ['theme', null, 'recipes'],
      ['theme', null, 'events'],
    ] as const;
    const reasons = ['customer-request', 'complaint', 'bounce', 'legal'];
    for (let i = 0; i < 20_000; i++) {
      const [scope, channel, theme] = scopes[i % scopes.length]!;
      block.run(
        1 + Math.floor(random() * CUSTOMERS),
        scope,
        channel,
        theme,
        reasons[i % reasons.length],
        now,
      );
    }
    const request = sqlite.prepare(
      "insert into privacy_requests (customer_id, kind, status, source, details, received_at, due_at) values (?, ?, ?, 'api', '{}', ?, ?)",
    );
    const kinds = ['access', 'erasure', 'objection', 'portability'];
    const statuses = ['open', 'in-progress', 'completed', 'completed'];
    for (let i = 0; i < 5_000; i++) {
      const received = now - Math.floor(random() * 60 * 86_400_000);
      request.run(
        1 + Math.floor(random() * CUSTOMERS),
        kinds[i % 4],
        statuses[i % 4],
        received,
        received + 30 * 86_400_000,
      );
    }
    sqlite
      .prepare("insert into ledger_checks (created_at, ok, checked_count, message) values (?, 1, ?, 'bench')")
      .run(now, EVENTS);
  })();
  sqlite.pragma('synchronous = NORMAL');
  sqlite.exec('analyze');
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  return { targets };
}
