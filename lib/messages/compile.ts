import crypto from 'node:crypto';
import mjml2html from 'mjml';
import type { MessageVariant } from './content';
import type { WorkspaceLayout } from './layout';
import { mjmlSource } from './mjml-source';
import { htmlToText, blocksToText } from './plain-text';

/**
 * A message variant compiled from MJML to HTML, with Liquid still in it: done once per template
 * version (cached by its MJML), then rendered per customer. Server only (mjml).
 */
export type CompiledVariant = {
  html: string;
  /** The plain-text part's Liquid source, from the same content. */
  text: string;
  errors: MjmlProblem[];
};
export type MjmlProblem = { line: number; message: string };

/** Stands where the legally required footer goes; replaced after Liquid ran (see render.ts). */
export const FOOTER_MARKER = `TARMO-LEGAL-FOOTER-${crypto.randomBytes(8).toString('hex')}`;

const compiled = new Map<string, Promise<CompiledVariant>>();
const CACHE_SIZE = 200;

/**
 * By the variant object too: a published version's config is parsed once and kept, so the mails
 * of one step skip even building and hashing the MJML.
 */
const byVariant = new WeakMap<
  MessageVariant,
  { layout: WorkspaceLayout; compiled: Promise<CompiledVariant> }
>();

export function compileVariant(variant: MessageVariant, layout: WorkspaceLayout): Promise<CompiledVariant> {
  const known = byVariant.get(variant);
  if (known?.layout === layout) return known.compiled;
  const compiled = compileSource(variant, layout);
  byVariant.set(variant, { layout, compiled });
  return compiled;
}

function compileSource(variant: MessageVariant, layout: WorkspaceLayout): Promise<CompiledVariant> {
  const source = mjmlSource(variant, layout, FOOTER_MARKER);
  const key = crypto.createHash('sha256').update(source).digest('base64');
  let hit = compiled.get(key);
  if (!hit) {
    hit = compile(source, variant);
    if (compiled.size >= CACHE_SIZE) compiled.delete(compiled.keys().next().value as string);
    compiled.set(key, hit);
  }
  return hit;
}

async function compile(source: string, variant: MessageVariant): Promise<CompiledVariant> {
  if (/<mj-include\b/i.test(source))
    return {
      html: '',
      text: '',
      errors: [{ line: 0, message: 'mj-include is not available (templates cannot read files)' }],
    };
  // A style or markup aimed at the legal footer (`[data-tarmo-footer] { display: none }`) would hide
  // it in the mail while the text part still had it.
  if (variant.mode === 'mjml' && /tarmo-footer/i.test(variant.mjml))
    return {
      html: '',
      text: '',
      errors: [
        {
          line: lineOf(variant.mjml, /tarmo-footer/i),
          message: 'the legally required footer cannot be styled, hidden or imitated (remove “tarmo-footer”)',
        },
      ],
    };
  try {
    // No web fonts: loading one from a font service tells it who opened the mail.
    const result = await mjml2html(source, { validationLevel: 'soft', fonts: {}, keepComments: false });
    const errors = result.errors.map((error) => ({ line: error.line, message: error.message }));
    const html = result.html;
    const text = variant.mode === 'simple' ? blocksToText(variant.blocks, FOOTER_MARKER) : htmlToText(html);
    return { html, text, errors };
  } catch (error) {
    return {
      html: '',
      text: '',
      errors: [{ line: 0, message: error instanceof Error ? error.message : String(error) }],
    };
  }
}

function lineOf(text: string, pattern: RegExp): number {
  const index = text.search(pattern);
  return index < 0 ? 0 : text.slice(0, index).split('\n').length;
}
