'use client';
import type { MessageBlock, MessageBlockType } from '@/lib/messages/content';
import styles from './messages.module.css';

const BLOCK_LABELS: Record<MessageBlockType, string> = {
  heading: 'Heading',
  paragraph: 'Paragraph',
  button: 'Button',
  image: 'Image',
  divider: 'Divider',
};

export function newBlock(type: MessageBlockType): MessageBlock {
  switch (type) {
    case 'heading':
      return { type, text: '' };
    case 'paragraph':
      return { type, text: '' };
    case 'button':
      return { type, label: '', url: 'https://' };
    case 'image':
      return { type, url: 'https://', alt: '' };
    case 'divider':
      return { type };
  }
}

/** The simple mode: a list of blocks, each edited in place, moved or removed. */
export function BlockEditor({
  blocks,
  disabled,
  onChange,
}: {
  blocks: MessageBlock[];
  disabled: boolean;
  onChange: (blocks: MessageBlock[]) => void;
}) {
  const set = (index: number, block: MessageBlock) =>
    onChange(blocks.map((b, i) => (i === index ? block : b)));
  const move = (index: number, by: number) => {
    const next = [...blocks];
    const [moved] = next.splice(index, 1);
    next.splice(index + by, 0, moved);
    onChange(next);
  };
  return (
    <div>
      {blocks.map((block, index) => {
        const name = `${BLOCK_LABELS[block.type]} ${index + 1}`;
        return (
          <div key={index} className={styles.block} data-block={block.type}>
            <div className={styles.blockHead}>
              <span>{name}</span>
              <span>
                <button
                  type="button"
                  disabled={disabled || index === 0}
                  onClick={() => move(index, -1)}
                  aria-label={`Move ${name} up`}
                >
                  ↑
                </button>
                <button
                  type="button"
                  disabled={disabled || index === blocks.length - 1}
                  onClick={() => move(index, 1)}
                  aria-label={`Move ${name} down`}
                >
                  ↓
                </button>
                <button
                  type="button"
                  disabled={disabled}
                  onClick={() => onChange(blocks.filter((_, i) => i !== index))}
                  aria-label={`Remove ${name}`}
                >
                  ✕
                </button>
              </span>
            </div>
            <BlockFields
              block={block}
              name={name}
              disabled={disabled}
              onChange={(next) => set(index, next)}
            />
          </div>
        );
      })}
      <div className={styles.addRow} role="group" aria-label="Add a block">
        {(Object.keys(BLOCK_LABELS) as MessageBlockType[]).map((type) => (
          <button
            key={type}
            type="button"
            disabled={disabled}
            onClick={() => onChange([...blocks, newBlock(type)])}
          >
            + {BLOCK_LABELS[type]}
          </button>
        ))}
      </div>
    </div>
  );
}

function BlockFields({
  block,
  name,
  disabled,
  onChange,
}: {
  block: MessageBlock;
  name: string;
  disabled: boolean;
  onChange: (block: MessageBlock) => void;
}) {
  switch (block.type) {
    case 'heading':
      return (
        <input
          type="text"
          aria-label={`${name} text`}
          value={block.text}
          disabled={disabled}
          onChange={(e) => onChange({ ...block, text: e.target.value })}
        />
      );
    case 'paragraph':
      return (
        <textarea
          aria-label={`${name} text`}
          rows={4}
          value={block.text}
          disabled={disabled}
          onChange={(e) => onChange({ ...block, text: e.target.value })}
        />
      );
    case 'button':
      return (
        <>
          <input
            type="text"
            aria-label={`${name} label`}
            placeholder="Label"
            value={block.label}
            disabled={disabled}
            onChange={(e) => onChange({ ...block, label: e.target.value })}
          />
          <input
            type="url"
            aria-label={`${name} link`}
            value={block.url}
            disabled={disabled}
            onChange={(e) => onChange({ ...block, url: e.target.value })}
          />
        </>
      );
    case 'image':
      return (
        <>
          <input
            type="url"
            aria-label={`${name} address`}
            value={block.url}
            disabled={disabled}
            onChange={(e) => onChange({ ...block, url: e.target.value })}
          />
          <input
            type="text"
            aria-label={`${name} description`}
            placeholder="Description for screen readers"
            value={block.alt}
            disabled={disabled}
            onChange={(e) => onChange({ ...block, alt: e.target.value })}
          />
        </>
      );
    case 'divider':
      return null;
  }
}
