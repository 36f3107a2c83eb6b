// SPDX-License-Identifier: Apache-2.0
// Protobuf interop of weir's REST proxy and registry (serde inside) with the
// npm @confluentinc/schemaregistry ProtobufSerializer/ProtobufDeserializer
// (on @bufbuild/protobuf descriptors) and kafkajs, against a real
// `weir start`:
//  - records the npm serializer writes (it registers base64
//    FileDescriptorProtos) read back through a REST v2 consumer with format
//    protobuf as the JSON bufbuild prints for the same messages;
//  - records produced through REST v2 (protobuf embedded format) decode with
//    the npm deserializer, which loads the writer schema with
//    format=serialized, to the messages that JSON describes.
// Top-level messages only: for a nested message declared after a map<>
// field the npm client counts message indexes without the map-entry type,
// where protoc, Python, Go and weir count it (docs/compatibility.md).
// Run with: WEIR_BIN=build/platform/weir node --test tests/integration/rest_proxy/rp_protobuf_npm.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Platform, kafkajsRead, requireNpm, unique } from '../weirtest.mjs';

const { SchemaRegistryClient, ProtobufSerializer, ProtobufDeserializer, SerdeType } =
  requireNpm('@confluentinc/schemaregistry');
const { Kafka, logLevel } = requireNpm('kafkajs');
const pb = requireNpm('@bufbuild/protobuf');
const wkt = requireNpm('@bufbuild/protobuf/wkt');

const SHOP = readFileSync(new URL('./shop.proto', import.meta.url), 'utf8');

const platform = new Platform('weir-pb-npm-');
let kafka;
let registry;
let OrderSchema;
const tmp = mkdtempSync(join(tmpdir(), 'weir-pb-npm-'));

before(async () => {
  writeFileSync(join(tmp, 'shop.proto'), SHOP);
  const r = spawnSync('protoc', [`-I${tmp}`, '-I/usr/include', '--include_imports',
    `--descriptor_set_out=${join(tmp, 'shop.pb')}`, 'shop.proto'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  registry = pb.createFileRegistry(pb.fromBinary(wkt.FileDescriptorSetSchema, readFileSync(join(tmp, 'shop.pb'))));
  OrderSchema = registry.getMessage('shop.v1.Order');
  await platform.start();
  kafka = new Kafka({ clientId: 'weir-pb-npm', brokers: [platform.bootstrap], logLevel: logLevel.NOTHING,
    retry: { retries: 5 } });
});

after(() => {
  platform.stop();
  rmSync(tmp, { recursive: true, force: true });
});

const client = () => new SchemaRegistryClient({ baseURLs: [platform.registryUrl], maxRetries: 0 });

function order(i) {
  return pb.create(OrderSchema, {
    id: `o${i}`, qty: 2n ** 40n + BigInt(i), total: 12.5 + i, status: 1, note: new Uint8Array([0, 255, i]),
    placedAt: { seconds: 1767225600n + BigInt(i), nanos: 500000000 },
    lines: [{ sku: 'a', delta: -3 }, { sku: 'b', delta: i }], tags: { k: i },
  });
}

// The JSON Confluent's proxy prints: implicit-presence fields included.
const asJson = (m) => pb.toJson(OrderSchema, m, { alwaysEmitImplicit: true });

async function rest(method, path, body, contentType, accept) {
  const headers = {};
  if (contentType) headers['Content-Type'] = contentType;
  if (accept) headers.Accept = accept;
  const res = await fetch(platform.restUrl + path, { method, headers, body: body && JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function createTopic(topic) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

async function restRead(topic, n) {
  const V2 = 'application/vnd.kafka.v2+json';
  const group = unique('pbg');
  let r = await rest('POST', `/consumers/${group}`, { name: 'c', format: 'protobuf', 'auto.offset.reset': 'earliest' }, V2);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const base = `/consumers/${group}/instances/c`;
  r = await rest('POST', `${base}/subscription`, { topics: [topic] }, V2);
  assert.equal(r.status, 204);
  const got = [];
  for (let tries = 0; got.length < n && tries < 30; tries++) {
    r = await rest('GET', `${base}/records?timeout=1000`, undefined, undefined, 'application/vnd.kafka.protobuf.v2+json');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    got.push(...r.body);
  }
  await rest('DELETE', base, undefined, V2);
  assert.equal(got.length, n);
  return got;
}


test('records of the npm ProtobufSerializer read through the REST proxy as the same JSON', async () => {
  const topic = unique('npm-to-weir');
  await createTopic(topic);
  const ser = new ProtobufSerializer(client(), SerdeType.VALUE, { autoRegisterSchemas: true, registry });
  const msgs = [0, 1, 2].map(order);
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, acks: -1, messages: await Promise.all(msgs.map(async (m) => ({ value: await ser.serialize(topic, m) }))) });
  await producer.disconnect();
  const got = await restRead(topic, msgs.length);
  for (const [i, rec] of got.entries()) assert.deepEqual(rec.value, asJson(msgs[i]), `record ${i}`);
});

test('records produced through REST v2 decode with the npm ProtobufDeserializer', async () => {
  const topic = unique('weir-to-npm');
  await createTopic(topic);
  const msgs = [3, 4, 5].map(order);
  const r = await rest('POST', `/topics/${topic}`, { value_schema: SHOP, records: msgs.map((m) => ({ value: asJson(m) })) },
    'application/vnd.kafka.protobuf.v2+json');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const des = new ProtobufDeserializer(client(), SerdeType.VALUE, {});
  const got = await kafkajsRead(kafka, topic, msgs.length);
  for (const [i, m] of got.entries()) {
    assert.equal(m.value.readInt32BE(1), r.body.value_schema_id);
    const decoded = await des.deserialize(topic, m.value);
    assert.equal(decoded.$typeName, 'shop.v1.Order');
    assert.deepEqual(pb.toJson(OrderSchema, pb.create(OrderSchema, decoded), { alwaysEmitImplicit: true }),
      asJson(msgs[i]), `record ${i}`);
  }
});
