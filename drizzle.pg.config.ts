import { defineConfig } from 'drizzle-kit';

// PostgreSQL migrations: `flock /tmp/tarmo-db.lock npx drizzle-kit generate --config drizzle.pg.config.ts`.
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/pg/schema/index.ts',
  out: './db/migrations/pg',
});
