import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="public-page">
      <div className="card">
        <h1>Page not found</h1>
        <p>We could not find what you were looking for.</p>
        <Link href="/">Go to Tarmo</Link>
      </div>
    </main>
  );
}
