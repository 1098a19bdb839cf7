import type { KnownBlock } from '@slack/types';
import type { StudentSession } from '../../core/bookings/booking.schema.js';
import type { Page } from '../../core/shared/time.schema.js';
import { ACTION } from '../ids.js';
import { escapeMrkdwn, md, plain } from '../mrkdwn.js';
import { formatZone } from './format.js';
import { studentPastItem, studentSessionItem } from './student-session.view.js';

export interface StudentHomeData {
  zone: string;
  now: Date;
  upcoming: Page<StudentSession>;
  past: Page<StudentSession>;
}

/** Upcoming sessions take two blocks each (the session, its buttons): this many keep a coach's and a student's parts under 100 blocks together. */
export const studentHomeSizes = (alsoCoach: boolean) => (alsoCoach ? { upcoming: 5, past: 5 } : { upcoming: 10, past: 10 });

const more = (page: Page<unknown>, what: string): KnownBlock[] =>
  page.total > page.items.length ? [{ type: 'context', elements: [md(`…and ${page.total - page.items.length} more ${what}.`)] }] : [];

/** The student's part of App Home: Book a session, upcoming sessions (with the coach's phone, Move, Cancel), past ones. */
export function studentHomeBlocks(data: StudentHomeData): KnownBlock[] {
  const { zone, now, upcoming, past } = data;
  return [
    { type: 'header', text: plain('Your sessions') },
    {
      type: 'actions',
      elements: [{ type: 'button', action_id: ACTION.openBookSession, text: plain('Book a session'), style: 'primary', value: 'book' }],
    },
    { type: 'context', elements: [md(`Times in ${escapeMrkdwn(formatZone(zone, now))}, your Slack time zone.`)] },
    { type: 'section', text: md(`*Upcoming* (${upcoming.total})`) },
    ...(upcoming.items.length ? upcoming.items.flatMap((s) => studentSessionItem(s, zone, now)) : [{ type: 'section' as const, text: md('_Nothing booked. Press Book a session or run `/coaching`._') }]),
    ...more(upcoming, 'upcoming'),
    { type: 'section', text: md(`*Past* (${past.total})`) },
    ...(past.items.length ? past.items.map((s) => studentPastItem(s, zone)) : [{ type: 'section' as const, text: md('_No past sessions yet._') }]),
    ...more(past, 'past'),
  ];
}
