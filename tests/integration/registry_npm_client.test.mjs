// SPDX-License-Identifier: Apache-2.0
// The npm @confluentinc/schemaregistry client (pinned in tests/npm) against a
// real `weir registry`: register, get by id, latest metadata, compatibility,
// deletes, and the Avro serializer/deserializer round trip with
// autoRegisterSchemas. Runs with node's built-in test runner:
//   WEIR_BIN=build/platform/weir node --test tests/integration/registry_npm_client.test.mjs
// Exits 77 (ctest SKIP) when tests/npm/node_modules is missing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort, requireNpm, sleep, unique, weirBin } from './weirtest.mjs';

const sr = requireNpm('@confluentinc/schemaregistry', 'tests/npm/node_modules');
const { SchemaRegistryClient, AvroSerializer, AvroDeserializer, SerdeType, Compatibility, RestError } = sr;

let proc;
let dataDir;
let baseURL;
let logPath;

const client = () => new SchemaRegistryClient({ baseURLs: [baseURL], maxRetries: 0 });

async function startRegistry() {
  dataDir = mkdtempSync(join(tmpdir(), 'weir-npm-'));
  logPath = join(dataDir, 'weir-registry.log');
  const port = await freePort();
  baseURL = `http://127.0.0.1:${port}`;
  const log = openSync(logPath, 'a');
  proc = spawn(weirBin, ['registry', '--listen', `127.0.0.1:${port}`, '--data-dir', dataDir], {
    stdio: ['ignore', log, log],
  });
  let exited = null;
  proc.on('exit', (code) => { exited = code; });
  const deadline = Date.now() + 30000;
  while (Date.now() < deadline) {
    if (exited !== null) throw new Error(`weir exited with ${exited}:\n${readFileSync(logPath, 'utf8')}`);
    try {
      const r = await fetch(`${baseURL}/`);
      if (r.status === 200) return;
    } catch { /* not up yet */ }
    await sleep(50);
  }
  throw new Error(`weir did not answer within 30s:\n${readFileSync(logPath, 'utf8')}`);
}

before(startRegistry);

