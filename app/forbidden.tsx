import Link from 'next/link';

export default function Forbidden() {
  return (
    <main className="public-page">
      <div className="card">
        <h1>Not allowed</h1>
        <p>Your role does not give access to this page. Ask an administrator if you need it.</p>
        <Link href="/journeys">Back to journeys</Link>
      </div>
    </main>
  );
}
