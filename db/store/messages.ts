import type { Translations } from '@/lib/vocabulary';
import { dialectOf, handleOf, sqlAll, sqlGet, type Db, type DbHandle } from '../client';

export type MessagePurpose = {
  id: number;
  key: string;
  name: string;
  description: string;
  translations: Translations;
  legalBasis: string;
  clickTracking: boolean;
  theme?: { key: string; name: string; description: string; translations: Translations };
};

/** JSON columns read through raw SQL arrive as text on both stores. */
function translationsOf(value: unknown): Translations {
  if (typeof value === 'string') {
    try {
      return JSON.parse(value) as Translations;
    } catch {
      return {};
    }
  }
  return (value as Translations | null) ?? {};
}

/** The purpose (and theme) a message is sent for, as its variables and footer need them. */
export async function messagePurpose(
  db: Db,
  purposeKey: string,
  themeKey?: string | null,
): Promise<MessagePurpose | undefined> {
  const row = (await sqlGet(
    db,
    `SELECT p.id, p.key, p.name, p.description, p.legal_basis AS "legalBasis",
            p.translations, p.click_tracking AS "clickTracking",
            t.key AS "themeKey", t.name AS "themeName", t.description AS "themeDescription",
            t.translations AS "themeTranslations"
       FROM purposes p LEFT JOIN themes t ON t.purpose_id = p.id AND t.key = ?
      WHERE p.key = ?`,
    [themeKey ?? '', purposeKey],
  )) as
    | (Omit<MessagePurpose, 'theme' | 'clickTracking' | 'translations'> & {
        translations: unknown;
        clickTracking: number | boolean;
        themeKey: string | null;
        themeName: string | null;
        themeDescription: string | null;
        themeTranslations: unknown;
      })
    | undefined;
  if (!row) return undefined;
  const { themeKey: key, themeName, themeDescription, themeTranslations, ...rest } = row;
  const purpose = {
    ...rest,
    translations: translationsOf(rest.translations),
    clickTracking: Boolean(Number(rest.clickTracking)),
  };
  return key
    ? {
        ...purpose,
        theme: {
          key,
          name: themeName ?? key,
          description: themeDescription ?? '',
          translations: translationsOf(themeTranslations),
        },
      }
    : purpose;
}

const ATTRIBUTE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Attribute names present on at least one customer (the variables a template may use). */
export async function customerAttributeNames(db: Db): Promise<string[]> {
  const rows = (await sqlAll(
    db,
    dialectOf(db) === 'postgres'
      ? `SELECT DISTINCT jsonb_object_keys(attributes) AS name FROM customers WHERE status = 'active'`
      : `SELECT DISTINCT j.key AS name FROM customers, json_each(customers.attributes) j WHERE customers.status = 'active'`,
  )) as { name: string }[];
  return rows
    .map((row) => row.name)
    .filter((name) => ATTRIBUTE_NAME.test(name))
    .sort();
}

/**
 * How many active customers lack a value for a template variable (a customer field or an
 * attribute), for the publish-time check "212 of 300 customers have no firstName".
 */
export async function customersMissing(
  db: Db,
  variable: string,
): Promise<{ missing: number; total: number }> {
  if (!ATTRIBUTE_NAME.test(variable)) throw new Error(`not a variable name: ${variable}`);
  const postgres = dialectOf(db) === 'postgres';
  const attribute = postgres
    ? `NULLIF(attributes ->> ?, '')`
    : `NULLIF(CAST(json_extract(attributes, ?) AS TEXT), '')`;
  const path = postgres ? variable : `$."${variable}"`;
  const column: Record<string, string> = { email: 'email', name: "NULLIF(TRIM(name), '')" };
  // firstName falls back to the first word of the name (lib/messages/variables firstNameOf).
  const present =
    variable === 'firstName'
      ? `COALESCE(${attribute}, NULLIF(TRIM(name), ''))`
      : (column[variable] ?? attribute);
  const params = column[variable] ? [] : [path];
  const row = (await sqlGet(
    db,
    `SELECT count(*) AS total, count(*) - count(${present}) AS missing FROM customers WHERE status = 'active'`,
    params,
  )) as { total: number | string; missing: number | string };
  return { missing: Number(row.missing), total: Number(row.total) };
}

/** A journey's name (the `journey.name` variable); names change rarely, so cached briefly. */
const journeyNameCache = new WeakMap<DbHandle, Map<number, { name: string; until: number }>>();
export async function journeyNameOf(db: Db, journeyId: number): Promise<string> {
  const handle = handleOf(db);
  let journeyNames = journeyNameCache.get(handle);
  if (!journeyNames) journeyNameCache.set(handle, (journeyNames = new Map()));
  const hit = journeyNames.get(journeyId);
  if (hit && hit.until > Date.now()) return hit.name;
  const row = (await sqlGet(db, 'SELECT name FROM journeys WHERE id = ?', [journeyId])) as
    { name: string } | undefined;
  const name = row?.name ?? '';
  journeyNames.set(journeyId, { name, until: Date.now() + 60_000 });
  return name;
}

export type PreviewCustomerRow = { id: number; name: string; email: string | null; locale: string };

/** Customers to preview a message as: by name, address or id, active ones only. */
export async function searchPreviewCustomers(
  db: Db,
  query: string,
  limit = 10,
): Promise<PreviewCustomerRow[]> {
  const pattern = `%${query.toLowerCase().replace(/[%_\\]/g, (m) => `\\${m}`)}%`;
  return (await sqlAll(
    db,
    `SELECT id, name, email, locale FROM customers
      WHERE status = 'active' AND (lower(email) LIKE ? ESCAPE '\\' OR lower(name) LIKE ? ESCAPE '\\' OR id = ?)
      ORDER BY id DESC LIMIT ?`,
    [pattern, pattern, Number(query) || -1, limit],
  )) as PreviewCustomerRow[];
}
