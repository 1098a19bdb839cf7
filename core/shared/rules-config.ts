/** The tunable business rules. Defaults match the product's published rules. */
export interface RulesConfig {
  /** How far ahead a slot may start. */
  slotHorizonDays: number;
  /** How long before its start a slot can still be booked. */
  minNoticeHours: number;
  /** How long before its start a session can still be cancelled. */
  cancellationCutoffHours: number;
}

export const DEFAULT_RULES: RulesConfig = {
  slotHorizonDays: 180,
  minNoticeHours: 12,
  cancellationCutoffHours: 2,
};
