import { describe, expect, it } from 'vitest';
import { checkMessage, variablesNeedingData } from './checks';
import type { MessageContent, MessageVariant } from './content';
import { DEFAULT_LAYOUT } from './layout';
import { LIMITS, renderTemplate, TemplateError } from './liquid';
import { renderMessage } from './render';
import { messageScope, type MessageCustomer } from './variables';

const aino: MessageCustomer = {
  email: 'aino@example.com',
  name: 'Aino Virtanen',
  locale: 'de',
  timeZone: 'Europe/Helsinki',
  attributes: { city: 'Tampere' },
};
const purpose = { key: 'newsletter', name: 'Newsletter', description: 'News', legalBasis: 'consent' };
const links = {
  unsubscribeUrl: 'https://t.example/unsubscribe/abc',
  preferencesUrl: 'https://t.example/preferences/abc',
};
const footer = { purposeName: 'Newsletter', legalBasis: 'consent', ...links };

const simple = (subject: string, text: string): MessageVariant => ({
  subject,
  mode: 'simple',
  blocks: [
    { type: 'heading', text: 'Hello' },
    { type: 'paragraph', text },
    { type: 'button', label: 'Shop', url: 'https://shop.example/?c={{ city | default: "x" }}' },
  ],
});
const twoLanguages: MessageContent = {
  fallbackLanguage: 'en',
  variants: {
    en: simple('News for {{ firstName | default: "you" }}', 'Hi {{ firstName | default: "there" }}!'),
    de: simple(
      'Neuigkeiten für {{ firstName | default: "Sie" }}',
      'Hallo {{ firstName | default: "zusammen" }}!',
    ),
  },
};

async function render(
  content: MessageContent,
  customer: MessageCustomer | undefined,
  language = customer?.locale ?? 'en',
) {
  return await renderMessage({
    content,
    layout: DEFAULT_LAYOUT,
    language,
    timeZone: customer?.timeZone ?? 'UTC',
    scope: messageScope({ customer, purpose, links }),
    footer,
  });
}

const text = { escapeHtml: false, timeZone: 'UTC', language: 'en' } as const;

