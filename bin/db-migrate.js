#!/usr/bin/env node
// `npm run db:migrate`: applies the SQL migrations in migrations/ to DATABASE_URL (or DB_SECRET_ARN).
import { resolveDatabaseUrl } from '../functions/shared/db.ts';
import { migrate } from '../functions/shared/migrate.ts';

const applied = await migrate(await resolveDatabaseUrl());
console.log(applied.length ? `Applied ${applied.join(', ')}` : 'Database is up to date');
