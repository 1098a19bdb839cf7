import { Types } from 'mongoose';
import { describe, expect, it } from 'vitest';
import { findByIds, POINT_LOOKUPS } from '../../core/shared/db.js';

/** A collection in memory that records each filter it is asked. */
function collection(docs: Array<{ _id: string }>) {
  const asked: unknown[] = [];
  const query = async (filter: { _id: string | { $in: string[] } }) => {
    asked.push(filter);
    const wanted = typeof filter._id === 'string' ? [filter._id] : filter._id.$in;
    return docs.filter((d) => wanted.includes(d._id));
  };
  return { asked, query };
}

describe('findByIds', () => {
  const docs = Array.from({ length: 100 }, (_, i) => ({ _id: `k${i}` }));

  it('reads a few ids one by one, by the _id alone, each once, skipping the missing', async () => {
    const { asked, query } = collection(docs);
    const found = await findByIds(['k3', 'k1', 'k3', 'nope'], query);
    expect(found.map((d) => d._id).sort()).toEqual(['k1', 'k3']);
    expect(asked).toEqual([{ _id: 'k3' }, { _id: 'k1' }, { _id: 'nope' }]);
  });

  it('sends many ids as one $in', async () => {
    const { asked, query } = collection(docs);
    const ids = docs.slice(0, POINT_LOOKUPS + 1).map((d) => d._id);
    expect(await findByIds(ids, query)).toHaveLength(POINT_LOOKUPS + 1);
    expect(asked).toEqual([{ _id: { $in: ids } }]);
  });

  it('counts ObjectIds by value, and asks nothing for no ids', async () => {
    const seen: unknown[] = [];
    const id = new Types.ObjectId();
    await findByIds([id, new Types.ObjectId(String(id))], async (filter) => (seen.push(filter), []));
    expect(seen).toEqual([{ _id: id }]);
    expect(await findByIds([], async () => [{ _id: 'x' }])).toEqual([]);
  });
});
