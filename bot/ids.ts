/**
 * Every block, action and callback id the app puts in a view or message.
 * Listeners match on these, so a rename in one place cannot break the other.
 */
export const CALLBACK = {
  addAvailability: 'add_availability',
  cancelSession: 'cancel_session',
  rateSession: 'rate_session',
  editProfile: 'edit_profile',
  bookSession: 'book_session',
  moveSession: 'move_session',
  adminCancelSession: 'admin_cancel_session',
  adminExport: 'admin_export',
  settings: 'coach_settings',
  extendSeries: 'extend_series',
} as const;

export const BLOCK = {
  // Add availability
  date: 'availability_date',
  times: 'availability_times',
  weeks: 'availability_weeks',
  phone: 'availability_phone',
  // Cancel session
  cancelReason: 'cancel_reason',
  // Rate session
  satisfaction: 'rating_satisfaction',
  notes: 'rating_notes',
  // App Home
  reminderLead: 'home_reminder_lead',
  // Edit profile
  profileName: 'profile_name',
  profilePhone: 'profile_phone',
  profileBio: 'profile_bio',
  // Book a session / Move session. Day and time blocks get `:<coach>` (and `:<day>`) appended, so a new coach or day starts them empty.
  bookCoach: 'book_coach',
  bookDay: 'book_day',
  bookTime: 'book_time',
  bookPhone: 'book_phone',
  // Admin: cancel any session, export
  adminCancelReason: 'admin_cancel_reason',
  exportFrom: 'export_from',
  exportTo: 'export_to',
  // Settings
  settingsBuffer: 'settings_buffer',
  settingsDailyCap: 'settings_daily_cap',
  settingsNotice: 'settings_notice',
  settingsReminder: 'settings_reminder',
  // Extend series
  extendWeeks: 'series_extend_weeks',
} as const;

export const ACTION = {
  date: 'date',
  times: 'times',
  weeks: 'weeks',
  phone: 'phone',
  cancelReason: 'reason',
  satisfaction: 'satisfaction',
  notes: 'notes',
  profileName: 'name',
  profilePhone: 'phone',
  profileBio: 'bio',
  bookCoach: 'book_coach',
  bookDay: 'book_day',
  bookTime: 'book_time',
  bookPhone: 'phone',
  settingsBuffer: 'buffer',
  settingsDailyCap: 'daily_cap',
  settingsNotice: 'notice',
  settingsReminder: 'reminder',
  extendWeeks: 'weeks',

  /** Buttons: the value carries the slot or booking id. */
  removeSlot: 'remove_slot',
  openCancelSession: 'open_cancel_session',
  openRateSession: 'open_rate_session',
  openAddAvailability: 'open_add_availability',
  openEditProfile: 'open_edit_profile',
  openBookSession: 'open_book_session',
  /** A student's session buttons: the value is the booking id. */
  studentCancel: 'student_cancel',
  studentMove: 'student_move',
  /** Link buttons: Slack sends the press even though the browser does the work. */
  addToGoogleCalendar: 'add_to_google_calendar',
  addToOutlook: 'add_to_outlook',
  openBookingLink: 'open_booking_link',
  /** The coach's "Full history" of a student: the value is the student id. */
  openStudentHistory: 'open_student_history',
  shareBookingLink: 'share_booking_link',
  openSettings: 'open_settings',
  /** Series buttons: the value is the series id. */
  openExtendSeries: 'open_extend_series',
  removeSeriesRest: 'remove_series_rest',
  /** App Home select: the value is minutes before the session, or `off`. */
  reminderLead: 'reminder_lead',
  /** App Home paging: the value is `<section>:<offset>`. */
  homePagePrev: 'home_page_prev',
  homePageNext: 'home_page_next',
  /** App Home, admins: the value is the mode to switch to (`admin` or `coach`). */
  homeMode: 'home_mode',
  /** Admin overflow on a session: the option's value is `cancel:<bookingId>` or `history:<bookingId>`. */
  adminSessionMenu: 'admin_session_menu',
  /** Admin: the value is a booking id. */
  adminHistory: 'admin_history',
  /** Admin: the value is a coach id; opens their open slots. */
  adminCoachSlots: 'admin_coach_slots',
  /** Admin, in the open-slots modal: the value is a slot id. */
  adminRemoveSlot: 'admin_remove_slot',
  /** Admin: opens the export modal. */
  openExport: 'open_export',
  exportFrom: 'from',
  exportTo: 'to',
} as const;

/** The App Home sections that page on their own. */
export const HOME_SECTIONS = ['upcoming', 'open', 'rating', 'past'] as const;
export type HomeSection = (typeof HOME_SECTIONS)[number];

export const homePagerBlockId = (section: HomeSection) => `home_pager_${section}`;

/** One actions block per series item, so its buttons are told apart in `state` and tests. */
export const seriesBlockId = (seriesId: string) => `series_${seriesId}`;
