/**
 * Which workspace's data a request may touch. A workspace is a Slack team:
 * every coach belongs to one (`coach.teamId`), and every slot and session
 * carries its coach's team. A Slack request acts within its own team; a
 * widget request within the workspace its token names, or (no claim) across
 * the whole deployment.
 *
 * Queries bound to one coach by id need no scope: the Slack app only ever
 * resolves a coach within the request's team, so the id already is. Queries
 * that reach across coaches, and every query a student makes, take one.
 */
export interface WorkspaceScope {
  teamId: string;
}

/** The filter a scoped query adds: nothing without a scope (the deployment's data). */
export function scopeFilter(scope: WorkspaceScope | undefined): { teamId?: string } {
  return scope ? { teamId: String(scope.teamId) } : {};
}

/** True when a record of this team is visible under the scope. */
export function inScope(scope: WorkspaceScope | undefined, teamId: string | null | undefined): boolean {
  return !scope || scope.teamId === teamId;
}
