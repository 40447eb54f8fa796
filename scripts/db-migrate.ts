// `npm run db:migrate`: applies the committed migrations to DATABASE_URL.
import { migrateSqlite } from '@/db/migrate';
import { appEnv } from '@/lib/config/env';

const url = appEnv().DATABASE_URL;
migrateSqlite(url);
console.log(`Migrations applied to ${url.startsWith('file:') ? url : '(database)'}`);
