import type { MessageContent } from '@/lib/messages/content';
import type { JourneyEdge, JourneyGraph, JourneyNode } from './graph';

/**
 * Starter templates for a new journey: small, complete journeys built from the existing step
 * types, created as drafts for the marketer to adapt. Pure data; each one passes validateJourney
 * for any consent-based purpose (templates.test.ts).
 */

export const JOURNEY_TEMPLATE_KEYS = ['welcome', 're-consent', 'win-back', 'privacy-request'] as const;
export type JourneyTemplateKey = (typeof JOURNEY_TEMPLATE_KEYS)[number];

export interface JourneyTemplateInput {
  /** A consent-based purpose the journey asks for and writes for (templates that contact need one). */
  purpose: string;
}

export interface JourneyTemplate {
  key: JourneyTemplateKey;
  name: string;
  description: string;
  /** Whether the template contacts customers for a purpose (then the marketer picks one). */
  needsPurpose: boolean;
  build(input: JourneyTemplateInput): JourneyGraph;
}

const COLUMN = 320;
const ROW = 160;
const at = (column: number, row: number) => ({ x: column * COLUMN, y: row * ROW });
const edge = (source: string, sourceHandle: string, target: string): JourneyEdge => ({
  id: `${source}-${sourceHandle}-${target}`,
  source,
  sourceHandle,
  target,
});

/** A designed message in English and German with a greeting that has a default. */
function message(
  en: { subject: string; heading: string; text: string },
  de: { subject: string; heading: string; text: string },
): MessageContent {
  const variant = (v: typeof en, hello: string) => ({
    subject: v.subject,
    mode: 'simple' as const,
    blocks: [
      { type: 'heading' as const, text: v.heading },
      { type: 'paragraph' as const, text: hello },
      { type: 'paragraph' as const, text: v.text },
    ],
  });
  return {
    fallbackLanguage: 'en',
    variants: {
      en: variant(en, 'Hello {{ firstName | default: "there" }},'),
      de: variant(de, 'Hallo {{ firstName | default: "zusammen" }},'),
    },
  };
}

function welcome({ purpose }: JourneyTemplateInput): JourneyGraph {
  const nodes: JourneyNode[] = [
    {
      id: 'signed-up',
      type: 'entry',
      title: 'Signed up',
      position: at(0, 0),
      config: { mode: 'event', eventName: 'signed-up', reentry: { policy: 'never' }, goals: [] },
    },
    {
      id: 'blocked-check',
      type: 'advertising-block',
      title: 'Email blocked?',
      position: at(0, 1),
      config: { scope: 'channel', channel: 'email' },
    },
    {
      id: 'blocked',
      type: 'exit',
      title: 'Blocked',
      position: at(-1, 2),
      config: { reason: 'Contact by email is blocked' },
    },
    {
      id: 'confirm',
      type: 'double-opt-in',
      title: 'Confirm the subscription',
      position: at(0, 2),
      config: { purpose, themes: [], expiresHours: 72 },
    },
    {
      id: 'not-confirmed',
      type: 'exit',
      title: 'Not confirmed',
      position: at(-1, 3),
      config: { reason: 'The confirmation link expired' },
    },
    {
      id: 'welcome',
      type: 'send-message',
      title: 'Welcome',
      position: at(0, 3),
      config: {
        purpose,
        channel: 'email',
        content: message(
          {
            subject: 'Welcome aboard',
            heading: 'Thanks for confirming',
            text: 'You will hear from us about what you signed up for, and only that.',
          },
          {
            subject: 'Willkommen',
            heading: 'Danke für Ihre Bestätigung',
            text: 'Sie hören von uns nur zu dem, wofür Sie sich angemeldet haben.',
          },
        ),
      },
    },
    { id: 'done', type: 'exit', title: 'Welcomed', position: at(0, 4), config: {} },
  ];
  return {
    nodes,
    edges: [
      edge('signed-up', 'next', 'blocked-check'),
      edge('blocked-check', 'blocked', 'blocked'),
      edge('blocked-check', 'clear', 'confirm'),
      edge('confirm', 'confirmed', 'welcome'),
      edge('confirm', 'expired', 'not-confirmed'),
      edge('welcome', 'sent', 'done'),
      edge('welcome', 'skipped', 'done'),
    ],
  };
}

