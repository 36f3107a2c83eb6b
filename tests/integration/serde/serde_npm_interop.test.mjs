// SPDX-License-Identifier: Apache-2.0
// Interop of `weir produce` / `weir consume` (weir's serde) with the npm
// clients pinned in tests/npm, against a real `weir start`:
//  - records written by `weir produce` are read with kafkajs and decoded by
//    @confluentinc/schemaregistry's AvroDeserializer to the same values;
//  - records serialized by its AvroSerializer (with a registered schema, and
//    with autoRegisterSchemas and an inferred schema) and sent with kafkajs
//    are printed by `weir consume` as the same Avro JSON;
// over a union with a named record (full-name branch keys), bytes, fixed,
// longs (avsc numbers from -2^52 to 2^53 - 2, and the full int64 range with a
// BigInt long type), float, double, enum, array of records and a map of
// unions, plus a top-level "bytes" schema, which both sides must write raw
// (no Avro length prefix). Runs with node's test runner:
//   WEIR_BIN=build/platform/weir node --test tests/integration/serde/serde_npm_interop.test.mjs
// Exits 77 (ctest SKIP) when tests/npm/node_modules is missing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

import { Platform, kafkajsRead, requireNpm, unique, weirBin } from '../weirtest.mjs';

const { SchemaRegistryClient, AvroSerializer, AvroDeserializer, SerdeType } = requireNpm('@confluentinc/schemaregistry');
const { Kafka, logLevel } = requireNpm('kafkajs');
// avsc (the npm serde's Avro library, locked in tests/npm) for a BigInt long.
const avro = requireNpm('avsc');

// group.initial.rebalance.delay.ms=0 when this weir build knows the property.
function platformOptions() {
  const out = spawnSync(weirBin, ['config'], { encoding: 'utf8', timeout: 20000 }).stdout || '';
  return out.includes('group.initial.rebalance.delay.ms') ? ['-o', 'group.initial.rebalance.delay.ms=0'] : [];
}

const platform = new Platform('weir-serde-npm-', platformOptions());
let kafka;

const client = () => new SchemaRegistryClient({ baseURLs: [platform.registryUrl], maxRetries: 0 });
// avsc options ride along in the serde config: wrapped unions are Avro JSON's
// {"branch": value} form, so both sides compare without schema knowledge.
const avsc = { wrapUnions: true };

before(async () => {
  await platform.start();
  kafka = new Kafka({ clientId: 'weir-serde-it', brokers: [platform.bootstrap], logLevel: logLevel.NOTHING,
    retry: { retries: 5 } });
});

after(() => platform.stop());

const paymentSchema = {
  type: 'record', name: 'Payment', namespace: 'com.example.npm',
  fields: [
    { name: 'id', type: 'long' },
    { name: 'method', type: ['null', { type: 'record', name: 'Card', fields: [
      { name: 'number', type: 'string' }, { name: 'expiry', type: 'int' }] }, 'string'], default: null },
    { name: 'raw', type: 'bytes' },
    { name: 'checksum', type: { type: 'fixed', name: 'Checksum', size: 4 } },
    { name: 'rate', type: 'float' },
    { name: 'total', type: 'double' },
    { name: 'currency', type: { type: 'enum', name: 'Currency', symbols: ['EUR', 'USD', 'JPY'] } },
    { name: 'lines', type: { type: 'array', items: { type: 'record', name: 'Line', fields: [
      { name: 'sku', type: 'string' }, { name: 'qty', type: 'int' }] } } },
    { name: 'meta', type: { type: 'map', values: ['null', 'string'] } },
    { name: 'note', type: ['null', 'string'], default: null },
  ],
};

// avsc's default long refuses anything beyond +-(2^53 - 2) ("potential
// precision loss") and, doing zigzag in doubles, silently flips negatives
// below -2^52 (-(2^53 - 2) reads back as +(2^53 - 2) in avsc 5.7.9, both
// ways). Longs beyond these are the BigInt test's.
const MAX_AVSC_LONG = 9007199254740990;
const MIN_AVSC_LONG = -(2 ** 52);

// Value i of paymentSchema as avsc holds it (Buffers, wrapped unions).
function payment(i) {
  return {
    id: [MAX_AVSC_LONG, MIN_AVSC_LONG, 0][i] ?? (i % 2 ? -1 : 1) * (i * 1e12 + 7),
    method: [null, { 'com.example.npm.Card': { number: `4111-${i}`, expiry: 2712 } }, { string: `cash ${i} €` }][i % 3],
    raw: Buffer.from([0, 255, i & 255, 0x80, 10]),
    checksum: Buffer.from([i & 255, 1, 2, 0xfe]),
    rate: [3.5, -0.125, 1e10, 0][i % 4],
    total: i / 7,
    currency: ['EUR', 'USD', 'JPY'][i % 3],
    lines: Array.from({ length: i % 3 }, (_, j) => ({ sku: `s${j}`, qty: j })),
    meta: i % 2 ? { a: { string: 'x' }, b: null } : {},
    note: i % 2 ? null : { string: 'naïve ☕ 𝄞' },
  };
}
const N = 20;

