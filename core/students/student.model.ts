import { Schema, type Connection, type Model, type Types } from 'mongoose';

export interface StudentDoc {
  _id: Types.ObjectId;
  site: string;
  externalId: string;
  name: string;
  /** E.164; null only for a Slack student whose profile has no usable number yet. */
  phone: string | null;
  email: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const studentSchema = new Schema<StudentDoc>(
  {
    site: { type: String, required: true },
    externalId: { type: String, required: true },
    name: { type: String, required: true, maxlength: 120 },
    phone: { type: String, default: null, match: /^\+[1-9]\d{6,14}$/ },
    email: { type: String, default: null },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'students' },
);
studentSchema.index({ site: 1, externalId: 1 }, { unique: true });
// Finding the website student a Slack user links to (see core/students/student.service.ts).
studentSchema.index({ email: 1 });

export function studentModel(connection: Connection): Model<StudentDoc> {
  return (connection.models.Student as Model<StudentDoc> | undefined) ?? connection.model<StudentDoc>('Student', studentSchema);
}
