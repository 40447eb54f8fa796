import type { MessageBlock, MessageVariant } from './content';
import type { WorkspaceLayout } from './layout';

/**
 * MJML for a message variant inside the workspace layout. Liquid stays in the source (MJML
 * passes it through), so the MJML is compiled once per template version and Liquid fills it
 * per customer. The legally required footer is a marker the renderer replaces after Liquid ran,
 * so no template can edit or drop it.
 */
export function mjmlSource(variant: MessageVariant, layout: WorkspaceLayout, footerMarker: string): string {
  const footer = `<mj-section padding="8px 0"><mj-column>${
    layout.footerText
      ? `<mj-text font-size="12px" color="#5b6577">${literalText(layout.footerText)}</mj-text>`
      : ''
  }<mj-text font-size="12px" color="#5b6577">${footerMarker}</mj-text></mj-column></mj-section>`;
  if (variant.mode === 'mjml') {
    // The marketer's own document: the footer goes in as its last section, and the preheader
    // field as its preview text unless the document has its own <mj-preview>.
    const source = variant.mjml.replace(/<\/mj-body>(?![\s\S]*<\/mj-body>)/, `${footer}</mj-body>`);
    return variant.preheader && !/<mj-preview\b/i.test(source)
      ? withPreview(source, `<mj-preview>${literalText(variant.preheader)}</mj-preview>`)
      : source;
  }
  const header = `<mj-section background-color="${layout.brandColor}" padding="12px 0"><mj-column>${
    layout.logoUrl
      ? `<mj-image src="${attribute(layout.logoUrl)}" alt="${attribute(layout.headerText)}" width="160px" padding="4px 24px" />`
      : `<mj-text color="#ffffff" font-size="18px" font-weight="bold">${literalText(layout.headerText)}</mj-text>`
  }</mj-column></mj-section>`;
  const preview = variant.preheader ? `<mj-preview>${literalText(variant.preheader)}</mj-preview>` : '';
  return `<mjml><mj-head><mj-title>${literalText(variant.subject)}</mj-title>${preview}<mj-attributes><mj-all font-family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif" /><mj-text font-size="16px" line-height="1.5" color="#1d2330" /></mj-attributes></mj-head><mj-body background-color="#f6f7f9">${header}<mj-section background-color="#ffffff" padding="16px 0"><mj-column>${variant.blocks
    .map((block) => blockMjml(block, layout))
    .join('')}</mj-column></mj-section>${footer}</mj-body></mjml>`;
}

function withPreview(source: string, preview: string): string {
  if (/<mj-head\b[^>]*>/i.test(source)) return source.replace(/<mj-head\b[^>]*>/i, (tag) => tag + preview);
  return source.replace(/<mjml\b[^>]*>/i, (tag) => `${tag}<mj-head>${preview}</mj-head>`);
}

function blockMjml(block: MessageBlock, layout: WorkspaceLayout): string {
  switch (block.type) {
    case 'heading':
      return `<mj-text font-size="24px" font-weight="bold" line-height="1.3"><h1 style="font-size:24px;margin:0">${literalText(block.text)}</h1></mj-text>`;
    case 'paragraph':
      return `<mj-text>${literalText(block.text).replace(/\n/g, '<br />')}</mj-text>`;
    case 'button':
      return `<mj-button href="${attribute(block.url)}" background-color="${layout.brandColor}" color="#ffffff">${literalText(block.label)}</mj-button>`;
    case 'image':
      return `<mj-image src="${attribute(block.url)}" alt="${attribute(block.alt)}" />`;
    case 'divider':
      return `<mj-divider border-width="1px" border-color="#dde1e7" />`;
    default: {
      const unknown: never = block;
      throw new Error(`unknown block ${JSON.stringify(unknown)}`);
    }
  }
}

const LIQUID = /(\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\})/;

/** Escapes the literal text between Liquid tags (the tags stay as written: Liquid escapes values). */
function literalText(text: string): string {
  return text
    .split(LIQUID)
    .map((part, index) => (index % 2 === 1 ? part : escapeMarkup(part)))
    .join('');
}

/** As literalText, for a double-quoted attribute: quotes inside Liquid tags become single quotes. */
function attribute(text: string): string {
  return text
    .split(LIQUID)
    .map((part, index) => (index % 2 === 1 ? part.replace(/"/g, "'") : escapeMarkup(part)))
    .join('');
}

function escapeMarkup(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
