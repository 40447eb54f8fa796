'use client';
import { usePathname } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import {
  LANGUAGE_NAMES,
  MESSAGE_LANGUAGES,
  type MessageContent,
  type MessageLanguage,
} from '@/lib/messages/content';
import styles from './messages.module.css';

type Preview = {
  language: MessageLanguage;
  subject: string;
  preheader: string;
  html: string;
  text: string;
  customer: { id: number; name: string; language: string } | null;
  mjmlErrors: string[];
};
type CustomerOption = { id: number; name: string; email: string | null; locale: string };

const WIDTHS = { desktop: 640, mobile: 375 } as const;

async function postJson(url: string, body: unknown) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await response.json().catch(() => ({}))) as Record<string, unknown> & {
    error?: { message?: string };
  };
  return { ok: response.ok, json };
}

/**
 * Preview as a real customer (their language and data) or as an empty profile, at desktop and
 * mobile widths, rendered by the server with the same code that sends the mail; and a test send
 * to the signed-in staff member. The HTML runs in a sandboxed frame without scripts.
 */
export function MessagePreviewDialog({
  content,
  purpose,
  theme,
  language,
  onClose,
}: {
  content: MessageContent;
  purpose: string;
  theme?: string;
  language: MessageLanguage;
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [customer, setCustomer] = useState<CustomerOption | null>(null);
  const [emptyLanguage, setEmptyLanguage] = useState<MessageLanguage>(language);
  const [query, setQuery] = useState('');
  const [options, setOptions] = useState<CustomerOption[]>([]);
  const [width, setWidth] = useState<keyof typeof WIDTHS>('desktop');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  // Opened by a click, so always in the browser.
  const [recipients, setRecipients] = useState<{ own: string; saved: string[] } | null>(null);
  const [toSavedList, setToSavedList] = useState(false);
  useEffect(() => {
    void fetch('/api/messages/test-send')
      .then((response) => (response.ok ? response.json() : null))
      .then((json: { own: string; saved: string[] } | null) => setRecipients(json))
      .catch(() => setRecipients(null));
  }, []);
  const [sendState, setSendState] = useState<string | null>(null);

  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  // In a journey's editor, `journey.name` previews as its mails will have it.
  const journeyMatch = /^\/journeys\/(\d+)/.exec(usePathname() ?? '');
  const journeyId = journeyMatch ? Number(journeyMatch[1]) : undefined;
  const request = { content, purpose, theme, customerId: customer?.id, language: emptyLanguage, journeyId };
  const requestKey = JSON.stringify(request);
  useEffect(() => {
    let current = true;
    void postJson('/api/messages/preview', JSON.parse(requestKey)).then(({ ok, json }) => {
      if (!current) return;
      if (ok) {
        setPreview(json as unknown as Preview);
        setProblem(null);
      } else {
        setPreview(null);
        setProblem(json.error?.message ?? 'The preview failed');
      }
    });
    return () => {
      current = false;
    };
  }, [requestKey]);

  useEffect(() => {
    if (!query.trim()) return;
    let current = true;
    const timer = setTimeout(() => {
      void fetch(`/api/messages/customers?q=${encodeURIComponent(query)}`)
        .then((response) => response.json())
        .then((json: { customers?: CustomerOption[] }) => {
          if (current) setOptions(json.customers ?? []);
        });
    }, 200);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [query]);

  async function sendTest() {
    setSendState('Sending…');
    const { ok, json } = await postJson('/api/messages/test-send', { ...request, toSavedList });
    setSendState(
      ok
        ? `Test sent to ${(json.to as string[]).join(', ')}`
        : `Not sent: ${json.error?.message ?? 'failed'}`,
    );
  }

  return (
    <dialog
      ref={dialog}
      className={styles.dialog}
      aria-label="Message preview"
      data-testid="message-preview-dialog"
      onClose={onClose}
    >
      <div className={styles.previewGrid}>
        <div>
          <h3 style={{ marginTop: 0 }}>Preview as</h3>
          <p data-testid="preview-as">
            {customer
              ? `${customer.name || customer.email || `#${customer.id}`} (${customer.locale})`
              : `Empty profile (${LANGUAGE_NAMES[emptyLanguage]})`}
          </p>
          <label>
            Find a customer
            <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
          </label>
          <ul className={styles.picker} aria-label="Customers">
            {(query.trim() ? options : []).map((option) => (
              <li key={option.id}>
                <button type="button" onClick={() => setCustomer(option)}>
                  {option.name || '(no name)'} · {option.email} · {option.locale}
                </button>
              </li>
            ))}
          </ul>
          <fieldset>
            <legend>Empty profile</legend>
            {MESSAGE_LANGUAGES.map((code) => (
              <button
                key={code}
                type="button"
                onClick={() => {
                  setCustomer(null);
                  setEmptyLanguage(code);
                }}
              >
                Empty profile, {LANGUAGE_NAMES[code]}
              </button>
            ))}
          </fieldset>
          <h3>Send test</h3>
          <p className="muted" style={{ fontSize: '0.85rem' }}>
            Goes to your own address, marked as a test; no customer, consent or ledger is touched.
          </p>
          {recipients && recipients.saved.length > 0 && (
            <label style={{ fontWeight: 400 }}>
              <input
                type="checkbox"
                checked={toSavedList}
                onChange={(e) => setToSavedList(e.target.checked)}
              />{' '}
              Also to the saved test addresses ({recipients.saved.join(', ')})
            </label>
          )}
          <button type="button" className="primary" onClick={() => void sendTest()} disabled={!preview}>
            Send test
          </button>
          <p role="status" data-testid="test-send-status">
            {sendState}
          </p>
          <button type="button" onClick={() => dialog.current?.close()}>
            Close
          </button>
        </div>
        <div>
          <div role="radiogroup" aria-label="Width" className={styles.tabs}>
            {(Object.keys(WIDTHS) as (keyof typeof WIDTHS)[]).map((key) => (
              <label key={key} style={{ fontWeight: 400 }}>
                <input
                  type="radio"
                  name="preview-width"
                  checked={width === key}
                  onChange={() => setWidth(key)}
                />{' '}
                {key === 'desktop' ? 'Desktop' : 'Mobile'}
              </label>
            ))}
          </div>
          {problem && (
            <p className={styles.problem} role="alert" data-testid="preview-problem">
              {problem}
            </p>
          )}
          {preview && preview.mjmlErrors.length > 0 && (
            <div className={styles.problem} role="alert" data-testid="preview-mjml-errors">
              <p style={{ margin: 0 }}>Invalid MJML (publishing is refused until it is fixed):</p>
              <ul>
                {preview.mjmlErrors.map((error) => (
                  <li key={error}>{error}</li>
                ))}
              </ul>
            </div>
          )}
          {preview && (
            <>
              <p>
                <strong>Subject:</strong> <span data-testid="preview-subject">{preview.subject}</span>{' '}
                <span className="muted">({LANGUAGE_NAMES[preview.language]})</span>
              </p>
              {preview.preheader && <p className="muted">{preview.preheader}</p>}
              <iframe
                title="HTML preview"
                className={styles.frame}
                sandbox=""
                srcDoc={preview.html}
                style={{ width: WIDTHS[width] }}
                data-testid="preview-html"
              />
              <h3>Text part</h3>
              <pre className={styles.text} data-testid="preview-text">
                {preview.text}
              </pre>
            </>
          )}
        </div>
      </div>
    </dialog>
  );
}