// Avro's JSON encoding of an avsc value: bytes and fixed become ISO-8859-1
// strings, records plain objects (avsc's record classes compare unequal).
function toAvroJson(v) {
  if (Buffer.isBuffer(v)) return v.toString('latin1');
  if (Array.isArray(v)) return v.map(toAvroJson);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toAvroJson(x)]));
  return v;
}

function weir(args, input) {
  const r = spawnSync(weirBin, args, { input, encoding: 'utf8', timeout: 120000 });
  assert.equal(r.status, 0, `weir ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
  return r;
}

function weirProduce(topic, lines, ...props) {
  const args = ['produce', '--bootstrap-server', platform.bootstrap, '--topic', topic,
    '--property', `schema.registry.url=${platform.registryUrl}`];
  for (const p of props) args.push('--property', p);
  const r = weir(args, lines.map((l) => `${l}\n`).join(''));
  assert.match(r.stderr, new RegExp(`produced ${lines.length} records to ${topic}, 0 failed`));
}

// `weir consume` from the beginning: its n output lines.
function weirConsumeLines(topic, n) {
  const r = weir(['consume', '--bootstrap-server', platform.bootstrap, '--topic', topic, '--from-beginning',
    '--max-messages', String(n), '--timeout-ms', '20000', '--property', `schema.registry.url=${platform.registryUrl}`]);
  const lines = r.stdout.split('\n');
  assert.equal(lines.pop(), '', 'output ends in a newline');
  assert.equal(lines.length, n, `expected ${n} lines:\n${r.stdout}\n${r.stderr}`);
  return lines;
}

const weirConsume = (topic, n) => weirConsumeLines(topic, n).map((l) => JSON.parse(l));


async function kafkajsSend(topic, values) {
  const producer = kafka.producer();
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: values.map((value) => ({ value })) });
  } finally {
    await producer.disconnect();
  }
}

test('records written by weir produce decode with the npm AvroDeserializer to the same values', async () => {
  const topic = unique('weir-to-npm');
  const values = Array.from({ length: N }, (_, i) => payment(i));
  weirProduce(topic, values.map((v) => JSON.stringify(toAvroJson(v))), `value.schema=${JSON.stringify(paymentSchema)}`);
  const id = (await client().getLatestSchemaMetadata(`${topic}-value`)).id;
  const des = new AvroDeserializer(client(), SerdeType.VALUE, avsc);
  const messages = await kafkajsRead(kafka, topic, N);
  for (const [i, m] of messages.entries()) {
    assert.equal(m.value[0], 0, 'magic byte');
    assert.equal(m.value.readInt32BE(1), id, 'the id registered for <topic>-value');
    assert.deepEqual(toAvroJson(await des.deserialize(topic, m.value)), toAvroJson(values[i]), `record ${i}`);
  }
});

test('records from the npm AvroSerializer with a registered schema print as the same Avro JSON in weir consume', async () => {
  const topic = unique('npm-to-weir');
  const id = await client().register(`${topic}-value`, { schemaType: 'AVRO', schema: JSON.stringify(paymentSchema) });
  const ser = new AvroSerializer(client(), SerdeType.VALUE, { autoRegisterSchemas: false, useLatestVersion: true, ...avsc });
  const values = Array.from({ length: N }, (_, i) => payment(i));
  const frames = [];
  for (const v of values) frames.push(await ser.serialize(topic, v));
  assert.equal(frames[0].readInt32BE(1), id);
  await kafkajsSend(topic, frames);
  const got = weirConsume(topic, N);
  for (const [i, v] of values.entries()) assert.deepEqual(got[i], toAvroJson(v), `record ${i}`);
});

test('records from the npm AvroSerializer with autoRegisterSchemas (inferred schema) print in weir consume', async () => {
  const topic = unique('npm-auto');
  const ser = new AvroSerializer(client(), SerdeType.VALUE, { autoRegisterSchemas: true });
  const values = Array.from({ length: 5 }, (_, i) => ({
    name: `Ada ${i} ☕`, count: 1000 * i - 1, ratio: i + 0.5, ok: i % 2 === 0,
    tags: ['x', `y${i}`], owner: { id: i, email: `o${i}@example.com` }, data: Buffer.from([0, 200, i]),
  }));
  const frames = [];
  for (const v of values) frames.push(await ser.serialize(topic, v));
  const latest = await client().getLatestSchemaMetadata(`${topic}-value`);
  assert.equal(frames[0].readInt32BE(1), latest.id, 'auto-registered under <topic>-value');
  await kafkajsSend(topic, frames);
  assert.deepEqual(weirConsume(topic, values.length), values.map(toAvroJson));
});

test('a top-level "bytes" schema is written raw by weir produce and read raw by the npm deserializer', async () => {
  const topic = unique('weir-bytes');
  const payloads = [Buffer.from([0xde, 0xad, 0xbe, 0xef]), Buffer.from([0, 10, 13, 0x7f, 0x80, 0xff])];
  weirProduce(topic, payloads.map((b) => JSON.stringify(b.toString('latin1'))), 'value.schema="bytes"');
  const des = new AvroDeserializer(client(), SerdeType.VALUE, {});
  const messages = await kafkajsRead(kafka, topic, payloads.length);
  for (const [i, m] of messages.entries()) {
    assert.deepEqual(m.value.subarray(5), payloads[i], `record ${i}: payload is the bytes, no length prefix`);
    assert.deepEqual(Buffer.from(await des.deserialize(topic, m.value)), payloads[i]);
  }
});

test('a top-level "bytes" record from the npm AvroSerializer is decoded raw by weir consume', async () => {
  const topic = unique('npm-bytes');
  await client().register(`${topic}-value`, { schemaType: 'AVRO', schema: '"bytes"' });
  const ser = new AvroSerializer(client(), SerdeType.VALUE, { autoRegisterSchemas: false, useLatestVersion: true });
  const payloads = [Buffer.from([1, 2, 3, 0xff]), Buffer.from('plain ascii'), Buffer.from([0]), Buffer.from([])];
  const frames = [];
  for (const p of payloads) frames.push(await ser.serialize(topic, p));
  assert.equal(frames[0].length, 5 + payloads[0].length, 'the npm serializer writes raw bytes too');
  await kafkajsSend(topic, frames);
  const got = weirConsume(topic, payloads.length);
  assert.deepEqual(got.map((s) => Buffer.from(s, 'latin1')), payloads);
});

test('an empty top-level "bytes" value from weir produce is an empty payload for the npm deserializer', async () => {
  const topic = unique('weir-bytes-empty');
  weirProduce(topic, ['""'], 'value.schema="bytes"');
  const [m] = await kafkajsRead(kafka, topic, 1);
  assert.equal(m.value.length, 5, 'magic byte and id, nothing else');
  assert.deepEqual(Buffer.from(await new AvroDeserializer(client(), SerdeType.VALUE, {}).deserialize(topic, m.value)),
    Buffer.from([]));
});

// A long type holding BigInts (avsc's documented LongType.__with hook), in a
// fresh registry per serde instance (forSchema adds named types to it).
const bigLong = avro.types.LongType.__with({
  fromBuffer: (buf) => buf.readBigInt64LE(),
  toBuffer: (n) => {
    const buf = Buffer.alloc(8);
    buf.writeBigInt64LE(BigInt(n));
    return buf;
  },
  fromJSON: (x) => BigInt(x),
  toJSON: (n) => Number(n),
  isValid: (n) => typeof n === 'bigint',
  compare: (a, b) => (a === b ? 0 : a < b ? -1 : 1),
});
const bigOpts = () => ({ ...avsc, registry: { long: bigLong } });
const longsSchema = { type: 'record', name: 'Longs', namespace: 'com.example.npm',
  fields: [{ name: 'n', type: 'long' }, { name: 'maybe', type: ['null', 'long'] }] };
const bigs = [2n ** 63n - 1n, -(2n ** 63n), 2n ** 53n + 1n, -(2n ** 53n) - 1n, 0n];
// JSON.parse would round these: read the digits from weir's text.
const longsOf = (line) => [...line.matchAll(/"(?:n|long)":\s*(-?\d+)/g)].map((x) => BigInt(x[1]));

test('longs over the whole int64 range go both ways (BigInt long type on the npm side)', async () => {
  const topic = unique('weir-longs');
  weirProduce(topic, bigs.map((b) => `{"n": ${b}, "maybe": {"long": ${-b - 1n}}}`),
    `value.schema=${JSON.stringify(longsSchema)}`);
  const des = new AvroDeserializer(client(), SerdeType.VALUE, bigOpts());
  for (const [i, m] of (await kafkajsRead(kafka, topic, bigs.length)).entries()) {
    const v = await des.deserialize(topic, m.value);
    assert.deepEqual([v.n, v.maybe.long], [bigs[i], -bigs[i] - 1n], `record ${i}`);
  }
  const back = unique('npm-longs');
  await client().register(`${back}-value`, { schemaType: 'AVRO', schema: JSON.stringify(longsSchema) });
  const ser = new AvroSerializer(client(), SerdeType.VALUE, { autoRegisterSchemas: false, useLatestVersion: true, ...bigOpts() });
  const frames = [];
  for (const b of bigs) frames.push(await ser.serialize(back, { n: b, maybe: { long: -b - 1n } }));
  await kafkajsSend(back, frames);
  assert.deepEqual(weirConsumeLines(back, bigs.length).map(longsOf), bigs.map((b) => [b, -b - 1n]));
});
