// SPDX-License-Identifier: Apache-2.0
// kafkajs 2.2.4 (pinned in tests/npm, pure JavaScript protocol code) against a
// real `weir broker`: producer send with acks -1/1/0, admin createTopics,
// fetchTopicMetadata, fetchTopicOffsets, fetchTopicOffsetsByTimestamp,
// deleteTopics. kafkajs consumers always join a consumer group, and groups
// are issue 4, so this file tests no kafkajs consumer: what the producer wrote
// is read back with kcat. Runs with node's built-in test runner:
//   WEIR_BIN=build/platform/weir node --test tests/integration/broker/broker_kafkajs.test.mjs
// Exits 77 (ctest SKIP) when tests/npm/node_modules is missing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

import { Broker, requireNpm, sleep, unique } from '../weirtest.mjs';

const kafkajs = requireNpm('kafkajs');
const { Kafka, logLevel } = kafkajs;

const broker = new Broker('weir-bit-js-', ['-o', 'num.partitions=2']);
let bootstrap;
let kafka;

// Reads partition `p` of `topic` to its end with kcat: [{offset, key, value}].
function kcatRead(topic, p = 0) {
  const r = spawnSync('kcat', ['-b', bootstrap, '-C', '-t', topic, '-p', String(p), '-o', 'beginning', '-e', '-q',
    '-f', '%o\t%k\t%s\n'], { encoding: 'utf8', timeout: 60000 });
  assert.equal(r.status, 0, `kcat failed: ${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l).map((l) => {
    const [offset, key, value] = l.split('\t');
    return { offset: Number(offset), key, value };
  });
}

before(async () => {
  bootstrap = await broker.start();
  kafka = new Kafka({ clientId: 'weir-it', brokers: [bootstrap], logLevel: logLevel.NOTHING,
    retry: { retries: 3 } });
});

after(() => broker.stop());

test('admin createTopics then fetchTopicMetadata shows partitions led by node 1', async () => {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topic = unique('js-ct');
    assert.equal(await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true }), true);
    assert.equal(await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] }), false); // already exists
    const md = await admin.fetchTopicMetadata({ topics: [topic] });
    assert.equal(md.topics.length, 1);
    assert.equal(md.topics[0].name, topic);
    const parts = md.topics[0].partitions.sort((a, b) => a.partitionId - b.partitionId);
    assert.deepEqual(parts.map((p) => p.partitionId), [0, 1, 2]);
    for (const p of parts) {
      assert.equal(p.leader, 1);
      assert.deepEqual(p.replicas, [1]);
      assert.deepEqual(p.isr, [1]);
      assert.equal(p.partitionErrorCode, 0);
    }
    assert.ok((await admin.listTopics()).includes(topic));
  } finally {
    await admin.disconnect();
  }
});

test('producer send with acks -1, 1 and 0 stores every record in order', async () => {
  const admin = kafka.admin();
  await admin.connect();
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    for (const acks of [-1, 1, 0]) {
      const topic = unique(`js-acks${acks < 0 ? 'all' : acks}`);
      await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
      const messages = Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: `acks ${acks} #${i}`, partition: 0 }));
      const res = await producer.send({ topic, acks, messages });
      if (acks !== 0) {
        assert.equal(res.length, 1);
        assert.equal(res[0].errorCode, 0);
        assert.equal(res[0].baseOffset, '0');
      }
      // acks=0 has no response: give the broker a moment before reading back.
      if (acks === 0) await sleep(500);
      const got = kcatRead(topic);
      assert.deepEqual(got.map((r) => r.value), messages.map((m) => m.value), `acks=${acks}`);
      assert.deepEqual(got.map((r) => r.key), messages.map((m) => m.key));
      assert.deepEqual(got.map((r) => r.offset), messages.map((_, i) => i));
    }
  } finally {
    await producer.disconnect();
    await admin.disconnect();
  }
});

