export * from './core.types.js';
export { createCore, type CoreDeps } from './create-core.js';
export { DomainError, isDomainError, ERROR_CODES, type ErrorCode } from './shared/errors.js';
export { ManualClock, systemClock, type Clock } from './shared/clock.js';
export { DomainEventBus, type DomainEvents } from './shared/events.js';
export { DEFAULT_RULES, type RulesConfig } from './shared/rules-config.js';
export { inScope, scopeFilter, type WorkspaceScope } from './shared/scope.js';
