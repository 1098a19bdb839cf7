/**
 * No MongoDB server can be run on this machine, so `explain` cannot show
 * IXSCAN here. This is the proof that can: every query the product sends
 * while it is used end to end (Slack, the widget API, core's services, the
 * job worker, the sweeps) is recorded, and each filter is matched against
 * the indexes its model declares, the way MongoDB's planner bounds an index
 * scan: the equality fields of a prefix of the index, then at most one range.
 * A query no index bounds would walk the whole collection on MongoDB and
 * grow with all the data; the test names it.
 */
import mongoose from 'mongoose';
import { afterAll, expect, it } from 'vitest';
import { ACTION, BLOCK } from '../../bot/ids.js';
import { getJson, sendJson } from '../helpers/http.js';
import { bearer, mintToken, newStudent } from '../helpers/tokens.js';
import { STANDIN_TEAM_ID } from '../helpers/slack-standin.js';
import { makeCoach, merge, openAvailabilityModal, typed, useBotHarness } from '../bot/bot-fixture.js';

// Monday 2 March 2026, 09:00 in London (GMT).
const harness = useBotHarness('index coverage', '2026-03-02T09:00:00Z', { RATE_LIMIT_PER_MINUTE: '100000' });

type Filter = Record<string, unknown>;
interface Sent { collection: string; method: string; filter: Filter; sort: Record<string, number> | null; limited: boolean }

const sent: Sent[] = [];
const FILTER_FIRST = new Set(['find', 'findOne', 'findOneAndUpdate', 'findOneAndDelete', 'findOneAndReplace', 'updateOne', 'updateMany', 'replaceOne', 'deleteOne', 'deleteMany', 'countDocuments']);

function record(collection: string, method: string, ...args: unknown[]): void {
  if (FILTER_FIRST.has(method)) {
    const options = (method === 'find' || method === 'findOne' || method === 'countDocuments' ? args[1] : args[2]) as { sort?: Record<string, number>; limit?: number } | undefined;
    sent.push({ collection, method, filter: (args[0] ?? {}) as Filter, sort: options?.sort ?? null, limited: method === 'findOne' || Boolean(options?.limit) });
  } else if (method === 'distinct') {
    sent.push({ collection, method, filter: (args[1] ?? {}) as Filter, sort: null, limited: false });
  } else if (method === 'aggregate') {
    const first = (args[0] as Array<Record<string, unknown>>)[0];
    sent.push({ collection, method, filter: (first?.$match ?? {}) as Filter, sort: null, limited: false });
  } else if (method === 'bulkWrite') {
    for (const op of args[0] as Array<Record<string, { filter?: Filter }>>) {
      const [kind, body] = Object.entries(op)[0]!;
      if (body?.filter) sent.push({ collection, method: `bulkWrite.${kind}`, filter: body.filter, sort: null, limited: false });
    }
  }
}
mongoose.set('debug', record);
afterAll(() => void mongoose.set('debug', false));

const RANGE = new Set(['$gt', '$gte', '$lt', '$lte']);
const POINTS = new Set(['$eq', '$in']);

/** The fields a filter bounds: by points (equality, $in) and by a range. $ne, $exists and the like bound nothing. */
function bounds(filter: Filter): Array<{ points: Set<string>; ranges: Set<string> }> {
  const points = new Set<string>();
  const ranges = new Set<string>();
  let branches: Array<{ points: Set<string>; ranges: Set<string> }> = [{ points, ranges }];
  for (const [field, value] of Object.entries(filter)) {
    if (field === '$and') {
      for (const part of value as Filter[]) for (const b of bounds(part)) { b.points.forEach((p) => points.add(p)); b.ranges.forEach((r) => ranges.add(r)); }
    } else if (field === '$or') {
      // Each branch is planned on its own; the rest of the filter bounds every branch.
      branches = (value as Filter[]).flatMap((part) => bounds(part)).map((b) => ({ points: new Set([...points, ...b.points]), ranges: new Set([...ranges, ...b.ranges]) }));
    } else if (field.startsWith('$')) continue;
    else if (value !== null && typeof value === 'object' && !(value instanceof Date) && !Array.isArray(value) && Object.keys(value).some((k) => k.startsWith('$'))) {
      const ops = Object.keys(value);
      // A missing field is indexed as null: `$exists: false` is the point null.
      if (ops.some((op) => POINTS.has(op)) || (value as { $exists?: unknown }).$exists === false) points.add(field);
      else if (ops.some((op) => RANGE.has(op))) ranges.add(field);
    } else points.add(field);
  }
  if (branches[0] !== undefined && branches[0].points !== points) for (const b of branches) { points.forEach((p) => b.points.add(p)); ranges.forEach((r) => b.ranges.add(r)); }
  return branches;
}

