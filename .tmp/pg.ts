import { MongoClient } from 'mongodb';
const c = await MongoClient.connect(process.argv[2]!);
const col = c.db('x').collection<any>('claims');
await col.createIndex({ owner: 1 });
await col.insertOne({ _id: 'first' });
await new Promise((r) => setTimeout(r, 400));
let t0 = performance.now();
for (let b = 0; b < 10; b++) {
  await col.insertMany(Array.from({ length: 5000 }, (_, i) => ({ _id: `coach:abc:${b * 5000 + i}`, owner: `o${(b * 5000 + i) % 1000}`, kind: 'coach-cell', createdAt: new Date(), attempt: 'abc' })), { ordered: false });
}
console.log('50k inserts ms', (performance.now() - t0).toFixed(0));
async function t(name: string, fn: (i: number) => Promise<unknown>) {
  const s: number[] = [];
  for (let i = 0; i < 7; i++) { const a = performance.now(); await fn(i); s.push(performance.now() - a); }
  s.sort((a, b) => a - b); console.log(name.padEnd(28), 'median', s[3]!.toFixed(1), 'ms');
}
await t('findOne late _id', (i) => col.findOne({ _id: `coach:abc:${49000 + i}` }));
await t('find by owner (secondary)', (i) => col.find({ owner: `o${i}` }).toArray());
await t('find owner+sort+limit1', (i) => col.find({ owner: `o${i}`, createdAt: { $gte: new Date(0) } }).sort({ createdAt: 1 }).limit(1).toArray());
await t('deleteOne _id', (i) => col.deleteOne({ _id: `coach:abc:${300 + i}` }));
await t('deleteOne _id+owner', (i) => col.deleteOne({ _id: `coach:abc:${400 + i}`, owner: `o${400 + i}` }));
await t('updateOne _id', (i) => col.updateOne({ _id: `coach:abc:${500 + i}` }, { $set: { owner: 'y' } }));
await t('insertOne', (i) => col.insertOne({ _id: `new:${i}`, owner: 'z' }));
await c.close();
