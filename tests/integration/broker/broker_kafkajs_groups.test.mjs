// SPDX-License-Identifier: Apache-2.0
// kafkajs 2.2.4 (tests/npm) consumer groups, committed offsets, idempotent and
// transactional producers against a real `weir broker` (issue 4): a consumer
// group (subscribe + run) reads what a kafkajs producer wrote and commits; a
// new consumer in the group resumes exactly at the committed offsets; an
// idempotent producer writes every record once and in order; a transactional
// producer's aborted batch stays invisible to read_committed readers (kcat).
//   WEIR_BIN=build/platform/weir node --test tests/integration/broker/broker_kafkajs_groups.test.mjs
// Exits 77 (ctest SKIP) when tests/npm/node_modules is missing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

import { Broker, requireNpm, sleep, unique, weirBin } from '../weirtest.mjs';

const { Kafka, logLevel } = requireNpm('kafkajs');

let bootstrap;
let kafka;

// Short group timers (the broker's minimum session timeout is 6000 ms).
const groupTimers = { sessionTimeout: 6000, heartbeatInterval: 500, rebalanceTimeout: 15000 };

// group.initial.rebalance.delay.ms=0 when this weir build knows the property.
function brokerOptions() {
  const out = spawnSync(weirBin, ['config'], { encoding: 'utf8', timeout: 20000 }).stdout || '';
  const opts = ['-o', 'num.partitions=2'];
  if (out.includes('group.initial.rebalance.delay.ms')) opts.push('-o', 'group.initial.rebalance.delay.ms=0');
  return opts;
}

const broker = new Broker('weir-bit-jsg-', brokerOptions());

// Reads partition `p` of `topic` to its end with kcat: [{offset, value}].
function kcatRead(topic, p = 0, isolation = 'read_uncommitted') {
  const r = spawnSync('kcat', ['-b', bootstrap, '-C', '-t', topic, '-p', String(p), '-o', 'beginning', '-e', '-q',
    '-X', `isolation.level=${isolation}`, '-f', '%o\t%s\n'], { encoding: 'utf8', timeout: 60000 });
  assert.equal(r.status, 0, `kcat failed: ${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l).map((l) => {
    const [offset, value] = l.split('\t');
    return { offset: Number(offset), value };
  });
}

async function waitFor(pred, ms, what) {
  const deadline = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}\n${broker.logTail()}`);
    await sleep(100);
  }
}

before(async () => {
  bootstrap = await broker.start();
  kafka = new Kafka({ clientId: 'weir-it-groups', brokers: [bootstrap], logLevel: logLevel.NOTHING,
    retry: { retries: 5 } });
});

after(() => broker.stop());

test('consumer group consumes, commits, and a new member resumes after the committed offsets', async () => {
  const admin = kafka.admin();
  await admin.connect();
  const producer = kafka.producer();
  await producer.connect();
  const topic = unique('jsg');
  const groupId = unique('jsg-group');
  const n = 60;
  const first = kafka.consumer({ groupId, ...groupTimers });
  const second = kafka.consumer({ groupId, ...groupTimers });
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    const messages = Array.from({ length: n }, (_, i) => ({ value: `g${i}`, partition: i % 2 }));
    await producer.send({ topic, acks: -1, messages });

    // First member: process and commit the first 20 records of each partition.
    const committed = { 0: 0, 1: 0 };
    const seen1 = [];
    await first.connect();
    await first.subscribe({ topics: [topic], fromBeginning: true });
    await first.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        seen1.push(message.value.toString());
        const next = Number(message.offset) + 1;
        if (next <= 20) {
          await first.commitOffsets([{ topic, partition, offset: String(next) }]);
          committed[partition] = next;
        }
      },
    });
    await waitFor(() => committed[0] === 20 && committed[1] === 20, 40000, 'the first member to commit 20 + 20');
    await first.disconnect(); // LeaveGroup

    const fetched = await admin.fetchOffsets({ groupId, topics: [topic] });
    const parts = fetched[0].partitions.sort((a, b) => a.partition - b.partition);
    assert.deepEqual(parts.map((p) => [p.partition, p.offset]), [[0, '20'], [1, '20']]);

    // Second member: starts at the committed offsets, nothing before them.
    const seen2 = [];
    await second.connect();
    await second.subscribe({ topics: [topic], fromBeginning: true });
    await second.run({
      eachMessage: async ({ partition, message }) => { seen2.push([partition, Number(message.offset), message.value.toString()]); },
    });
    await waitFor(() => seen2.length >= n - 40, 40000, 'the second member to read the rest');
    await sleep(500);
    assert.equal(seen2.length, n - 40, `second member read ${seen2.length}, expected ${n - 40}`);
    for (const [partition, offset] of seen2) assert.ok(offset >= 20, `re-delivered ${partition}@${offset}`);
    const all = new Set([...seen1, ...seen2.map((r) => r[2])]);
    assert.equal(all.size, n, 'some record was never consumed');
    const desc = await admin.describeGroups([groupId]);
    assert.equal(desc.groups[0].state, 'Stable');
    assert.equal(desc.groups[0].members.length, 1);
  } finally {
    await second.disconnect();
    await first.disconnect();
    await producer.disconnect();
    await admin.disconnect();
  }
});

test('idempotent producer writes every record once and in order', async () => {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    const topic = unique('js-idem');
    const want = [];
    for (let round = 0; round < 5; round++) {
      const messages = Array.from({ length: 100 }, (_, i) => ({ value: `r${round}-${i}`, partition: 0 }));
      want.push(...messages.map((m) => m.value));
      const res = await producer.send({ topic, acks: -1, messages });
      assert.equal(res[0].errorCode, 0);
      assert.equal(res[0].baseOffset, String(round * 100));
    }
    const got = kcatRead(topic);
    assert.deepEqual(got.map((r) => r.value), want);
    assert.deepEqual(got.map((r) => r.offset), want.map((_, i) => i));
  } finally {
    await producer.disconnect();
  }
});

test('transactional producer: aborted batch hidden from read_committed, committed batch visible', async () => {
  const producer = kafka.producer({ transactionalId: unique('js-txn'), idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    const topic = unique('js-txn');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    const aborted = await producer.transaction();
    await aborted.send({ topic, messages: [{ value: 'aborted-0', partition: 0 }, { value: 'aborted-1', partition: 0 }] });
    await aborted.abort();
    const committed = await producer.transaction();
    await committed.send({ topic, messages: [{ value: 'committed-0', partition: 0 }] });
    await committed.commit();
    assert.deepEqual(kcatRead(topic, 0, 'read_committed').map((r) => r.value), ['committed-0']);
    assert.deepEqual(kcatRead(topic, 0, 'read_uncommitted').map((r) => r.value),
      ['aborted-0', 'aborted-1', 'committed-0']);
  } finally {
    await producer.disconnect();
  }
});
