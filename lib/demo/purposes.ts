import { type LegalBasis, type Recipient, type Translations } from '@/lib/vocabulary';

export type DemoPurpose = {
  key: string;
  name: string;
  description: string;
  legalBasis: LegalBasis;
  retentionDays: number;
  recipients?: Recipient[];
  retentionDuty?: string;
  translations?: Translations;
  honoursGpc?: boolean;
  themes?: { key: string; name: string; description: string; translations?: Translations }[];
  notice: { en: string; de: string };
};

/** The village shop's processing activities: one purpose per legal basis the demo needs. */
export const DEMO_PURPOSES: DemoPurpose[] = [
  {
    key: 'newsletter',
    name: 'Newsletter',
    description: 'A monthly mail about new products and recipes.',
    translations: {
      de: { name: 'Newsletter', description: 'Eine monatliche Mail über neue Produkte und Rezepte.' },
    },
    legalBasis: 'consent',
    retentionDays: 730,
    themes: [
      {
        key: 'recipes',
        name: 'Recipes',
        description: 'Seasonal recipes from the shop.',
        translations: { de: { name: 'Rezepte', description: 'Saisonale Rezepte aus dem Laden.' } },
      },
      {
        key: 'new-arrivals',
        name: 'New arrivals',
        description: 'When new produce arrives, e.g. organic avocados.',
        translations: {
          de: { name: 'Neu eingetroffen', description: 'Wenn neue Ware ankommt, z. B. Bio-Avocados.' },
        },
      },
      {
        key: 'events',
        name: 'Events',
        description: 'Tastings and events in the shop.',
        translations: {
          de: { name: 'Veranstaltungen', description: 'Verkostungen und Veranstaltungen im Laden.' },
        },
      },
    ],
    notice: {
      en: 'Tarmo Village Shop sends you its newsletter by email about once a month. We use your email address and the topics you choose only for this. You can unsubscribe at any time with one click.',
      de: 'Tarmo Village Shop schickt Ihnen etwa einmal im Monat seinen Newsletter per E-Mail. Wir verwenden Ihre E-Mail-Adresse und die gewählten Themen nur dafür. Sie können sich jederzeit mit einem Klick abmelden.',
    },
  },
  {
    key: 'personalised-offers',
    name: 'Personalised offers',
    description: 'Offers chosen from your loyalty-card purchases.',
    translations: {
      de: {
        name: 'Persönliche Angebote',
        description: 'Angebote, ausgewählt nach Ihren Einkäufen mit der Kundenkarte.',
      },
    },
    legalBasis: 'consent',
    retentionDays: 365,
    // Offers targeted from purchase history: a browser's Global Privacy Control signal objects to it.
    honoursGpc: true,
    notice: {
      en: 'With your permission we use your loyalty-card purchases to choose offers for you and send them by email. We never share this with anyone else.',
      de: 'Mit Ihrer Erlaubnis nutzen wir Ihre Einkäufe mit der Kundenkarte, um Angebote für Sie auszuwählen und per E-Mail zu senden. Wir geben diese Daten an niemanden weiter.',
    },
  },
  {
    key: 'partner-transfer',
    name: 'Transfer to the Organic Avocado Co-op',
    description: 'Share your contact details with the co-op that grows our avocados.',
    translations: {
      de: {
        name: 'Weitergabe an die Bio-Avocado-Genossenschaft',
        description: 'Ihre Kontaktdaten an die Genossenschaft weitergeben, die unsere Avocados anbaut.',
      },
    },
    legalBasis: 'consent',
    retentionDays: 365,
    recipients: [
      {
        key: 'avocado-coop',
        name: 'Organic Avocado Co-op',
        description: 'Our avocado grower, for its own mail.',
      },
    ],
    notice: {
      en: 'We pass your name and email address to the Organic Avocado Co-op so that it can send you its own offers. The co-op is responsible for that mail.',
      de: 'Wir geben Ihren Namen und Ihre E-Mail-Adresse an die Bio-Avocado-Genossenschaft weiter, damit sie Ihnen eigene Angebote senden kann.',
    },
  },
  {
    key: 'order-updates',
    name: 'Order updates',
    description: 'Mail about orders you placed.',
    translations: { de: { name: 'Bestellinformationen', description: 'Mails zu Ihren Bestellungen.' } },
    legalBasis: 'contract',
    retentionDays: 1095,
    notice: {
      en: 'We email you about the orders you place with us, because we need to in order to deliver them.',
      de: 'Wir informieren Sie per E-Mail über Ihre Bestellungen, weil wir das zur Lieferung brauchen.',
    },
  },
  {
    key: 'fraud-prevention',
    name: 'Fraud prevention',
    description: 'Checks that protect the loyalty programme from abuse.',
    translations: {
      de: {
        name: 'Betrugsvorbeugung',
        description: 'Prüfungen, die das Kundenkartenprogramm vor Missbrauch schützen.',
      },
    },
    legalBasis: 'legitimate-interests',
    retentionDays: 180,
    notice: {
      en: 'We check loyalty-card use for abuse. You may object to this at any time.',
      de: 'Wir prüfen die Nutzung der Kundenkarte auf Missbrauch. Sie können dem jederzeit widersprechen.',
    },
  },
  {
    key: 'invoices',
    name: 'Invoices',
    description: 'Invoices we must keep for the tax office.',
    translations: {
      de: { name: 'Rechnungen', description: 'Rechnungen, die wir für das Finanzamt aufbewahren müssen.' },
    },
    legalBasis: 'legal-obligation',
    retentionDays: 3650,
    retentionDuty: 'Invoices must be kept for 10 years under tax law; they are restricted, not erased.',
    notice: {
      en: 'We keep invoices for 10 years because tax law requires it.',
      de: 'Wir bewahren Rechnungen 10 Jahre auf, weil das Steuerrecht es verlangt.',
    },
  },
];
