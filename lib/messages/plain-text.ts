import type { MessageBlock } from './content';

/** The text part of a simple-mode message, block by block (Liquid kept for rendering). */
export function blocksToText(blocks: MessageBlock[], footerMarker: string): string {
  const parts = blocks.map((block) => {
    switch (block.type) {
      case 'heading':
        return block.text;
      case 'paragraph':
        return block.text;
      case 'button':
        return `${block.label}: ${block.url}`;
      case 'image':
        return block.alt ? `[${block.alt}]` : '';
      case 'divider':
        return '----------';
      default: {
        const unknown: never = block;
        throw new Error(`unknown block ${JSON.stringify(unknown)}`);
      }
    }
  });
  return `${parts.filter(Boolean).join('\n\n')}\n\n-- \n${footerMarker}`;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' };

/** The text part of an MJML-mode message, from its compiled HTML: links keep their address. */
export function htmlToText(html: string): string {
  const body = /<body[^>]*>([\s\S]*)<\/body>/i.exec(html)?.[1] ?? html;
  return body
    .replace(/<(style|script|head|title)[^>]*>[\s\S]*?<\/\1>/gi, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<div[^>]*display:\s*none[^>]*>[\s\S]*?<\/div>/gi, '')
    .replace(/<a\s[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi, (_all, href: string, label: string) => {
      const text = label.replace(/<[^>]+>/g, '').trim();
      return text && text !== href ? `${text}: ${href}` : href;
    })
    .replace(/<img\s[^>]*alt="([^"]+)"[^>]*>/gi, '[$1]')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|h[1-6]|tr|li|table)>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_all, name: string) => ENTITIES[name] ?? '')
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
