import Link from 'next/link';
import { notFound } from 'next/navigation';
import { requirePermission } from '@/app/_lib/session';
import { can } from '@/lib/auth/roles';
import { BLOCK_SCOPES, CHANNELS, PRIVACY_REQUEST_KINDS, STAFF_BLOCK_REASONS } from '@/lib/vocabulary';
import { customerPrivacyDetail } from '@/lib/privacy/staff';
import {
  createRequestAction,
  forgetAction,
  liftBlockAction,
  requestOptInAction,
  setBlockAction,
} from './actions';
import styles from './customer.module.css';
import { LocalTime } from '@/components/LocalTime';

export const dynamic = 'force-dynamic';

const day = (d: Date | null | undefined) => <LocalTime iso={d} />;

export default async function CustomerPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ msg?: string; err?: string }>;
}) {
  const staff = await requirePermission('customers:view');
  const { id } = await params;
  const { msg, err } = await searchParams;
  const detail = Number.isInteger(Number(id)) ? await customerPrivacyDetail(Number(id)) : null;
  if (!detail) notFound();
  const { customer, purposes, states, history, blocks, requests, enrollments } = detail;
  const canEdit = can(staff.role, 'customers:edit');
  const canManage = can(staff.role, 'privacy:manage');
  const purposeName = new Map(purposes.map((p) => [p.id, p.name]));
  const stateOf = (purposeId: number, themeKey: string) =>
    states.find((s) => s.purposeId === purposeId && s.themeKey === themeKey)?.state ?? 'not-asked';
  const consentPurposes = purposes.filter((p) => p.legalBasis === 'consent' && !p.archivedAt);
  const erased = customer.status === 'erased';

  return (
    <div className={styles.page}>
      <p>
        <Link href="/customers">← Customers</Link>
      </p>
      <h1>
        {customer.name || (erased ? 'Erased customer' : 'Unnamed customer')}{' '}
        <span className={`badge ${customer.status === 'active' ? 'ok' : 'danger'}`}>{customer.status}</span>
      </h1>
      {msg && (
        <p role="status" className="badge ok">
          {msg}
        </p>
      )}
      {err && (
        <p role="alert" className="field-error">
          {err}
        </p>
      )}

      <section className="card" aria-labelledby="profile-h">
        <h2 id="profile-h">Profile</h2>
        <dl className={styles.dl}>
          <dt>Email</dt>
          <dd>{customer.email ?? '—'}</dd>
          <dt>External id</dt>
          <dd>{customer.externalId ?? '—'}</dd>
          <dt>Language / time zone</dt>
          <dd>
            {customer.locale} / {customer.timeZone}
          </dd>
          <dt>Attributes</dt>
          <dd>
            <code>{JSON.stringify(customer.attributes)}</code>
          </dd>
        </dl>
      </section>

      <section className="card" aria-labelledby="consents-h">
        <h2 id="consents-h">Consents</h2>
        <div className="table-wrap">
          <table data-testid="customer-consents">
            <thead>
              <tr>
                <th scope="col">Purpose</th>
                <th scope="col">Legal basis</th>
                <th scope="col">State</th>
                <th scope="col">Themes</th>
              </tr>
            </thead>
            <tbody>
              {purposes.map((p) => (
                <tr key={p.id}>
                  <td>{p.name}</td>
                  <td>{p.legalBasis}</td>
                  <td>
                    <span className={`badge ${stateOf(p.id, '')}`}>{stateOf(p.id, '')}</span>
                  </td>
                  <td>
                    {p.themes.map((t) => (
                      <span key={t.id} className={styles.theme}>
                        {t.name}:{' '}
                        <span className={`badge ${stateOf(p.id, t.key)}`}>{stateOf(p.id, t.key)}</span>
                      </span>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>

        {canEdit && !erased && (
          <form action={requestOptInAction} className={styles.inlineForm} aria-label="Send a double opt-in">
            <input type="hidden" name="customerId" value={customer.id} />
            <h3>Ask for consent (double opt-in)</h3>
            <p className="muted">
              Sends a confirmation mail; the consent is only granted when the customer confirms.
            </p>
            <label htmlFor="optin-purpose">Purpose</label>
            <select id="optin-purpose" name="purposeKey" required defaultValue="">
              <option value="" disabled>
                Choose…
              </option>
              {consentPurposes.map((p) => (
                <option key={p.key} value={p.key}>
                  {p.name}
                </option>
              ))}
            </select>
            {consentPurposes
              .filter((p) => p.themes.length)
              .map((p) => (
                <fieldset key={p.key}>
                  <legend>Themes for {p.name}</legend>
                  {p.themes.map((t) => (
                    <label key={t.key} className={styles.check}>
                      <input type="checkbox" name="theme" value={`${p.key}:${t.key}`} /> {t.name}
                    </label>
                  ))}
                </fieldset>
              ))}
            <button type="submit" className="primary">
              Send confirmation mail
            </button>
          </form>
        )}
      </section>

      <section className="card" aria-labelledby="timeline-h">
        <h2 id="timeline-h">Consent timeline (ledger)</h2>
        <div className="table-wrap">
          <table data-testid="consent-timeline">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">When</th>
                <th scope="col">Purpose</th>
                <th scope="col">Action → state</th>
                <th scope="col">Source</th>
                <th scope="col">Notice</th>
                <th scope="col">Evidence</th>
              </tr>
            </thead>
            <tbody>
              {history.length === 0 && (
                <tr>
                  <td colSpan={7} className="muted">
                    No consent events.
                  </td>
                </tr>
              )}
              {history
                .slice()
                .reverse()
                .map(({ event, evidence }) => (
                  <tr key={event.id}>
                    <td>{event.id}</td>
                    <td>{day(event.occurredAt)}</td>
                    <td>
                      {purposeName.get(event.purposeId)}
                      {event.themeKey ? ` / ${event.themeKey}` : ''}
                    </td>
                    <td>
                      {event.action} → <span className={`badge ${event.stateAfter}`}>{event.stateAfter}</span>
                    </td>
                    <td>{event.source}</td>
                    <td>
                      <code title={event.noticeHash ?? ''}>
                        {event.noticeHash ? event.noticeHash.slice(0, 10) : '—'}
                      </code>
                    </td>
                    <td>
                      {evidence?.redactedAt ? (
                        <em>redacted {day(evidence.redactedAt)}</em>
                      ) : (
                        <code className={styles.evidence}>{JSON.stringify(evidence?.details ?? {})}</code>
                      )}
                    </td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="card" aria-labelledby="blocks-h">
        <h2 id="blocks-h">Contact blocks</h2>
        <div className="table-wrap">
          <table data-testid="customer-blocks">
            <thead>
              <tr>
                <th scope="col">Scope</th>
                <th scope="col">Reason</th>
                <th scope="col">Evidence</th>
                <th scope="col">Set</th>
                <th scope="col">Lifted</th>
              </tr>
            </thead>
            <tbody>
              {blocks.length === 0 && (
                <tr>
                  <td colSpan={5} className="muted">
                    No blocks.
                  </td>
                </tr>
              )}
              {blocks.map((b) => (
                <tr key={b.id}>
                  <td>
                    {b.scope}
                    {b.channel ? ` (${b.channel})` : ''}
                    {b.themeKey ? ` (${b.themeKey})` : ''}
                  </td>
                  <td>{b.reason}</td>
                  <td>{b.evidence}</td>
                  <td>
                    {day(b.setAt)} by {b.setBy}
                  </td>
                  <td>
                    {b.liftedAt ? (
                      <>
                        {day(b.liftedAt)} by {b.liftedBy}: {b.liftReason}
                      </>
                    ) : canEdit ? (
                      <form action={liftBlockAction} className="row">
                        <input type="hidden" name="customerId" value={customer.id} />
                        <input type="hidden" name="blockId" value={b.id} />
                        <label className="visually-hidden" htmlFor={`lift-${b.id}`}>
                          Reason for lifting block {b.id}
                        </label>
                        <input id={`lift-${b.id}`} name="reason" required placeholder="Reason for lifting" />
                        <button type="submit">Lift</button>
                      </form>
                    ) : (
                      <span className="badge blocked">active</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {canEdit && !erased && (
          <form action={setBlockAction} className={styles.inlineForm} aria-label="Set a contact block">
            <input type="hidden" name="customerId" value={customer.id} />
            <h3>Set a block</h3>
            <label htmlFor="block-scope">Scope</label>
            <select id="block-scope" name="scope" defaultValue="all">
              {BLOCK_SCOPES.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
            <label htmlFor="block-channel">Channel (for scope channel)</label>
            <select id="block-channel" name="channel" defaultValue="email">
              {CHANNELS.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
            <label htmlFor="block-theme">Theme key (for scope theme)</label>
            <input id="block-theme" name="themeKey" />
            <label htmlFor="block-reason">Reason</label>
            <select id="block-reason" name="reason" defaultValue="customer-request">
              {STAFF_BLOCK_REASONS.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </select>
            <label htmlFor="block-evidence">Evidence</label>
            <textarea id="block-evidence" name="evidence" required maxLength={2000} />
            <button type="submit">Set block</button>
          </form>
        )}
      </section>

      <section className="card" aria-labelledby="requests-h">
        <h2 id="requests-h">Privacy requests</h2>
        <ul>
          {requests.length === 0 && <li className="muted">None.</li>}
          {requests.map((r) => (
            <li key={r.id}>
              {canManage ? <Link href={`/privacy-requests/${r.id}`}>#{r.id}</Link> : `#${r.id}`} {r.kind} —{' '}
              <span className="badge">{r.status}</span> due {day(r.dueAt)}
            </li>
          ))}
        </ul>
        {canManage && !erased && (
          <form
            action={createRequestAction}
            className={styles.inlineForm}
            aria-label="Record a privacy request"
          >
            <input type="hidden" name="customerId" value={customer.id} />
            <label htmlFor="req-kind">Record a request received by staff</label>
            <select id="req-kind" name="kind" defaultValue="access">
              {PRIVACY_REQUEST_KINDS.map((k) => (
                <option key={k}>{k}</option>
              ))}
            </select>
            <label htmlFor="req-note">Note</label>
            <input id="req-note" name="note" maxLength={1000} />
            <button type="submit">Open request</button>
          </form>
        )}
      </section>

      <section className="card" aria-labelledby="journeys-h">
        <h2 id="journeys-h">Journeys</h2>
        <ul>
          {enrollments.length === 0 && <li className="muted">None.</li>}
          {enrollments.map((e) => (
            <li key={e.id}>
              {e.journeyName ?? `#${e.journeyId}`}: <span className="badge">{e.state}</span> at {e.stepTitle},
              entered {day(e.enteredAt)}
            </li>
          ))}
        </ul>
      </section>

      {canEdit && !erased && (
        <section className={`card ${styles.danger}`} aria-labelledby="forget-h">
          <h2 id="forget-h">Forget this customer (Art. 17)</h2>
          <p>
            Erases personal data from every table and file, stops all journeys, cancels queued mail and tells
            connected systems. Records under a legal retention duty are restricted instead. This cannot be
            undone.
          </p>
          <form action={forgetAction}>
            <input type="hidden" name="customerId" value={customer.id} />
            <label className={styles.check}>
              <input type="checkbox" name="understood" value="yes" required /> I understand this cannot be
              undone
            </label>
            <label htmlFor="forget-confirm">Type ERASE to confirm</label>
            <input id="forget-confirm" name="confirmText" required autoComplete="off" />
            <button type="submit" className="danger">
              Forget customer
            </button>
          </form>
        </section>
      )}
    </div>
  );
}