/** The index that bounds the scan, by the planner's rule: equality on a prefix, then at most one range or the sort. */
function servedBy(indexes: Array<Record<string, unknown>>, query: Sent): string | null {
  const branches = bounds(query.filter);
  const names: string[] = [];
  for (const branch of branches) {
    if (branch.points.has('_id')) { names.push('_id'); continue; }
    // The index that bounds the most fields, as the planner would rank them.
    let best: string | null = null;
    let bestScore = 0;
    for (const index of indexes) {
      const keys = Object.keys(index);
      let i = 0;
      while (i < keys.length && branch.points.has(keys[i]!)) i++;
      const score = i + (i < keys.length && branch.ranges.has(keys[i]!) ? 1 : 0);
      // No filter on the index, but walked in its order and stopped by a limit (a page).
      const walked = query.limited && query.sort !== null && Object.keys(query.sort).every((k, j) => keys[j] === k);
      if (score > bestScore || (bestScore === 0 && walked && !best)) {
        best = keys.join(',');
        bestScore = score;
      }
    }
    if (!best) return null;
    names.push(best);
  }
  return names.join(' | ');
}

function indexesOf(collection: string): Array<Record<string, unknown>> {
  for (const connection of mongoose.connections) {
    for (const model of Object.values(connection.models)) {
      if (model.collection.collectionName === collection) return [{ _id: 1 }, ...model.schema.indexes().map(([fields]) => fields as Record<string, unknown>)];
    }
  }
  throw new Error(`no model for the collection ${collection}`);
}

const shape = (filter: Filter): string => JSON.stringify(filter, (_key, value: unknown) => (value !== null && typeof value === 'object' && !Array.isArray(value) ? value : typeof value === 'string' || typeof value === 'number' || value instanceof Date ? '·' : value));

