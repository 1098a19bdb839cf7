import type { CommandStartedEvent } from 'mongodb';

export interface DescribedCommand {
  collection: string;
  /** The filter's shape: field names and operators, never values. */
  filter: string;
  keyed: boolean;
}

/** Connection upkeep, not anyone's work. */
export const UPKEEP = new Set(['ping', 'hello', 'isMaster', 'ismaster', 'endSessions', 'buildInfo', 'saslStart', 'saslContinue']);

const isId = (v: unknown) => typeof v === 'string' || (typeof v === 'object' && v !== null && (v as { _bsontype?: string })._bsontype === 'ObjectId');
/** A filter's shape: its field names and operators, never its values. */
function shape(filter: unknown): string {
  if (!filter || typeof filter !== 'object') return '{}';
  const parts = Object.entries(filter as Record<string, unknown>).map(([k, v]) => {
    if (Array.isArray(v)) return `${k}: [${v.map(shape).join(', ')}]`;
    if (v && typeof v === 'object' && !isId(v) && !(v instanceof Date) && Object.keys(v).some((o) => o.startsWith('$'))) return `${k}: { ${Object.keys(v).join(', ')} }`;
    return k;
  });
  return `{ ${parts.join(', ')} }`;
}
const keyedFilter = (filter: unknown) => !!filter && typeof filter === 'object' && Object.keys(filter).length === 1 && isId((filter as { _id?: unknown })._id);

/**
 * What a command asks of which collection, and whether it is keyed: its
 * filter is the `_id` alone (an index seek on every server, the FerretDB
 * stand-in included), or it is an insert. Anything else, `$in` on `_id`
 * included, is a scan of the collection on the stand-in.
 */
export function describeCommand(e: CommandStartedEvent): DescribedCommand {
  const c = e.command as Record<string, any>;
  const target = String(c[e.commandName] ?? '');
  switch (e.commandName) {
    case 'find': return { collection: target, filter: shape(c.filter) + (c.sort ? ` sort ${Object.keys(c.sort).join(',')}` : '') + (c.limit ? ` limit ${c.limit}` : ''), keyed: keyedFilter(c.filter) };
    case 'insert': return { collection: target, filter: `${c.documents?.length ?? 0} document(s)`, keyed: true };
    case 'update': return { collection: target, filter: shape(c.updates?.[0]?.q) + (c.updates?.[0]?.multi ? ' (many)' : ''), keyed: c.updates?.every((u: { q: unknown }) => keyedFilter(u.q)) ?? false };
    case 'delete': return { collection: target, filter: shape(c.deletes?.[0]?.q), keyed: c.deletes?.every((d: { q: unknown }) => keyedFilter(d.q)) ?? false };
    case 'count': return { collection: target, filter: shape(c.query), keyed: false };
    case 'aggregate': return { collection: target, filter: `pipeline ${(c.pipeline as object[]).map((s) => Object.keys(s)[0]).join(' ')} ${shape(c.pipeline?.[0]?.$match)}`, keyed: false };
    case 'findAndModify': return { collection: target, filter: shape(c.query), keyed: keyedFilter(c.query) };
    default: return { collection: target, filter: '', keyed: e.commandName === 'getMore' || e.commandName === 'killCursors' };
  }
}