describe('message rendering', () => {
  it('picks the customer’s language and renders subject, responsive HTML and text from the same content', async () => {
    const result = await render(twoLanguages, aino);
    if (!result.ok) throw new Error(result.error);
    expect(result.message.language).toBe('de');
    expect(result.message.subject).toBe('Neuigkeiten für Aino');
    expect(result.message.html).toContain('Hallo Aino!');
    expect(result.message.html).toContain('@media only screen');
    expect(result.message.html).toContain('href="https://shop.example/?c=Tampere"');
    expect(result.message.text).toContain('Hallo Aino!');
    expect(result.message.text).toContain('Shop: https://shop.example/?c=Tampere');
    // The legal footer in German: why (purpose), links, who sends and from where.
    for (const part of [result.message.html, result.message.text]) {
      expect(part).toContain('„Newsletter“ zugestimmt');
      expect(part).toContain(links.unsubscribeUrl);
      expect(part).toContain(links.preferencesUrl);
      expect(part).toContain('Absender: Tarmo Village Shop');
    }
  });

  it('renders every simple block, the preheader and the layout’s logo', async () => {
    const result = await renderMessage({
      content: {
        fallbackLanguage: 'en',
        variants: {
          en: {
            subject: 'S',
            preheader: 'This week in {{ city | default: "town" }}',
            mode: 'simple',
            blocks: [
              { type: 'heading', text: 'Big news' },
              { type: 'image', url: 'https://cdn.example/avocado.png', alt: 'Avocados in {{ city }}' },
              { type: 'divider' },
              { type: 'paragraph', text: 'More below' },
            ],
          },
        },
      },
      layout: { ...DEFAULT_LAYOUT, logoUrl: 'https://cdn.example/logo.png' },
      language: 'en',
      timeZone: 'UTC',
      scope: messageScope({ customer: aino, purpose, links }),
      footer,
    });
    if (!result.ok) throw new Error(result.error);
    const { html, text, preheader } = result.message;
    expect(preheader).toBe('This week in Tampere');
    expect(html).toContain('This week in Tampere');
    expect(html).toMatch(/<img[^>]+src="https:\/\/cdn\.example\/logo\.png"/);
    expect(html).toContain('src="https://cdn.example/avocado.png"');
    expect(html).toContain('alt="Avocados in Tampere"');
    expect(html).toContain('<h1');
    expect(html).toMatch(/border-top:\s*solid 1px #dde1e7/);
    expect(text).toContain('Big news\n\n[Avocados in Tampere]\n\n----------\n\nMore below');
  });

  it('falls back to the marketer’s fallback language', async () => {
    const result = await render(
      { ...twoLanguages, fallbackLanguage: 'de', variants: { de: twoLanguages.variants.de } },
      {
        ...aino,
        locale: 'en',
      },
    );
    expect(result.ok && result.message.language).toBe('de');
  });

  it('escapes values in HTML but not in the text part or subject', async () => {
    const customer = { ...aino, locale: 'en', name: '<script>alert(1)</script> Smith', attributes: {} };
    const result = await render(
      {
        fallbackLanguage: 'en',
        variants: { en: simple('Hi {{ name }}', 'Dear {{ name }} & {{ name | raw }}') },
      },
      customer,
    );
    if (!result.ok) throw new Error(result.error);
    expect(result.message.html).not.toContain('<script>alert');
    expect(result.message.html).toContain(
      'Dear &lt;script&gt;alert(1)&lt;/script&gt; Smith &amp; &lt;script&gt;',
    );
    expect(result.message.text).toContain('Dear <script>alert(1)</script> Smith & <script>');
    expect(result.message.subject).toBe('Hi <script>alert(1)</script> Smith');
  });

  it('uses the default when the customer has no first name, and for the empty profile', async () => {
    const nameless = await render(twoLanguages, { ...aino, locale: 'en', name: '', attributes: {} });
    expect(nameless.ok && nameless.message.text).toContain('Hi there!');
    const empty = await render(twoLanguages, undefined);
    expect(empty.ok && empty.message.subject).toBe('News for you');
  });

  it('refuses to render a variable the customer lacks when it has no default', async () => {
    const result = await render(
      { fallbackLanguage: 'en', variants: { en: simple('Hi', 'Hi {{ firstName }},') } },
      { ...aino, name: '', locale: 'en' },
    );
    expect(result).toEqual({ ok: false, error: expect.stringContaining('Unknown variable “firstName”') });
  });

  it('formats dates in the customer’s time zone and language', () => {
    const at = '2026-12-31T23:30:00Z';
    expect(
      renderTemplate('{{ at | date }}', {
        ...text,
        scope: { at },
        timeZone: 'Europe/Berlin',
        language: 'de',
      }),
    ).toBe('1. Januar 2027');
    expect(
      renderTemplate('{{ at | date: "%-d %B %Y %H:%M" }}', { ...text, scope: { at }, timeZone: 'UTC' }),
    ).toBe('31 December 2026 23:30');
    expect(renderTemplate('{{ "ada lovelace" | capitalize }}', { ...text, scope: {} })).toBe('Ada lovelace');
  });

  it('stops an endless loop with a clear error', () => {
    // The loop writes nothing, so the output limit cannot stop it first on a fast machine: only the
    // time and memory limits can.
    const run = () =>
      renderTemplate(
        '{% for i in (1..100000) %}{% for j in (1..100000) %}{% assign k = j %}{% endfor %}{% endfor %}',
        {
          ...text,
          scope: {},
        },
      );
    let error: unknown;
    try {
      run();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TemplateError);
    expect((error as TemplateError).message).toMatch(/took too long or used too much memory and was stopped/);
  });

  it('stops a template that writes 10 MB', () => {
    const tenMegabytes = `{% for i in (1..100000) %}${'x'.repeat(100)}{% endfor %}`;
    expect(() => renderTemplate(tenMegabytes, { ...text, scope: {} })).toThrow(
      `The message grew beyond ${LIMITS.outputChars / 1_000_000} million characters; rendering stopped`,
    );
  });

  it('cannot read files', () => {
    expect(() => renderTemplate('{% include "/etc/passwd" %}', { ...text, scope: {} })).toThrow(
      /not available/,
    );
  });

  it('adds the legal footer to an MJML template that did not ask for it, and refuses one that hides it', async () => {
    const mjml = (body: string): MessageContent => ({
      fallbackLanguage: 'en',
      variants: {
        en: {
          subject: 'S',
          mode: 'mjml',
          mjml: `<mjml><mj-body><mj-section><mj-column><mj-text>${body}</mj-text></mj-column></mj-section></mj-body></mjml>`,
        },
      },
    });
    const plain = await render(mjml('Hello <a href="https://x.example">there</a>'), {
      ...aino,
      locale: 'en',
    });
    if (!plain.ok) throw new Error(plain.error);
    expect(plain.message.html).toContain('data-tarmo-footer');
    expect(plain.message.text).toContain('Hello there: https://x.example');
    expect(plain.message.text).toContain('You receive this because you agreed to “Newsletter”.');
    // The preheader field becomes the preview text of an MJML document that has none.
    const previewed = await render(
      {
        fallbackLanguage: 'en',
        variants: { en: { ...mjml('Hello').variants.en!, preheader: 'Only for {{ firstName }}' } },
      },
      { ...aino, locale: 'en' },
    );
    expect(previewed.ok && previewed.message.html).toContain('Only for Aino');
    const hiding = await render(mjml('{% comment %}'), { ...aino, locale: 'en' });
    expect(hiding.ok).toBe(false);
    // An HTML comment opened in raw markup would swallow it in the HTML part.
    const commented = await render(mjml('Hi</mj-text><mj-raw><!--</mj-raw><mj-text>'), {
      ...aino,
      locale: 'en',
    });
    expect(commented).toEqual({
      ok: false,
      error: expect.stringContaining('hides the legally required footer'),
    });
    // A style sheet aimed at it is refused; any other rule cannot beat its inline !important.
    const styled = await render(
      mjml('Hi</mj-text><mj-raw><style>[data-tarmo-footer]{display:none}</style></mj-raw><mj-text>'),
      { ...aino, locale: 'en' },
    );
    expect(styled).toEqual({
      ok: false,
      error: expect.stringContaining('footer cannot be styled, hidden or imitated'),
    });
    expect(plain.message.html).toMatch(
      /<div data-tarmo-footer style="display:block !important;visibility:visible !important/,
    );
  });
});

describe('message checks', () => {
  it('names unknown variables, syntax errors and missing language variants', () => {
    const content: MessageContent = {
      fallbackLanguage: 'en',
      variants: { en: simple('Hi {{ nickname }}', 'Broken {{ firstName ') },
    };
    const problems = checkMessage(content, ['city']);
    expect(problems.map((problem) => [problem.severity, problem.code])).toEqual([
      ['warning', 'missing-language'],
      ['error', 'liquid-syntax'],
      ['error', 'unknown-variable'],
    ]);
    expect(problems[2].message).toContain('“nickname”');
  });

  it('accepts customer fields, attributes that exist, purpose, links', () => {
    const content: MessageContent = {
      fallbackLanguage: 'en',
      variants: {
        en: simple(
          '{{ purpose.name }} for {{ firstName | default: "you" }}',
          '{{ city }} {{ unsubscribe_url }}',
        ),
        de: simple('x', 'y'),
      },
    };
    expect(checkMessage(content, ['city'])).toEqual([]);
    expect(variablesNeedingData(content)).toEqual(['city']);
  });
});
