export * from './core.types.js';
export { createCore, type CoreDeps } from './create-core.js';
export { DomainError, isDomainError, ERROR_CODES, type ErrorCode } from './shared/errors.js';
export { ManualClock, systemClock, type Clock } from './shared/clock.js';
export { DomainEventBus, type DomainEvents } from './shared/events.js';
export { DEFAULT_RULES, type RulesConfig } from './shared/rules-config.js';
export { PermanentJobError, RetryLaterError, JOB_KINDS, type Job, type JobKind, type JobHandler, type JobOutcome, type RunSummary, type JobLog } from './jobs/job.schema.js';
export type { JobWorker, WorkerOptions } from './jobs/job.worker.js';
export type { WebhookEvent, WebhookEventType } from './jobs/job.planner.js';
