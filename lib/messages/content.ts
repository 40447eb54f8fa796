import { z } from 'zod';

/**
 * What a marketer designs: one message with a variant per language. Shared by the send step's
 * config, the editor, the preview and the renderer (one declaration, many readers). Free of
 * server-only imports so the canvas can validate it too.
 */
export const MESSAGE_LANGUAGES = ['en', 'de'] as const;
export type MessageLanguage = (typeof MESSAGE_LANGUAGES)[number];
export const LANGUAGE_NAMES: Record<MessageLanguage, string> = { en: 'English', de: 'German' };

const liquidText = (max: number) => z.string().max(max);
const httpUrl = z
  .string()
  .trim()
  .max(2000)
  .refine(
    (value) => /^https?:\/\//i.test(value) || /^\{\{.*\}\}$/.test(value),
    'Use an http(s) address or a link variable',
  );

export const messageBlockSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('heading'), text: liquidText(300) }),
  z.strictObject({ type: z.literal('paragraph'), text: liquidText(10_000) }),
  z.strictObject({ type: z.literal('button'), label: liquidText(200), url: httpUrl }),
  z.strictObject({ type: z.literal('image'), url: httpUrl, alt: liquidText(300) }),
  z.strictObject({ type: z.literal('divider') }),
]);
export type MessageBlock = z.infer<typeof messageBlockSchema>;
export type MessageBlockType = MessageBlock['type'];

const variantBase = {
  subject: z.string().trim().min(1, 'Enter a subject').max(200),
  preheader: z.string().max(200).optional(),
};

export const messageVariantSchema = z.discriminatedUnion('mode', [
  z.strictObject({ ...variantBase, mode: z.literal('simple'), blocks: z.array(messageBlockSchema).max(100) }),
  z.strictObject({ ...variantBase, mode: z.literal('mjml'), mjml: z.string().max(100_000) }),
]);
export type MessageVariant = z.infer<typeof messageVariantSchema>;

export const messageContentSchema = z.strictObject({
  /** The language sent to customers whose own language has no variant. */
  fallbackLanguage: z.enum(MESSAGE_LANGUAGES),
  variants: z.partialRecord(z.enum(MESSAGE_LANGUAGES), messageVariantSchema),
});
export type MessageContent = z.infer<typeof messageContentSchema>;

/** What a new send step starts with: an English message with a greeting that has a default. */
export const STARTER_MESSAGE: MessageContent = {
  fallbackLanguage: 'en',
  variants: {
    en: {
      subject: '',
      mode: 'simple',
      blocks: [{ type: 'paragraph', text: 'Hello {{ firstName | default: "there" }},' }],
    },
  },
};

/** The variant a customer of this language gets, and the language it is written in. */
export function pickVariant(
  content: MessageContent,
  customerLanguage: string | null | undefined,
): { language: MessageLanguage; variant: MessageVariant } | undefined {
  const short = (customerLanguage ?? '').slice(0, 2).toLowerCase() as MessageLanguage;
  const own = content.variants[short];
  if (own) return { language: short, variant: own };
  const fallback = content.variants[content.fallbackLanguage];
  return fallback ? { language: content.fallbackLanguage, variant: fallback } : undefined;
}

/**
 * A send step written before designed messages (a plain subject and body, in the fallback
 * language) as a message: each blank-line-separated part of the body is one paragraph.
 */
export function plainMessage(
  subject: string,
  body: string,
  language: MessageLanguage = 'en',
): MessageContent {
  const blocks: MessageBlock[] = body
    .split(/\n{2,}/)
    .map((text) => text.trim())
    .filter(Boolean)
    .map((text) => ({ type: 'paragraph', text }));
  return { fallbackLanguage: language, variants: { [language]: { subject, mode: 'simple', blocks } } };
}

/** Every Liquid source of a variant (subject, preheader, block texts or the MJML), for checks. */
export function variantSources(variant: MessageVariant): string[] {
  const sources = [variant.subject, variant.preheader ?? ''];
  if (variant.mode === 'mjml') return [...sources, variant.mjml];
  for (const block of variant.blocks) {
    if (block.type === 'heading' || block.type === 'paragraph') sources.push(block.text);
    else if (block.type === 'button') sources.push(block.label, block.url);
    else if (block.type === 'image') sources.push(block.url, block.alt);
  }
  return sources;
}
