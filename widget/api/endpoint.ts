import type { Request, Response } from 'express';
import type * as z from 'zod/mini';
import type { WorkspaceScope } from '../../core/shared/scope.js';
import type { Student } from '../../core/students/student.schema.js';

type Out<S> = S extends z.ZodMiniType ? z.output<S> : undefined;

export interface EndpointContext<Q, B> {
  req: Request;
  res: Response;
  query: Q;
  body: B;
  /** Set on authenticated endpoints only. */
  student: Student | null;
  /** The token's workspace (see core/shared/scope.ts); undefined means the whole deployment. */
  scope: WorkspaceScope | undefined;
}

export interface EndpointResponse {
  status: number;
  description: string;
  /** JSON body schema; omit for non-JSON responses and describe `contentType` instead. */
  schema?: z.ZodMiniType;
  contentType?: string;
}

/**
 * One API operation, described once: the router validates with these schemas
 * and the OpenAPI document is generated from the same description, so the two
 * cannot drift apart.
 */
export interface Endpoint<Q extends z.ZodMiniType | undefined = z.ZodMiniType | undefined, B extends z.ZodMiniType | undefined = z.ZodMiniType | undefined> {
  method: 'get' | 'post' | 'delete';
  /** OpenAPI-style path below /api/v1, e.g. `/coaches/{coachId}/slots`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: 'Coaches' | 'Bookings' | 'Documentation' | 'Demo' | 'Admin';
  /** true: a student token; `admin`: a token with the admin claim (see widget/api/auth.ts). */
  auth: boolean | 'admin';
  /** Path parameters, for documentation; ids are checked by core, which answers 404 for a malformed one. */
  params?: Record<string, z.ZodMiniType>;
  query?: Q;
  body?: B;
  bodyRequired?: boolean;
  /** Documented request headers, validated by the handler. */
  headers?: Record<string, { schema: z.ZodMiniType; description: string }>;
  responses: EndpointResponse[];
  /** Error statuses this operation can answer with a problem document (beyond 429 and 500, common to all). */
  problems: number[];
  handle(ctx: EndpointContext<Out<Q>, Out<B>>): Promise<void>;
}

/** Keeps the handler's `query` and `body` typed from the schemas given next to it. */
export function defineEndpoint<Q extends z.ZodMiniType | undefined = undefined, B extends z.ZodMiniType | undefined = undefined>(
  endpoint: Endpoint<Q, B>,
): Endpoint {
  return endpoint as unknown as Endpoint;
}

/** `/coaches/{coachId}/slots` → `/coaches/:coachId/slots` */
export function expressPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}