it('bounds every query the product sends by an index (what makes cost flat on MongoDB)', async () => {
  const h = harness();
  const { core, clock, app } = h;
  const url = (path: string) => `${app.baseUrl}${path}`;

  // Slack: a coach arrives, adds a weekly series, opens App Home.
  h.slack.setUser({ id: 'UIDX1', realName: 'Index Coach', tz: 'Europe/London', phone: '+44 20 7946 0958' });
  const view = await openAvailabilityModal(h, 'UIDX1');
  await h.requests.viewSubmission({ userId: 'UIDX1', view, values: merge(typed.date('2026-03-04'), typed.times('10:00', '14:00'), typed.weeks('3')) });
  await h.requests.event({ type: 'app_home_opened', user: 'UIDX1', tab: 'home' });
  const coach = (await core.coaches.findBySlackUser(STANDIN_TEAM_ID, 'UIDX1'))!;
  const other = await makeCoach(h, 'UIDX2');

  // The widget: a student browses, holds, books, moves, lists and cancels.
  const student = newStudent();
  const auth = bearer(await mintToken(student, { now: clock.now() }));
  await getJson(url('/api/v1/coaches?limit=10'), { headers: auth });
  await getJson(url(`/api/v1/coaches/${coach.id}`), { headers: auth });
  const open = await getJson<{ slots: Array<{ id: string }> }>(url(`/api/v1/coaches/${coach.id}/slots?from=2026-03-02T00:00:00Z&to=2026-03-30T00:00:00Z`), { headers: auth });
  await getJson(url('/api/v1/slots?from=2026-03-02T00:00:00Z&to=2026-03-16T00:00:00Z'), { headers: auth });
  const [first, second, third] = open.body.slots;
  await sendJson('POST', url(`/api/v1/slots/${first!.id}/hold`), {}, { headers: auth });
  const booked = await sendJson<{ booking: { id: string } }>('POST', url('/api/v1/bookings'), { slotId: first!.id }, { headers: { ...auth, 'idempotency-key': 'index-coverage-1' } });
  expect(booked.status).toBe(201);
  await sendJson('POST', url(`/api/v1/bookings/${booked.body.booking.id}/reschedule`), { slotId: second!.id }, { headers: auth });
  for (const scope of ['upcoming', 'past', 'cancelled']) await getJson(url(`/api/v1/me/bookings?scope=${scope}`), { headers: auth });
  await getJson(url(`/api/v1/bookings/${booked.body.booking.id}/calendar.ics`), { headers: auth });
  const again = await sendJson<{ booking: { id: string } }>('POST', url('/api/v1/bookings'), { slotId: third!.id }, { headers: auth });
  await sendJson('POST', url(`/api/v1/bookings/${again.body.booking.id}/cancel`), {}, { headers: auth });
  await sendJson('DELETE', url(`/api/v1/slots/${first!.id}/hold`), undefined, { headers: auth });

  // A Slack student books through core, the coach sees context and rates afterwards.
  const slackStudent = await core.students.forSlackUser({ teamId: STANDIN_TEAM_ID, userId: 'UIDXS', name: 'Slack Student', timezone: 'Europe/London', verifiedEmail: 'slack.student@example.org' });
  await core.students.findBySlackUser(STANDIN_TEAM_ID, 'UIDXS');
  await core.students.slackIdentitiesOf(slackStudent.student.id);
  const soon = await core.slots.create(other.id, { startsAt: '2026-03-05T10:00:00Z' });
  const session = await core.bookings.book(slackStudent.student.id, { slotId: soon.id });
  await core.bookings.studentContextForCoach(other.id, slackStudent.student.id);
  await core.bookings.historyWithStudent(other.id, slackStudent.student.id);
  await core.bookings.coachUpcoming(other.id);
  await core.coaches.stats(other.id);
  await core.coaches.search('Index', { limit: 5 });
  await core.coaches.updateSettings(other.id, { bufferMinutes: 15, dailyCap: 3, minNoticeHours: null });
  await core.slots.listAvailability(coach.id);
  const availability = await core.slots.listAvailability(coach.id);
  const item = availability.items.find((i) => i.kind === 'series');
  expect(item).toBeDefined();
  if (item?.kind === 'series') {
    const seriesId = item.series.id;
    await core.slots.series(coach.id, seriesId);
    await core.slots.extendSeries(coach.id, seriesId, { weeks: 1 });
    await core.slots.removeRestOfSeries(coach.id, seriesId);
  }
  await core.admin.overview({ teamId: STANDIN_TEAM_ID }, { zone: 'Europe/London', listSize: 5 });
  for await (const rows of core.admin.exportSessions({ from: '2026-03-01T00:00:00Z', to: '2026-03-31T00:00:00Z' }, { teamId: STANDIN_TEAM_ID })) expect(rows).toBeDefined();

  // Time passes: reminders and rating prompts go out, the session is rated, the sweeps run.
  clock.set('2026-03-05T13:00:00Z');
  await app.jobs.runUntilIdle();
  await core.feedback.record(other.id, session.id, { satisfaction: 4, notes: 'Good progress' });
  await core.bookings.coachPast(other.id);
  await core.bookings.coachNeedsRating(other.id);
  await core.bookings.coachRatedPast(other.id);
  await core.sweepOrphanClaims();
  await core.jobs.prune(new Date('2026-03-05T00:00:00Z'));
  await core.slots.removeOpenInWorkspace('TOTHER');
  await app.jobs.runUntilIdle();

  const rows = new Map<string, { query: Sent; index: string | null }>();
  for (const query of sent) {
    const key = `${query.collection}.${query.method} ${shape(query.filter)}${query.sort ? ` sort ${JSON.stringify(query.sort)}` : ''}`;
    if (!rows.has(key)) rows.set(key, { query, index: servedBy(indexesOf(query.collection), query) });
  }
  console.log([...rows].map(([key, { index }]) => `${index ?? 'NO INDEX'}  ←  ${key}`).sort().join('\n'));
  expect(rows.size).toBeGreaterThan(40);
  expect([...rows].filter(([, r]) => r.index === null).map(([key]) => key)).toEqual([]);
});
