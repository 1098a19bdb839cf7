import { z } from 'zod';

export const NOTES_MAX = 3000;

export const feedbackSchema = z.object({
  satisfaction: z.number({ message: 'Satisfaction must be a whole number from 1 to 5.' })
    .int('Satisfaction must be a whole number from 1 to 5.')
    .min(1, 'Satisfaction must be from 1 to 5.')
    .max(5, 'Satisfaction must be from 1 to 5.'),
  notes: z.string().max(NOTES_MAX, `Notes can be at most ${NOTES_MAX} characters.`).default(''),
}).strict();
export type FeedbackInput = z.input<typeof feedbackSchema>;

export const SATISFACTION_LABELS: Record<number, string> = {
  1: 'Very poor',
  2: 'Poor',
  3: 'OK',
  4: 'Good',
  5: 'Excellent',
};