/**
 * Once a year, shortly before a consent is a year old, customers who have not engaged are asked
 * whether they still want the mail; the footer's preference and unsubscribe links let them decide.
 */
function reConsent({ purpose }: JourneyTemplateInput): JourneyGraph {
  const nodes: JourneyNode[] = [
    {
      id: 'consented',
      type: 'entry',
      title: 'Customers who agreed',
      position: at(0, 0),
      config: {
        mode: 'segment',
        segment: { match: 'all', conditions: [{ kind: 'consent', purpose, state: 'granted' }] },
        reentry: { policy: 'after-period', periodDays: 365 },
        goals: [],
      },
    },
    {
      id: 'eleven-months',
      type: 'wait',
      title: 'Eleven months',
      position: at(0, 1),
      config: { mode: 'duration', minutes: 335 * 24 * 60 },
    },
    {
      id: 'engaged',
      type: 'condition',
      title: 'Clicked a mail this year?',
      position: at(0, 2),
      config: {
        rule: { match: 'any', conditions: [{ kind: 'event', name: 'email-clicked', withinDays: 335 }] },
      },
    },
    {
      id: 'still-granted',
      type: 'consent-gate',
      title: 'Still agreed?',
      position: at(-1, 3),
      config: { purpose, timeoutHours: 0 },
    },
    {
      id: 'ask',
      type: 'send-message',
      title: 'Still interested?',
      position: at(-1, 4),
      config: {
        purpose,
        channel: 'email',
        content: message(
          {
            subject: 'Do you still want to hear from us?',
            heading: 'Still interested?',
            text: 'You agreed to these mails a while ago. If you no longer want them, use the links below to change your preferences or unsubscribe; otherwise nothing changes.',
          },
          {
            subject: 'Möchten Sie weiterhin von uns hören?',
            heading: 'Noch interessiert?',
            text: 'Sie haben diesen E-Mails vor einiger Zeit zugestimmt. Wenn Sie sie nicht mehr möchten, ändern Sie unten Ihre Einstellungen oder melden Sie sich ab; sonst bleibt alles, wie es ist.',
          },
        ),
      },
    },
    { id: 'done', type: 'exit', title: 'Done', position: at(0, 5), config: {} },
  ];
  return {
    nodes,
    edges: [
      edge('consented', 'next', 'eleven-months'),
      edge('eleven-months', 'next', 'engaged'),
      edge('engaged', 'no', 'still-granted'),
      edge('engaged', 'yes', 'done'),
      edge('still-granted', 'granted', 'ask'),
      edge('still-granted', 'not-granted', 'done'),
      edge('ask', 'sent', 'done'),
      edge('ask', 'skipped', 'done'),
    ],
  };
}