test('producer with gzip compression round-trips', async () => {
  const { CompressionTypes } = kafkajs;
  const producer = kafka.producer();
  await producer.connect();
  try {
    const topic = unique('js-gzip');
    const messages = Array.from({ length: 100 }, (_, i) => ({ value: `gz ${i} ${'z'.repeat(i)}`, partition: 0 }));
    await producer.send({ topic, compression: CompressionTypes.GZIP, messages });
    assert.deepEqual(kcatRead(topic).map((r) => r.value), messages.map((m) => m.value));
  } finally {
    await producer.disconnect();
  }
});

test('fetchTopicOffsets and fetchTopicOffsetsByTimestamp', async () => {
  const admin = kafka.admin();
  await admin.connect();
  const producer = kafka.producer();
  await producer.connect();
  try {
    const topic = unique('js-offs');
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    const base = 1600000000000;
    await producer.send({ topic, acks: -1, messages: Array.from({ length: 10 }, (_, i) =>
      ({ value: `t${i}`, partition: 0, timestamp: String(base + 1000 * i) })) });
    const offs = (await admin.fetchTopicOffsets(topic)).sort((a, b) => a.partition - b.partition);
    assert.deepEqual(offs.map((o) => [o.partition, o.low, o.high, o.offset]),
      [[0, '0', '10', '10'], [1, '0', '0', '0']]);
    const byTs = (await admin.fetchTopicOffsetsByTimestamp(topic, base + 4500)).sort((a, b) => a.partition - b.partition);
    assert.equal(byTs[0].offset, '5');
    // No record at or after the timestamp: kafkajs maps -1 to the high watermark.
    assert.equal(byTs[1].offset, '0');
    const early = await admin.fetchTopicOffsetsByTimestamp(topic, base - 1);
    assert.equal(early.find((o) => o.partition === 0).offset, '0');
  } finally {
    await producer.disconnect();
    await admin.disconnect();
  }
});

test('producer auto-creates a topic with num.partitions', async () => {
  const producer = kafka.producer({ allowAutoTopicCreation: true });
  await producer.connect();
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topic = unique('js-auto');
    const res = await producer.send({ topic, messages: [{ value: 'hello' }] });
    assert.equal(res[0].errorCode, 0);
    const md = await admin.fetchTopicMetadata({ topics: [topic] });
    assert.equal(md.topics[0].partitions.length, 2);
  } finally {
    await admin.disconnect();
    await producer.disconnect();
  }
});

test('admin deleteTopics removes the topic', async () => {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topic = unique('js-del');
    await admin.createTopics({ topics: [{ topic }], waitForLeaders: true });
    await admin.deleteTopics({ topics: [topic], timeout: 10000 });
    let listed = true;
    for (let i = 0; i < 50 && listed; i++) {
      listed = (await admin.listTopics()).includes(topic);
      if (listed) await sleep(100);
    }
    assert.equal(listed, false, `${topic} still listed after deleteTopics`);
    await assert.rejects(admin.deleteTopics({ topics: [topic], timeout: 5000 }),
      (e) => /UNKNOWN_TOPIC_OR_PARTITION|does not host this topic-partition/.test(`${e.type} ${e.message}`));
  } finally {
    await admin.disconnect();
  }
});

test('admin describeConfigs returns topic configs', async () => {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topic = unique('js-dc');
    await admin.createTopics({ topics: [{ topic, configEntries: [{ name: 'retention.ms', value: '3600000' }] }] });
    const { ConfigResourceTypes } = kafkajs;
    const res = await admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }],
      includeSynonyms: false });
    const entries = res.resources[0].configEntries;
    const ret = entries.find((e) => e.configName === 'retention.ms');
    assert.ok(ret, 'retention.ms listed');
    assert.equal(ret.configValue, '3600000');
    assert.ok(entries.find((e) => e.configName === 'cleanup.policy'));
  } finally {
    await admin.disconnect();
  }
});
