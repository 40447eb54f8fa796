import { pickVariant, type MessageContent, type MessageLanguage } from './content';
import { compileVariant, FOOTER_MARKER } from './compile';
import { trackLinks, type LinkTracker } from './click-tracking';
import { legalFooter, type FooterFacts } from './footer';
import type { WorkspaceLayout } from './layout';
import { renderTemplate, TemplateError } from './liquid';

export type RenderedMessage = {
  language: MessageLanguage;
  subject: string;
  preheader: string;
  html: string;
  text: string;
};

export type RenderMessageInput = {
  content: MessageContent;
  layout: WorkspaceLayout;
  /** The customer's language and time zone (the variant and the `date` filter follow them). */
  language: string;
  timeZone: string;
  scope: Record<string, unknown>;
  footer: Omit<FooterFacts, 'language'>;
  /** Unknown variables render empty (plain messages written before designed ones); default strict. */
  lenient?: boolean;
  /** Click tracking (only for a purpose that turned it on): rewrites the body's links. */
  trackLinks?: { track: LinkTracker; ownOrigin: string };
};

/**
 * Renders a designed message for one customer: picks the language variant, compiles its MJML
 * (cached per version), fills Liquid (values escaped in HTML), and adds the legal footer in the
 * variant's language. The preview, test sends and the dispatcher all call this.
 */
export async function renderMessage(
  input: RenderMessageInput,
): Promise<{ ok: true; message: RenderedMessage } | { ok: false; error: string }> {
  const picked = pickVariant(input.content, input.language);
  if (!picked) return { ok: false, error: 'The message has no variant in its fallback language' };
  const { language, variant } = picked;
  const compiled = await compileVariant(variant, input.layout);
  if (!compiled.html)
    return { ok: false, error: `Invalid MJML: ${compiled.errors.map((e) => e.message).join('; ')}` };
  const footer = legalFooter({ ...input.footer, language });
  try {
    const options = { scope: input.scope, timeZone: input.timeZone, language, strict: !input.lenient };
    // Header injection guard: a subject is one line.
    const subject = renderTemplate(variant.subject, { ...options, escapeHtml: false })
      .replace(/[\r\n]+/g, ' ')
      .trim();
    const preheader = variant.preheader
      ? renderTemplate(variant.preheader, { ...options, escapeHtml: false })
      : '';
    let body = {
      html: renderTemplate(compiled.html, { ...options, escapeHtml: true }),
      text: renderTemplate(compiled.text, { ...options, escapeHtml: false }),
    };
    // Before the footer goes in: its unsubscribe and preference links are never rewritten.
    if (input.trackLinks) body = await trackLinks(body, input.trackLinks.track, input.trackLinks.ownOrigin);
    const html = withFooter(body.html, footer.html);
    const text = withFooter(body.text, footer.text);
    return { ok: true, message: { language, subject, preheader, html, text } };
  } catch (error) {
    if (error instanceof TemplateError) return { ok: false, error: error.message };
    throw error;
  }
}

/** Puts the footer where its marker is; a template that swallowed the marker is refused. */
function withFooter(rendered: string, footer: string): string {
  const parts = rendered.split(FOOTER_MARKER);
  if (parts.length !== 2)
    throw new TemplateError(
      'The template hides the legally required footer (check for an unclosed tag or comment)',
      'render',
    );
  return parts[0] + footer + parts[1];
}
