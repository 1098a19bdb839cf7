import { MongoClient } from 'mongodb';
const c = await MongoClient.connect(process.argv[2]!);
await c.db('x').collection<any>('claims').insertOne({ _id: 'a', owner: 'x' });
await new Promise((r) => setTimeout(r, 1000));
console.log(JSON.stringify((await c.db('x').command({ explain: { find: 'claims', filter: { _id: 'a' } } })).queryPlanner));
await c.close();
