import Link from 'next/link';
import { requirePermission } from '@/app/_lib/session';
import { listPurposesWithThemes } from '@/lib/journeys/queries';
import { JOURNEY_TEMPLATES } from '@/lib/journey/templates';
import { createJourneyAction } from './actions';
import styles from './new-journey.module.css';

export const metadata = { title: 'New journey' };
export const dynamic = 'force-dynamic';

/**
 * Starting a journey: a starter template (a complete draft to adapt) or an empty journey with
 * just its entry step. A plain form (works without JavaScript); creating opens the editor.
 */
export default async function NewJourneyPage({
  searchParams,
}: {
  searchParams: Promise<{ err?: string; field?: string; template?: string }>;
}) {
  await requirePermission('journeys:edit');
  const { err, field, template } = await searchParams;
  const purposes = (await listPurposesWithThemes()).filter((p) => p.legalBasis === 'consent');
  const chosen = JOURNEY_TEMPLATES.some((t) => t.key === template) ? template : JOURNEY_TEMPLATES[0]!.key;
  return (
    <div className={styles.page}>
      <p>
        <Link href="/journeys">← Journeys</Link>
      </p>
      <h1>New journey</h1>
      <p>
        Start from a template: a complete journey built from the usual steps, saved as a draft for you to
        adapt. Nothing is sent until you publish it.
      </p>
      {err && (
        <p role="alert" className="field-error" id="new-journey-error">
          {err}
        </p>
      )}
      <form action={createJourneyAction} className={styles.form}>
        <label htmlFor="journey-name">Journey name</label>
        <input
          id="journey-name"
          name="name"
          required
          maxLength={200}
          aria-invalid={field === 'name' || undefined}
          aria-describedby={field === 'name' ? 'new-journey-error' : undefined}
        />
        <fieldset className={styles.templates}>
          <legend>Start from</legend>
          {JOURNEY_TEMPLATES.map((t) => (
            <label key={t.key} className={styles.template}>
              <input type="radio" name="template" value={t.key} defaultChecked={t.key === chosen} />
              <span>
                <strong>{t.name}</strong>
                <span className={styles.description}>{t.description}</span>
              </span>
            </label>
          ))}
          <label className={styles.template}>
            <input type="radio" name="template" value="empty" defaultChecked={template === 'empty'} />
            <span>
              <strong>Empty journey</strong>
              <span className={styles.description}>
                Just the entry step: you choose who enters and add the steps yourself.
              </span>
            </span>
          </label>
        </fieldset>
        <label htmlFor="journey-purpose">Purpose customers agreed to</label>
        <select
          id="journey-purpose"
          name="purpose"
          aria-describedby="journey-purpose-help"
          aria-invalid={field === 'purpose' || undefined}
        >
          {purposes.map((p) => (
            <option key={p.key} value={p.key}>
              {p.name}
            </option>
          ))}
        </select>
        <p id="journey-purpose-help" className="muted">
          The templates that write to customers do so for this purpose, and only to those who agreed to it.
        </p>
        <button type="submit" className="primary">
          Create journey
        </button>
      </form>
    </div>
  );
}
