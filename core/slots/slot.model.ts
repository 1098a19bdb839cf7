import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { SLOT_STATUSES, type SlotStatus } from './slot.schema.js';

export interface SlotDoc {
  _id: Types.ObjectId;
  coachId: Types.ObjectId;
  /** The coach's workspace, copied at creation so cross-coach queries can be scoped (core/shared/scope.ts). */
  teamId: string;
  startsAt: Date;
  endsAt: Date;
  status: SlotStatus;
  bookingId: Types.ObjectId | null;
  seriesId: Types.ObjectId | null;
  /**
   * The zone a weekly series keeps its wall-clock time in (absent on slots
   * made before series could be extended: their coach's zone is used).
   */
  seriesTimezone?: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const slotSchema = new Schema<SlotDoc>(
  {
    coachId: { type: Schema.Types.ObjectId, required: true },
    teamId: { type: String, required: true },
    startsAt: { type: Date, required: true },
    endsAt: { type: Date, required: true },
    status: { type: String, enum: SLOT_STATUSES, required: true },
    bookingId: { type: Schema.Types.ObjectId, default: null },
    seriesId: { type: Schema.Types.ObjectId, default: null },
    seriesTimezone: { type: String, default: null },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'slots' },
);
slotSchema.index({ coachId: 1, status: 1, startsAt: 1 });
// With _id last, a page of open slots across coaches is read in index order, ties included.
slotSchema.index({ status: 1, startsAt: 1, _id: 1 });
slotSchema.index({ teamId: 1, status: 1, startsAt: 1 });

export function slotModel(connection: Connection): Model<SlotDoc> {
  return (connection.models.Slot as Model<SlotDoc> | undefined) ?? connection.model<SlotDoc>('Slot', slotSchema);
}
