import { defineConfig } from 'drizzle-kit';

// PostgreSQL migrations: `npm run db:generate -- --name <name>` (writes both dialects; see db/pg/README.md).
// The schema it reads is generated from db/schema by `npm run db:schema`.
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/pg/schema/index.ts',
  out: './db/migrations/pg',
});
