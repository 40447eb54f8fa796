import Link from 'next/link';

const TABS = [
  { key: 'editor', label: 'Editor', path: '' },
  { key: 'history', label: 'History', path: '/history' },
  { key: 'live', label: 'Live view', path: '/live' },
  { key: 'test', label: 'Test mode', path: '/test' },
] as const;

export function JourneyTabs({
  journeyId,
  current,
}: {
  journeyId: number;
  current: (typeof TABS)[number]['key'];
}) {
  return (
    <nav aria-label="Journey" className="row" style={{ marginBottom: '0.75rem' }}>
      <Link href="/journeys">All journeys</Link>
      {TABS.map((tab) => (
        <Link
          key={tab.key}
          href={`/journeys/${journeyId}${tab.path}`}
          aria-current={tab.key === current ? 'page' : undefined}
        >
          {tab.label}
        </Link>
      ))}
    </nav>
  );
}