after(async () => {
  if (proc && proc.exitCode === null) {
    const exited = new Promise((r) => proc.on('exit', (code, signal) => r({ code, signal })));
    proc.kill('SIGTERM');
    const { code } = await exited;
    assert.equal(code, 0, `weir exited with ${code} after SIGTERM`);
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const userV1 = JSON.stringify({
  type: 'record', name: 'User', namespace: 'com.example',
  fields: [{ name: 'name', type: 'string' }, { name: 'favorite_number', type: 'int' }],
});
const userV2 = JSON.stringify({
  type: 'record', name: 'User', namespace: 'com.example',
  fields: [
    { name: 'name', type: 'string' },
    { name: 'favorite_number', type: 'int' },
    { name: 'favorite_color', type: ['null', 'string'], default: null },
  ],
});
const userBad = JSON.stringify({
  type: 'record', name: 'User', namespace: 'com.example',
  fields: [{ name: 'name', type: 'string' }, { name: 'email', type: 'string' }],
});

async function expectRestError(promise, status, codes) {
  await assert.rejects(promise, (e) => {
    assert.ok(e instanceof RestError, `expected RestError, got ${e}`);
    assert.equal(e.status, status, `status ${e.status}: ${e.message}`);
    assert.ok(codes.includes(e.errorCode), `error code ${e.errorCode}: ${e.message}`);
    return true;
  });
}

test('register, get by id and latest metadata', async () => {
  const s = unique('npm-value');
  const id = await client().register(s, { schemaType: 'AVRO', schema: userV1 });
  assert.ok(Number.isInteger(id) && id > 0);
  const info = await client().getBySubjectAndId(s, id);
  assert.deepEqual(JSON.parse(info.schema), JSON.parse(userV1));
  const latest = await client().getLatestSchemaMetadata(s);
  assert.equal(latest.id, id);
  assert.equal(latest.version, 1);
  assert.equal(latest.subject, s);
  assert.equal(await client().getId(s, { schemaType: 'AVRO', schema: userV1 }), id);
  const full = await client().registerFullResponse(unique('npm-other'), { schemaType: 'AVRO', schema: userV1 });
  assert.equal(full.id, id, 'same schema, same id in another subject');
  assert.ok((await client().getAllSubjects()).includes(s));
});

test('versions, explicit version metadata and compatibility', async () => {
  const s = unique('npm');
  const c = client();
  const id1 = await c.register(s, { schema: userV1 });
  assert.equal(await c.getDefaultCompatibility(), Compatibility.BACKWARD);
  assert.equal(await c.testSubjectCompatibility(s, { schema: userV2 }), true);
  assert.equal(await c.testSubjectCompatibility(s, { schema: userBad }), false);
  assert.equal(await c.testCompatibility(s, 1, { schema: userV2 }), true);
  const id2 = await c.register(s, { schema: userV2 });
  assert.notEqual(id2, id1);
  assert.deepEqual(await client().getAllVersions(s), [1, 2]);
  const v1 = await client().getSchemaMetadata(s, 1);
  assert.equal(v1.id, id1);
  assert.equal(await client().getVersion(s, { schema: userV2 }), 2);
  await expectRestError(client().register(s, { schema: userBad }), 409, [409, 40901]);
  assert.equal(await c.updateCompatibility(s, Compatibility.FULL_TRANSITIVE), Compatibility.FULL_TRANSITIVE);
  assert.equal(await client().getCompatibility(s), Compatibility.FULL_TRANSITIVE);
  const cfg = await client().getConfig(s);
  assert.equal(cfg.compatibilityLevel, 'FULL_TRANSITIVE');
});

test('deletes and error codes', async () => {
  const s = unique('npm');
  const c = client();
  await c.register(s, { schema: userV1 });
  await c.register(s, { schema: userV2 });
  assert.equal(await c.deleteSubjectVersion(s, 2, false), 2);
  assert.deepEqual(await client().getAllVersions(s), [1]);
  await expectRestError(client().getSchemaMetadata(s, 2, false), 404, [40402]);
  assert.equal((await client().getSchemaMetadata(s, 2, true)).version, 2);
  await expectRestError(client().deleteSubject(s, true), 404, [40405]);
  assert.deepEqual(await c.deleteSubject(s, false), [1]);
  assert.ok(!(await client().getAllSubjects()).includes(s));
  assert.deepEqual((await c.deleteSubject(s, true)).sort(), [1, 2]);
  await expectRestError(client().getLatestSchemaMetadata(s), 404, [40401]);
  await expectRestError(client().getBySubjectAndId('', 987654321), 404, [40403]);
});

test('Avro serializer auto-registers the inferred schema and the deserializer reads it back', async () => {
  const topic = unique('npm-topic');
  const subject = `${topic}-value`;
  const ser = new AvroSerializer(client(), SerdeType.VALUE, { autoRegisterSchemas: true });
  const value = { name: 'Ada', favorite_number: 42, tags: ['x', 'y'] };
  const bytes = await ser.serialize(topic, value);
  assert.equal(bytes[0], 0, 'magic byte');
  const id = bytes.readInt32BE(1);
  const latest = await client().getLatestSchemaMetadata(subject);
  assert.equal(latest.id, id, 'the serializer registered its schema under <topic>-value');
  assert.equal(latest.version, 1);
  // messageToSchema numbers its record names per call, so compare the fields only
  assert.equal(JSON.parse(latest.schema).type, 'record');
  assert.deepEqual(JSON.parse(latest.schema).fields, JSON.parse(JSON.stringify(AvroSerializer.messageToSchema(value))).fields);
  const back = await new AvroDeserializer(client(), SerdeType.VALUE, {}).deserialize(topic, bytes);
  assert.deepEqual({ ...back, tags: [...back.tags] }, value);
  // the same value again reuses the id without a new version
  const again = await new AvroSerializer(client(), SerdeType.VALUE, { autoRegisterSchemas: true }).serialize(topic, value);
  assert.equal(again.readInt32BE(1), id);
  assert.deepEqual(await client().getAllVersions(subject), [1]);
});

test('Avro serializer with useLatestVersion writes with the registered schema and evolves', async () => {
  const topic = unique('npm-topic');
  const subject = `${topic}-value`;
  const id1 = await client().register(subject, { schemaType: 'AVRO', schema: userV1 });
  const ser = new AvroSerializer(client(), SerdeType.VALUE, { autoRegisterSchemas: false, useLatestVersion: true });
  const v1 = { name: 'Ada', favorite_number: 42 };
  const b1 = await ser.serialize(topic, v1);
  assert.equal(b1.readInt32BE(1), id1);
  const des = new AvroDeserializer(client(), SerdeType.VALUE, {});
  assert.deepEqual({ ...(await des.deserialize(topic, b1)) }, v1);
  // evolve: v2 adds an optional field (BACKWARD compatible)
  const id2 = await client().register(subject, { schemaType: 'AVRO', schema: userV2 });
  assert.notEqual(id2, id1);
  const ser2 = new AvroSerializer(client(), SerdeType.VALUE, { autoRegisterSchemas: false, useLatestVersion: true });
  const v2 = { name: 'Grace', favorite_number: 7, favorite_color: 'blue' };
  const b2 = await ser2.serialize(topic, v2);
  assert.equal(b2.readInt32BE(1), id2);
  const back2 = await new AvroDeserializer(client(), SerdeType.VALUE, {}).deserialize(topic, b2);
  assert.equal(back2.name, 'Grace');
  assert.equal(back2.favorite_color, 'blue');
  // old bytes still decode after the evolution
  assert.equal((await new AvroDeserializer(client(), SerdeType.VALUE, {}).deserialize(topic, b1)).name, 'Ada');
  assert.deepEqual(await client().getAllVersions(subject), [1, 2]);
});
