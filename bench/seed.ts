/**
 * Data at scale for the benches (`npm run bench`, `npm run bench:paths`),
 * written in bulk through the models.
 */
import { performance } from 'node:perf_hooks';
import { Types, type Connection } from 'mongoose';
import { bookingModel } from '../core/bookings/booking.model.js';
import { claimModel } from '../core/claims/claim.model.js';
import { coachModel } from '../core/coaches/coach.model.js';
import { coachIdFor } from '../core/coaches/coach.repository.js';
import { jobModel } from '../core/jobs/job.model.js';
import { slotModel } from '../core/slots/slot.model.js';
import { studentModel } from '../core/students/student.model.js';
import { studentIdFor } from '../core/students/student.repository.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const COACHES_AT_SCALE = 1000;
const FUTURE_PER_COACH = 8;
export const SCALE_TEAM_ID = 'TSCALE';

/** The first slot start on the grid at least `afterMs` from now, at a whole hour. */
export const gridAfter = (afterMs: number) => new Date(Math.ceil((Date.now() + afterMs) / HOUR) * HOUR);

/** Sizes like `10k`, `100k`, `1M`. */
export const parseSize = (s: string) => Math.round(Number(s.replace(/[kKmM]$/, '')) * (/[mM]$/.test(s) ? 1e6 : /[kK]$/.test(s) ? 1e3 : 1));

/**
 * Bulk seeding through the models, valid for the rules, with the ids this
 * version of the app gives coaches and students: every live slot holds
 * its coach-cell claims, every booked one its booking, slot claim, the
 * student's cells and the jobs core planned for it (the booking DM, the coach's
 * reminder and the rating prompt: done for past sessions, pending for coming
 * ones), as core would have written them. What grows with size is history
 * (past slots); each coach's next weeks look the same at every size, so a flat
 * cost means the queries do not walk the history.
 */
export class ScaleSeed {
  private pastPerCoach = 0;
  private coachIds: Types.ObjectId[] = [];
  private studentIds: Types.ObjectId[] = [];
  constructor(private readonly connection: Connection) {}

  get coaches() {
    return this.coachIds;
  }

