import { DEMO_EMAIL_DOMAIN } from '@/lib/mail/demo-addresses';
const FIRST = [
  'Aino',
  'Eero',
  'Liisa',
  'Matti',
  'Helmi',
  'Otto',
  'Sofia',
  'Leo',
  'Anna',
  'Jonas',
  'Lena',
  'Paul',
  'Emma',
  'Felix',
  'Mia',
  'Noah',
  'Ella',
  'Lukas',
  'Ida',
  'Max',
];
const LAST = [
  'Virtanen',
  'Korhonen',
  'Nieminen',
  'Mäkelä',
  'Müller',
  'Schmidt',
  'Schneider',
  'Fischer',
  'Weber',
  'Meyer',
  'Laine',
  'Heikkinen',
  'Koskinen',
  'Wagner',
  'Becker',
];
const ZONES = ['Europe/Helsinki', 'Europe/Berlin', 'Europe/Vienna', 'UTC', 'America/New_York'];

export type DemoCustomer = {
  externalId: string;
  email: string;
  name: string;
  locale: 'en' | 'de';
  timeZone: string;
  attributes: Record<string, unknown>;
};

/** Deterministic pseudo-random numbers, so every fresh demo workspace looks the same. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export function demoCustomers(count: number, seed = 42): DemoCustomer[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  return Array.from({ length: count }, (_, i) => {
    const first = pick(FIRST);
    const last = pick(LAST);
    const zone = pick(ZONES);
    return {
      externalId: `shop-${1000 + i}`,
      email: `${first}.${last}.${i}@${DEMO_EMAIL_DOMAIN}`
        .toLowerCase()
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, ''),
      name: `${first} ${last}`,
      locale: zone === 'Europe/Berlin' || zone === 'Europe/Vienna' ? 'de' : 'en',
      timeZone: zone,
      attributes: {
        loyaltyTier: pick(['bronze', 'silver', 'gold']),
        likesAvocados: random() < 0.4,
        city: pick(['Tarmola', 'Kylä', 'Dorfen', 'Helsinki', 'Berlin']),
        purchases: Math.floor(random() * 40),
      },
    };
  });
}
