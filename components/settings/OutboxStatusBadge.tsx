const BADGE_CLASS: Record<string, string> = { sent: 'ok', failed: 'failed', cancelled: 'archived' };

/** The state of an outbox row (mail or webhook delivery); queued and sending read as pending. */
export function OutboxStatusBadge({ status }: { status: string }) {
  return <span className={`badge ${BADGE_CLASS[status] ?? 'pending'}`}>{status}</span>;
}
