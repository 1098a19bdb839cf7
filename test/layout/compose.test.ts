/**
 * docker-compose.yml cannot be run here (no Docker engine), so its structure
 * is checked instead: a single-node replica set that initiates itself and is
 * healthy only with a primary, two app replicas that wait for it and name the
 * set in their connection string, and only settings the README documents.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const compose = parse(await readFile(new URL('../../docker-compose.yml', import.meta.url), 'utf8'));
const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');

describe('docker-compose.yml', () => {
  it('runs MongoDB 7 as a single-node replica set that initiates itself', () => {
    const mongo = compose.services.mongo;
    expect(mongo.image).toBe('mongo:7');
    expect(mongo.command).toEqual(expect.arrayContaining(['--replSet', 'rs0']));
    const check = mongo.healthcheck.test.join(' ');
    expect(check).toMatch(/rs\.initiate\(\{ _id: 'rs0', members: \[\{ _id: 0, host: 'mongo:27017' \}\] \}\)/);
    // Healthy means a primary, not merely a process that answers.
    expect(check).toMatch(/myState === 1/);
    expect(mongo.volumes).toEqual(['mongo-data:/data/db']);
  });

  it('runs two app replicas that wait for a healthy set and connect to it as a replica set', () => {
    const app = compose.services.app;
    expect(app.deploy.replicas).toBe(2);
    expect(app.depends_on.mongo.condition).toBe('service_healthy');
    expect(app.ports).toEqual(['3000-3001:3000']);
    const uri = app.environment.find((e: string) => e.startsWith('MONGODB_URI='));
    expect(uri).toBe('MONGODB_URI=mongodb://mongo:27017/coaching-scheduler?replicaSet=rs0');
  });

  it('passes only settings the README documents', () => {
    const names = compose.services.app.environment.map((e: string) => e.split('=')[0]);
    for (const name of names) expect(readme, name).toContain(`\`${name}\``);
  });
});
