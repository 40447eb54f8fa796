'use client';
import Link from 'next/link';
import styles from '../canvas.module.css';

/**
 * A journey with only its entry step: what to do first, instead of a list of problems. Shown over
 * the lower part of the canvas, clear of the entry step that zoom-to-fit centres.
 */
export function EmptyJourney({
  whoEnters,
  readOnly,
  onChooseWhoEnters,
  onAddFirstStep,
}: {
  /** The entry step's summary, e.g. "Everyone" or "Event: signed-up". */
  whoEnters: string;
  readOnly: boolean;
  onChooseWhoEnters: () => void;
  onAddFirstStep: () => void;
}) {
  return (
    <section
      className={styles.emptyJourney}
      data-testid="empty-journey"
      aria-labelledby="empty-journey-title"
    >
      <h2 id="empty-journey-title">This journey has no steps yet</h2>
      {readOnly ? (
        <p>Customers would enter at the entry step ({whoEnters}); nothing comes after it yet.</p>
      ) : (
        <>
          <p>
            Customers enter at the entry step and go through the steps you add below it. Nothing is sent and
            nobody enters until you publish.
          </p>
          <ol>
            <li>
              <button type="button" onClick={onChooseWhoEnters}>
                Choose who enters
              </button>{' '}
              <span className="muted">now: {whoEnters}</span>
            </li>
            <li>
              <button type="button" onClick={onAddFirstStep}>
                Add the first step
              </button>{' '}
              <span className="muted">or drag one in from the step palette</span>
            </li>
          </ol>
          <p className="muted">
            Or <Link href="/journeys/new">start from a template</Link>: a welcome with double opt-in,
            re-consent before expiry, win-back or privacy-request handling.
          </p>
        </>
      )}
    </section>
  );
}
