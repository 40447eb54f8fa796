import type { Db } from '@/db/client';
import { type ConsentState } from '@/lib/vocabulary';
import {
  activeBlocksFor,
  blockCovers,
  consentFactsOfCustomers,
  contactCustomers,
  type ActiveBlockFacts,
  type BlockTarget,
  type ConsentFacts,
  type ContactCustomerFacts,
  type ContactPurposeFacts,
} from '@/db/store/contact-facts';
import {
  databaseContactFacts,
  reconsentNeeded,
  type Awaitable,
  type ContactFacts,
} from '@/lib/privacy/contact-check';

const NOT_ASKED: ConsentFacts = Object.freeze({ state: 'not-asked' });

/**
 * The contact check's facts for a whole claimed batch (an executor batch, a dispatcher claim), read
 * in three queries inside the batch's write transaction (so nothing else can change them
 * meanwhile): customers, all their consent states, and every active block on them or their
 * addresses. Purposes and notice versions are
 * remembered per batch (no step changes them). The decision stays checkContactAllowed's
 * (decideContact); only where the facts come from differs.
 *
 * A step that may change consent, blocks or the customer calls invalidate(); from then on every
 * question goes to the database again, as the single check would.
 */
export class BatchContactFacts implements ContactFacts {
  private readonly database: ContactFacts;
  private readonly customers = new Map<number, ContactCustomerFacts>();
  private readonly consents = new Map<string, ConsentFacts>();
  private readonly purposeStates = new Map<number, Map<number, ConsentState>>();
  private blocks: ActiveBlockFacts[] = [];
  private readonly covered = new Set<number>();
  private readonly addresses = new Set<string>();
  private readonly purposes = new Map<string, ContactPurposeFacts | undefined>();
  private readonly reconsent = new Map<string, number | undefined>();

  constructor(private readonly db: Db) {
    this.database = databaseContactFacts(db);
  }

  /** Reads the facts of these customers (call inside the batch transaction, before any step runs). */
  async prefetch(
    customerIds: readonly number[],
    knownCustomers?: Iterable<ContactCustomerFacts>,
  ): Promise<void> {
    if (customerIds.length === 0) return;
    // The engine has just read these customers in this transaction; no need to ask again.
    for (const customer of knownCustomers ?? (await contactCustomers(this.db, customerIds))) {
      this.customers.set(customer.id, { id: customer.id, status: customer.status, email: customer.email });
      if (customer.email !== null) this.addresses.add(customer.email);
    }
    for (const { customerId, purposeId, themeKey, facts } of await consentFactsOfCustomers(
      this.db,
      customerIds,
    )) {
      this.consents.set(consentKey(customerId, purposeId, themeKey), facts);
      if (themeKey === '') {
        let states = this.purposeStates.get(customerId);
        if (!states) {
          states = new Map();
          this.purposeStates.set(customerId, states);
        }
        states.set(purposeId, facts.state);
      }
    }
    this.blocks = await activeBlocksFor(this.db, customerIds, [...this.addresses]);
    for (const id of customerIds) this.covered.add(id);
  }

  /** Something may have changed consent, blocks or a customer: stop answering from the prefetch. */
  invalidate(): void {
    this.covered.clear();
    this.customers.clear();
    this.consents.clear();
    this.purposeStates.clear();
    this.addresses.clear();
    this.blocks = [];
  }

  // The answers below are plain values when at hand and promises only when the database is asked:
  // decideContact awaits only those (see ContactFacts).

  customer(customerId: number) {
    return this.covered.has(customerId) ? this.customers.get(customerId) : this.database.customer(customerId);
  }

  purpose(key: string): Awaitable<ContactPurposeFacts | undefined> {
    if (this.purposes.has(key)) return this.purposes.get(key);
    return this.readPurpose(key);
  }

  private async readPurpose(key: string) {
    const purpose = await this.database.purpose(key);
    this.purposes.set(key, purpose);
    return purpose;
  }

  consent(customerId: number, purposeId: number, themeKey: string): Awaitable<ConsentFacts> {
    if (!this.covered.has(customerId)) return this.database.consent(customerId, purposeId, themeKey);
    return this.consents.get(consentKey(customerId, purposeId, themeKey)) ?? NOT_ASKED;
  }

  /** Purpose-level states (theme '') by purpose id, or undefined when not prefetched. */
  purposeStatesOf(customerId: number): ReadonlyMap<number, ConsentState> | undefined {
    if (!this.covered.has(customerId)) return undefined;
    return this.purposeStates.get(customerId) ?? new Map<number, ConsentState>();
  }

  reconsentNeeded(purposeId: number, grantNoticeHash: string | null): Awaitable<number | undefined> {
    const key = `${purposeId}|${grantNoticeHash ?? ''}`;
    if (this.reconsent.has(key)) return this.reconsent.get(key);
    return this.readReconsent(key, purposeId, grantNoticeHash);
  }

  private async readReconsent(key: string, purposeId: number, grantNoticeHash: string | null) {
    const version = await reconsentNeeded(this.db, purposeId, grantNoticeHash);
    this.reconsent.set(key, version);
    return version;
  }

  activeBlock(target: BlockTarget): Awaitable<ActiveBlockFacts | undefined> {
    const prefetched =
      this.covered.has(target.customerId) && (target.address === null || this.addresses.has(target.address));
    if (!prefetched) return this.database.activeBlock(target);
    return this.blocks.find((block) => blockCovers(block, target));
  }
}

function consentKey(customerId: number, purposeId: number, themeKey: string): string {
  return `${customerId}|${purposeId}|${themeKey}`;
}
