'use client';
import { useRef, useState } from 'react';
import {
  LANGUAGE_NAMES,
  MESSAGE_LANGUAGES,
  type MessageContent,
  type MessageLanguage,
  type MessageVariant,
} from '@/lib/messages/content';
import { VARIABLE_HELP } from '@/lib/messages/variables';
import { BlockEditor } from './BlockEditor';
import { MessagePreviewDialog } from './MessagePreview';
import styles from './messages.module.css';

const STARTER_MJML = `<mjml>
  <mj-body>
    <mj-section>
      <mj-column>
        <mj-text>Hello {{ firstName | default: "there" }},</mj-text>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>`;

/**
 * The message designer of a send step: a variant per language (with the fallback the marketer
 * chooses), each a subject, a preheader and simple blocks or MJML code; preview and test send in a
 * dialog. The legal footer is not editable here: the renderer always adds it.
 */
export function MessageEditor({
  content,
  purpose,
  theme,
  disabled,
  onChange,
}: {
  content: MessageContent;
  purpose: string;
  theme?: string;
  disabled: boolean;
  onChange: (content: MessageContent) => void;
}) {
  const [language, setLanguage] = useState<MessageLanguage>(content.fallbackLanguage);
  const [previewOpen, setPreviewOpen] = useState(false);
  const variant = content.variants[language];
  const subjectRef = useRef<HTMLInputElement>(null);

  const setVariant = (next: MessageVariant | undefined) => {
    const variants = { ...content.variants };
    if (next) variants[language] = next;
    else delete variants[language];
    onChange({ ...content, variants });
  };
  const addVariant = () => {
    const source = content.variants[content.fallbackLanguage];
    setVariant(source ? structuredClone(source) : { subject: '', mode: 'simple', blocks: [] });
  };

  return (
    <section className={styles.editor} aria-label="Message" data-testid="message-editor">
      <div className={styles.tabs} role="tablist" aria-label="Languages">
        {MESSAGE_LANGUAGES.map((code) => (
          <button
            key={code}
            type="button"
            role="tab"
            aria-selected={code === language}
            onClick={() => setLanguage(code)}
          >
            {LANGUAGE_NAMES[code]}
            {content.variants[code] ? '' : ' (none)'}
          </button>
        ))}
      </div>
      <label>
        Fallback language
        <select
          value={content.fallbackLanguage}
          disabled={disabled}
          onChange={(e) => onChange({ ...content, fallbackLanguage: e.target.value as MessageLanguage })}
        >
          {MESSAGE_LANGUAGES.map((code) => (
            <option key={code} value={code}>
              {LANGUAGE_NAMES[code]}
            </option>
          ))}
        </select>
      </label>
      <p className="muted" style={{ fontSize: '0.8rem', margin: '0.2rem 0' }}>
        Customers get the variant in their language, or the fallback.
      </p>
      {!variant ? (
        <button type="button" disabled={disabled} onClick={addVariant}>
          Add {LANGUAGE_NAMES[language]} variant
        </button>
      ) : (
        <div role="tabpanel" aria-label={`${LANGUAGE_NAMES[language]} variant`}>
          <label>
            Subject
            <input
              ref={subjectRef}
              type="text"
              value={variant.subject}
              maxLength={200}
              disabled={disabled}
              onChange={(e) => setVariant({ ...variant, subject: e.target.value })}
            />
          </label>
          <label>
            Preheader
            <input
              type="text"
              value={variant.preheader ?? ''}
              maxLength={200}
              disabled={disabled}
              onChange={(e) => setVariant({ ...variant, preheader: e.target.value || undefined })}
            />
          </label>
          <label>
            Editor
            <select
              value={variant.mode}
              disabled={disabled}
              onChange={(e) =>
                setVariant(
                  e.target.value === 'mjml'
                    ? {
                        subject: variant.subject,
                        preheader: variant.preheader,
                        mode: 'mjml',
                        mjml: STARTER_MJML,
                      }
                    : { subject: variant.subject, preheader: variant.preheader, mode: 'simple', blocks: [] },
                )
              }
            >
              <option value="simple">Simple blocks</option>
              <option value="mjml">MJML code</option>
            </select>
          </label>
          {variant.mode === 'simple' ? (
            <BlockEditor
              blocks={variant.blocks}
              disabled={disabled}
              onChange={(blocks) => setVariant({ ...variant, blocks })}
            />
          ) : (
            <label>
              MJML
              <textarea
                className={styles.code}
                rows={14}
                spellCheck={false}
                value={variant.mjml}
                disabled={disabled}
                onChange={(e) => setVariant({ ...variant, mjml: e.target.value })}
              />
            </label>
          )}
          {language !== content.fallbackLanguage && (
            <button type="button" disabled={disabled} onClick={() => setVariant(undefined)}>
              Remove {LANGUAGE_NAMES[language]} variant
            </button>
          )}
        </div>
      )}
      <details style={{ margin: '0.5rem 0' }}>
        <summary>Variables</summary>
        <ul style={{ paddingLeft: '1rem', fontSize: '0.8rem' }}>
          {VARIABLE_HELP.map((variable) => (
            <li key={variable.name}>
              <code>{`{{ ${variable.name} }}`}</code> {variable.description}
            </li>
          ))}
          <li>
            Customer attributes by name; add a fallback with{' '}
            <code>{'{{ firstName | default: "there" }}'}</code>. Filters: <code>default</code>,{' '}
            <code>capitalize</code>, <code>date</code>.
          </li>
        </ul>
        <p className="muted" style={{ fontSize: '0.8rem' }}>
          Every mail ends with the legally required footer (who sends, why, unsubscribe and preferences links,
          our address); it is added automatically.
        </p>
      </details>
      <button type="button" onClick={() => setPreviewOpen(true)} disabled={!purpose}>
        Preview and send test
      </button>
      {!purpose && <p className="muted">Choose the purpose to preview.</p>}
      {previewOpen && (
        <MessagePreviewDialog
          content={content}
          purpose={purpose}
          theme={theme}
          language={language}
          onClose={() => setPreviewOpen(false)}
        />
      )}
    </section>
  );
}