  async grow(total: number): Promise<number> {
    const started = performance.now();
    const models = {
      coach: coachModel(this.connection), student: studentModel(this.connection), slot: slotModel(this.connection),
      booking: bookingModel(this.connection), claim: claimModel(this.connection), job: jobModel(this.connection),
    };
    const longAgo = new Date(Date.now() - 400 * DAY);
    const teamId = SCALE_TEAM_ID;
    if (this.coachIds.length === 0) {
      const coaches = Array.from({ length: COACHES_AT_SCALE }, (_, i) => ({
        _id: coachIdFor(teamId, `USCALE${i}`), teamId, slackUserId: `USCALE${i}`, name: `Scale Coach ${String(i).padStart(4, '0')}`,
        sortName: `scale coach ${String(i).padStart(4, '0')}`, bio: '', timezone: 'Europe/London', avatarUrl: null, phone: '+442079460018', email: null, createdAt: longAgo, updatedAt: longAgo,
      }));
      const students = Array.from({ length: COACHES_AT_SCALE }, (_, i) => ({
        _id: studentIdFor({ site: 'bench', externalId: `scale-${i}` }), site: 'bench', externalId: `scale-${i}`, name: `Scale Student ${i}`, phone: '+442079460123', email: null, createdAt: longAgo, updatedAt: longAgo,
      }));
      await models.coach.insertMany(coaches);
      await models.student.insertMany(students);
      this.coachIds = coaches.map((c) => c._id);
      this.studentIds = students.map((s) => s._id);
    }
    const perCoach = total / COACHES_AT_SCALE;
    const futureBase = gridAfter(DAY).getTime();
    const pastBase = Math.floor((Date.now() - DAY) / HOUR) * HOUR;
    const firstPast = this.pastPerCoach;
    const lastPast = perCoach - FUTURE_PER_COACH;
    const buffers = { slot: [] as unknown[], booking: [] as unknown[], claim: [] as unknown[], job: [] as unknown[] };
    const flush = async (force = false) => {
      for (const kind of ['slot', 'booking', 'claim', 'job'] as const) {
        if (buffers[kind].length >= 5000 || (force && buffers[kind].length)) {
          const batch = buffers[kind].splice(0);
          await (models[kind] as unknown as { insertMany(d: unknown[], o: object): Promise<unknown> }).insertMany(batch, { lean: true, ordered: false });
        }
      }
    };
    const now = Date.now();
    const job = (id: string, kind: string, bookingId: string, coachId: string, runAt: Date) => {
      const done = runAt.getTime() <= now;
      return {
        _id: id, kind, bookingId, coachId, sequence: 0, payload: {}, runAt, after: null, status: done ? 'done' : 'pending', attempts: done ? 1 : 0, failures: 0,
        leaseUntil: null, lastError: null, reason: null, result: null, createdAt: longAgo, updatedAt: longAgo, finishedAt: done ? runAt : null,
      };
    };
    const addSlot = async (c: number, startsAt: Date, booked: boolean) => {
      const coachId = this.coachIds[c]!;
      const studentId = this.studentIds[c]!;
      const _id = new Types.ObjectId();
      const bookingId = booked ? new Types.ObjectId() : null;
      const endsAt = new Date(startsAt.getTime() + 2 * HOUR);
      buffers.slot.push({ _id, coachId, teamId, startsAt, endsAt, status: booked ? 'booked' : 'open', bookingId, seriesId: null, createdAt: longAgo, updatedAt: longAgo });
      const cells = Array.from({ length: 8 }, (_, k) => Math.floor(startsAt.getTime() / MINUTE) + k * 15);
      for (const cell of cells) buffers.claim.push({ _id: `coach:${coachId}:${cell}`, owner: String(_id), kind: 'coach-cell', createdAt: longAgo, attempt: 'seed' });
      if (bookingId) {
        const booking = String(bookingId);
        const coach = String(coachId);
        buffers.booking.push({
          _id: bookingId, slotId: _id, coachId, teamId, studentId, startsAt, endsAt, status: 'active', cancellation: null, feedback: null, feedbackHistory: [],
          policyClaims: [], rated: false, sequence: 0, moves: [], createdAt: longAgo, updatedAt: longAgo,
        });
        buffers.claim.push({ _id: `slot:${_id}`, owner: booking, kind: 'slot', createdAt: longAgo, attempt: 'seed' });
        for (const cell of cells) buffers.claim.push({ _id: `student:${studentId}:${cell}`, owner: booking, kind: 'student-cell', createdAt: longAgo, attempt: 'seed' });
        buffers.job.push(
          job(`slack.booking_dm:${booking}`, 'slack.booking_dm', booking, coach, longAgo),
          job(`slack.reminder:${booking}:0:60`, 'slack.reminder', booking, coach, new Date(startsAt.getTime() - HOUR)),
          job(`slack.rating_prompt:${booking}:0`, 'slack.rating_prompt', booking, coach, endsAt),
        );
      }
      await flush();
    };
    for (let c = 0; c < COACHES_AT_SCALE; c++) {
      if (firstPast === 0) {
        // Every 3.5 days from tomorrow, each fourth one booked: about four in any 14 days.
        for (let k = 0; k < FUTURE_PER_COACH; k++) await addSlot(c, new Date(futureBase + k * 84 * HOUR), k % 4 === 3);
      }
      // History, back to back every 2 h 15 min: three in five were booked.
      for (let p = firstPast; p < lastPast; p++) await addSlot(c, new Date(pastBase - (p + 1) * 135 * MINUTE), p % 5 < 3);
    }
    await flush(true);
    this.pastPerCoach = lastPast;
    return performance.now() - started;
  }
}