/** Customers who agreed but have not ordered for three months get one reminder. */
function winBack({ purpose }: JourneyTemplateInput): JourneyGraph {
  const nodes: JourneyNode[] = [
    {
      id: 'consented',
      type: 'entry',
      title: 'Customers who agreed',
      position: at(0, 0),
      config: {
        mode: 'segment',
        segment: { match: 'all', conditions: [{ kind: 'consent', purpose, state: 'granted' }] },
        reentry: { policy: 'after-period', periodDays: 180 },
        goals: [{ eventName: 'order-placed' }],
      },
    },
    {
      id: 'ordered-recently',
      type: 'condition',
      title: 'Ordered in the last 90 days?',
      position: at(0, 1),
      config: {
        rule: { match: 'any', conditions: [{ kind: 'event', name: 'order-placed', withinDays: 90 }] },
      },
    },
    {
      id: 'still-granted',
      type: 'consent-gate',
      title: 'Still agreed?',
      position: at(-1, 2),
      config: { purpose, timeoutHours: 0 },
    },
    {
      id: 'miss-you',
      type: 'send-message',
      title: 'We miss you',
      position: at(-1, 3),
      config: {
        purpose,
        channel: 'email',
        frequencyCap: { max: 1, perDays: 30 },
        content: message(
          {
            subject: 'It has been a while',
            heading: 'We miss you',
            text: 'Here is what is new since your last visit.',
          },
          {
            subject: 'Lange nicht gesehen',
            heading: 'Wir vermissen Sie',
            text: 'Das ist neu seit Ihrem letzten Besuch.',
          },
        ),
      },
    },
    {
      id: 'two-weeks',
      type: 'wait',
      title: 'Two weeks',
      position: at(-1, 4),
      config: { mode: 'duration', minutes: 14 * 24 * 60 },
    },
    { id: 'still-active', type: 'exit', title: 'Still active', position: at(1, 2), config: {} },
    { id: 'done', type: 'exit', title: 'Done', position: at(-1, 5), config: {} },
  ];
  return {
    nodes,
    edges: [
      edge('consented', 'next', 'ordered-recently'),
      edge('ordered-recently', 'yes', 'still-active'),
      edge('ordered-recently', 'no', 'still-granted'),
      edge('still-granted', 'granted', 'miss-you'),
      edge('still-granted', 'not-granted', 'done'),
      edge('miss-you', 'sent', 'two-weeks'),
      edge('miss-you', 'skipped', 'done'),
      edge('two-weeks', 'next', 'done'),
    ],
  };
}

/**
 * A customer asks for their data (event `data-requested`): the data package is compiled and
 * mailed to them with an expiring link (Art. 15 and 20). Needs no purpose: it is their own data.
 */
function privacyRequest(): JourneyGraph {
  const nodes: JourneyNode[] = [
    {
      id: 'asked',
      type: 'entry',
      title: 'Asked for their data',
      position: at(0, 0),
      config: { mode: 'event', eventName: 'data-requested', reentry: { policy: 'always' }, goals: [] },
    },
    {
      id: 'compile',
      type: 'reference',
      title: 'Compile the data package',
      position: at(0, 1),
      config: { formats: ['json', 'csv'] },
    },
    {
      id: 'deliver',
      type: 'transfer',
      title: 'Send it to the customer',
      position: at(0, 2),
      config: { to: 'customer' },
    },
    { id: 'done', type: 'exit', title: 'Delivered', position: at(0, 3), config: {} },
    {
      id: 'refused',
      type: 'exit',
      title: 'Not delivered',
      position: at(1, 3),
      config: { reason: 'The package could not be sent; handle the request by hand' },
    },
  ];
  return {
    nodes,
    edges: [
      edge('asked', 'next', 'compile'),
      edge('compile', 'next', 'deliver'),
      edge('deliver', 'delivered', 'done'),
      edge('deliver', 'refused', 'refused'),
    ],
  };
}

export const JOURNEY_TEMPLATES: readonly JourneyTemplate[] = [
  {
    key: 'welcome',
    name: 'Welcome with double opt-in',
    description:
      'A customer signs up: unless email is blocked, they confirm by a link, then get a welcome mail.',
    needsPurpose: true,
    build: welcome,
  },
  {
    key: 're-consent',
    name: 'Re-consent before expiry',
    description:
      'Once a year, customers who agreed but no longer click are asked whether they still want the mail.',
    needsPurpose: true,
    build: reConsent,
  },
  {
    key: 'win-back',
    name: 'Win-back',
    description: 'Customers who agreed but have not ordered for 90 days get one reminder.',
    needsPurpose: true,
    build: winBack,
  },
  {
    key: 'privacy-request',
    name: 'Privacy request handling',
    description: 'When a customer asks for their data, the package is compiled and sent to them by link.',
    needsPurpose: false,
    build: privacyRequest,
  },
];

export function journeyTemplate(key: string): JourneyTemplate | undefined {
  return JOURNEY_TEMPLATES.find((template) => template.key === key);
}
