import fs from 'node:fs';
import { handleOf, onCommit, sqlGet, type Db, type DbHandle } from './client';
import { ensurePrivateFile } from '@/lib/config/private-files';
import { listenChannel } from './pg/notify';

/**
 * "Work is due", across processes: a transaction that makes enrollments due (an enrollment, a
 * wake-up by a grant, a confirmed opt-in, an event or a lifted block, a resume, a retry) or queues
 * mail calls signalWork, and every worker watching the database starts its next round at once
 * instead of at its next poll. The web app and the workers are separate processes, so an
 * in-memory nudge alone would reach only the process that wrote.
 * - PostgreSQL: NOTIFY inside the transaction (delivered on COMMIT only) to the workers' LISTEN.
 * - SQLite: after COMMIT, touch a file beside the database; workers watch it (inotify).
 * The poll stays as the fallback (a lost connection, a file system without change events).
 */
export const WORK_CHANNEL = 'tarmo_work';

/** Watchers in this process: reached directly, without the round trip through the database. */
const localWatchers = new Set<() => void>();

/** Announces, once per transaction, that work is due when the transaction commits. */
export async function signalWork(db: Db): Promise<void> {
  const handle = handleOf(db);
  const first = onCommit(db, 'work-signal', () => {
    if (handle.dialect === 'sqlite') touchWakeFile(handle);
    for (const watcher of localWatchers) watcher();
  });
  if (first && handle.dialect === 'postgres') await sqlGet(db, `SELECT pg_notify('${WORK_CHANNEL}', '')`);
}

/** Calls onWork whenever any process signals work on this database; close() stops watching. */
export function watchWork(handle: DbHandle, onWork: () => void): { close(): Promise<void> } {
  localWatchers.add(onWork);
  const stopLocal = () => localWatchers.delete(onWork);
  if (handle.dialect === 'postgres') {
    const listener = listenChannel(handle.url, WORK_CHANNEL, onWork, { onReconnect: onWork });
    // Until LISTEN is up (or when the server is away) the poll covers it.
    listener.ready.catch(() => undefined);
    return {
      async close() {
        stopLocal();
        await listener.close();
      },
    };
  }
  const file = wakeFileOf(handle);
  ensurePrivateFile(file);
  let watcher: fs.FSWatcher | undefined;
  try {
    watcher = fs.watch(file, { persistent: false }, onWork);
    watcher.on('error', () => watcher?.close());
  } catch {
    // No change events here: the poll covers it.
  }
  return {
    close() {
      stopLocal();
      watcher?.close();
      return Promise.resolve();
    },
  };
}

function wakeFileOf(handle: DbHandle): string {
  if (!handle.file) throw new Error('not a SQLite database handle');
  return `${handle.file}-wake`;
}

function touchWakeFile(handle: DbHandle) {
  const file = wakeFileOf(handle);
  const now = new Date();
  try {
    fs.utimesSync(file, now, now);
  } catch {
    // Nobody watches yet (no worker has started): nothing to wake.
  }
}
