'use client';
import { MESSAGE_VARIABLES, renderPreview, variablesIn } from './schema-form';
import styles from '../canvas.module.css';

/**
 * Variables and a rendered preview of a message. The preview is plain text in React, so any
 * markup a marketer (or a pasted template) puts in the body is shown escaped, never run.
 */
export function MessageTools({
  subject,
  body,
  disabled,
  onInsert,
}: {
  subject: string;
  body: string;
  disabled: boolean;
  onInsert: (variable: string) => void;
}) {
  const known = new Set(MESSAGE_VARIABLES.map((v) => v.name));
  const unknown = [...variablesIn(subject), ...variablesIn(body)].filter((name) => !known.has(name));
  return (
    <section aria-label="Message variables and preview">
      <h3 style={{ fontSize: '0.95rem', margin: '0.75rem 0 0.25rem' }}>Variables</h3>
      <div className={styles.variables}>
        {MESSAGE_VARIABLES.map((variable) => (
          <button
            key={variable.name}
            type="button"
            disabled={disabled}
            onClick={() => onInsert(variable.name)}
            aria-label={`Insert variable ${variable.name} into the body`}
          >
            {`{{${variable.name}}}`}
          </button>
        ))}
      </div>
      {unknown.length > 0 && (
        <p className="field-error">
          Unknown variables stay as typed: {unknown.map((name) => `{{${name}}}`).join(', ')}
        </p>
      )}
      <h3 style={{ fontSize: '0.95rem', margin: '0.75rem 0 0.25rem' }}>Preview (sample customer)</h3>
      <div className={styles.preview} data-testid="message-preview">
        <strong>{renderPreview(subject) || '(no subject)'}</strong>
        {'\n\n'}
        {renderPreview(body) || '(empty message)'}
      </div>
    </section>
  );
}
