import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { BOOKING_STATUSES, type BookingStatus, type CancelledBy } from './booking.schema.js';

export interface FeedbackDoc {
  satisfaction: number;
  notes: string;
  recordedAt: Date;
  updatedAt: Date;
}

export interface FeedbackRevisionDoc {
  satisfaction: number;
  notes: string;
  /** When this version stopped being the current one. */
  replacedAt: Date;
}

export interface MoveDoc {
  fromSlotId: Types.ObjectId;
  fromStartsAt: Date;
  fromEndsAt: Date;
  by: 'student' | 'coach';
  at: Date;
}

export interface BookingDoc {
  _id: Types.ObjectId;
  slotId: Types.ObjectId;
  coachId: Types.ObjectId;
  /** The coach's workspace, copied at booking so student and cross-coach queries can be scoped. */
  teamId: string;
  studentId: Types.ObjectId;
  startsAt: Date;
  endsAt: Date;
  status: BookingStatus;
  cancellation: { by: CancelledBy; at: Date; reason: string | null } | null;
  feedback: FeedbackDoc | null;
  /** Earlier versions of the feedback, oldest first. */
  feedbackHistory: FeedbackRevisionDoc[];
  /** The limit counters and buffer cells this session holds (see core/policy), released with it. */
  policyClaims?: string[];
  /** Denormalised `feedback !== null`, so "needs rating first" is an index sort. */
  rated: boolean;
  /**
   * Bumped by every change a participant's calendar must follow (a move, the
   * cancellation): the iCalendar SEQUENCE, and how a scheduled message knows
   * the session it was planned for has changed since.
   */
  sequence: number;
  /** Earlier times of a moved session, oldest first. */
  moves: MoveDoc[];
  createdAt: Date;
  updatedAt: Date;
}

const feedbackSchema = new Schema<FeedbackDoc>(
  {
    satisfaction: { type: Number, required: true, min: 1, max: 5, validate: Number.isInteger },
    notes: { type: String, default: '', maxlength: 3000 },
    recordedAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { _id: false },
);

const bookingSchema = new Schema<BookingDoc>(
  {
    slotId: { type: Schema.Types.ObjectId, required: true },
    coachId: { type: Schema.Types.ObjectId, required: true },
    teamId: { type: String, required: true },
    studentId: { type: Schema.Types.ObjectId, required: true },
    startsAt: { type: Date, required: true },
    endsAt: { type: Date, required: true },
    status: { type: String, enum: BOOKING_STATUSES, required: true },
    cancellation: {
      type: new Schema({ by: String, at: Date, reason: { type: String, default: null } }, { _id: false }),
      default: null,
    },
    feedback: { type: feedbackSchema, default: null },
    feedbackHistory: {
      type: [new Schema({ satisfaction: Number, notes: String, replacedAt: Date }, { _id: false })],
      default: [],
    },
    policyClaims: { type: [String], default: [] },
    rated: { type: Boolean, default: false },
    sequence: { type: Number, default: 0 },
    moves: {
      type: [new Schema({ fromSlotId: Schema.Types.ObjectId, fromStartsAt: Date, fromEndsAt: Date, by: String, at: Date }, { _id: false })],
      default: [],
    },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'bookings' },
);
bookingSchema.index({ coachId: 1, status: 1, startsAt: 1 });
bookingSchema.index({ coachId: 1, status: 1, rated: 1, startsAt: -1 });
bookingSchema.index({ studentId: 1, status: 1, startsAt: 1 });
bookingSchema.index({ slotId: 1 });
bookingSchema.index({ teamId: 1, status: 1, startsAt: 1 });

export function bookingModel(connection: Connection): Model<BookingDoc> {
  return (connection.models.Booking as Model<BookingDoc> | undefined) ?? connection.model<BookingDoc>('Booking', bookingSchema);
}
