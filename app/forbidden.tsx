import Link from 'next/link';

/**
 * Rendered inside whichever layout refused the page; staff pages already sit in the shell's
 * <main>, so this is a section, not a second <main>.
 */
export default function Forbidden() {
  return (
    <section className="public-page" aria-labelledby="forbidden-title">
      <div className="card">
        <h1 id="forbidden-title">Not allowed</h1>
        <p>Your role does not give access to this page. Ask an administrator if you need it.</p>
        <Link href="/">Back to your start page</Link>
      </div>
    </section>
  );
}
