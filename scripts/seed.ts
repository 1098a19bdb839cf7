/**
 * `npm run seed`: fills the configured database (MONGODB_URI, or the embedded
 * one under DATA_DIR) with demo coaches, students, slots and sessions.
 * Refuses to touch a database that already has coaches.
 */
import { closeMongo, connectMongo } from '../core/db/connection.js';
import { createCore, DEFAULT_RULES } from '../core/index.js';
import { startDatabase } from '../server/db/database.js';
import { seedDemoData } from '../core/demo/demo-seed.js';

const database = await startDatabase({ purpose: 'start', dataDir: process.env.DATA_DIR ?? '.data' });
const connection = await connectMongo(database.uri);
try {
  const core = await createCore({ connection, rules: DEFAULT_RULES });
  const { items } = await core.coaches.list({ limit: 1 });
  if (items.length > 0) {
    console.log(`The database already has coaches: not seeding. Point DATA_DIR or MONGODB_URI at an empty database to seed it.`);
  } else {
    const summary = await seedDemoData(core);
    console.log(
      `Seeded ${summary.coaches} coaches, ${summary.students} students, ${summary.openSlots} open slots, ` +
        `${summary.upcomingSessions} upcoming sessions and ${summary.pastSessions} past sessions (${summary.ratedSessions} rated).`,
    );
  }
} finally {
  await closeMongo(connection);
  await database.stop();
}
