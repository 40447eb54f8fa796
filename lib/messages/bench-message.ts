import type { MessageContent } from './content';

/** A realistic designed message (both languages, variables with defaults) for bench:executor. */
export const BENCH_DESIGNED_MESSAGE: MessageContent = {
  fallbackLanguage: 'en',
  variants: {
    en: {
      subject: 'Fresh this week, {{ firstName | default: "friend" }}',
      preheader: 'What is new at the shop',
      mode: 'simple',
      blocks: [
        { type: 'heading', text: 'Hello {{ firstName | default: "there" }}!' },
        {
          type: 'paragraph',
          text: 'Our {{ purpose.name }} for {{ "now" | date }}: avocados, rye bread and more.',
        },
        { type: 'button', label: 'See the offers', url: 'https://shop.example/offers' },
        { type: 'divider' },
        { type: 'paragraph', text: 'Change what you get: {{ preferences_url }}' },
      ],
    },
    de: {
      subject: 'Frisch diese Woche, {{ firstName | default: "liebe Kundin, lieber Kunde" }}',
      preheader: 'Was es Neues gibt',
      mode: 'simple',
      blocks: [
        { type: 'heading', text: 'Hallo {{ firstName | default: "zusammen" }}!' },
        {
          type: 'paragraph',
          text: 'Unser {{ purpose.name }} zum {{ "now" | date }}: Avocados, Roggenbrot und mehr.',
        },
        { type: 'button', label: 'Zu den Angeboten', url: 'https://shop.example/offers' },
        { type: 'divider' },
        { type: 'paragraph', text: 'Was Sie bekommen, ändern Sie hier: {{ preferences_url }}' },
      ],
    },
  },
};
