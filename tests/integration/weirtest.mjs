// SPDX-License-Identifier: Apache-2.0
// Shared start-up code for weir's node integration tests (the JavaScript
// counterpart of weirtest.py): loading a client from tests/npm (exit 77, ctest
// SKIP, when it is not installed), free loopback ports, unique names, and
// `weir broker` / `weir start` processes started on a fresh data dir and
// stopped with SIGTERM and an exit-code check. It asserts nothing about what
// a test checks; the test files do.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const sourceDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const npmDir = join(sourceDir, 'tests', 'npm');

export const weirBin = process.env.WEIR_BIN || join(sourceDir, 'build', 'platform', 'weir');

// Loads package `name` (or a subpath export such as '@bufbuild/protobuf/wkt')
// from tests/npm/node_modules; exits 77 when its package is not installed
// there (`missing` is what the SKIP line says is missing).
export function requireNpm(name, missing = `tests/npm/node_modules/${name}`) {
  const parts = name.split('/');
  const pkg = parts.slice(0, name.startsWith('@') ? 2 : 1);
  if (!existsSync(join(npmDir, 'node_modules', ...pkg))) {
    console.log(`SKIP: ${missing} is missing; run \`npm ci\` in tests/npm`);
    process.exit(77);
  }
  return createRequire(join(npmDir, 'package.json'))(name);
}

export function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const unique = (p) => `${p}-${Math.random().toString(16).slice(2, 12)}`;

function canConnect(port) {
  return new Promise((res) => {
    const s = connect({ host: '127.0.0.1', port }, () => {
      s.destroy();
      res(true);
    });
    s.on('error', () => res(false));
  });
}

// One `weir <command>` process with its own data dir under a `dirPrefix`
// temporary folder, its output in <data dir>/weir-<command>.log, stopped
// with SIGTERM and an exit-code check. Subclasses say how to start it.
class WeirProcess {
  constructor(command, dirPrefix, args = []) {
    this.command = command;
    this.dirPrefix = dirPrefix;
    this.args = args;
  }

  logTail() {
    return existsSync(this.logPath) ? readFileSync(this.logPath, 'utf8').split('\n').slice(-20).join('\n') : '';
  }

  // Spawns `weir <command> --data-dir <new dir> <args> <this.args>` and
  // waits (30 s at most) until `ready()` resolves true.
  async spawn(args, ready, what) {
    this.dataDir = mkdtempSync(join(tmpdir(), this.dirPrefix));
    this.logPath = join(this.dataDir, `weir-${this.command}.log`);
    const log = openSync(this.logPath, 'a');
    this.proc = spawn(weirBin, [this.command, '--data-dir', this.dataDir, ...args, ...this.args],
      { stdio: ['ignore', log, log] });
    let exited = null;
    this.proc.on('exit', (code) => { exited = code; });
    const deadline = Date.now() + 30000;
    while (Date.now() < deadline) {
      if (exited !== null) throw new Error(`weir ${this.command} exited with ${exited}:\n${this.logTail()}`);
      if (await ready()) return;
      await sleep(50);
    }
    throw new Error(`weir ${this.command} did not ${what} in 30s:\n${this.logTail()}`);
  }

  // SIGTERM (SIGKILL after 30 s), remove the data dir, and assert exit code 0.
  async stop() {
    const { proc } = this;
    if (!proc) return;
    const exit = new Promise((res) => proc.once('exit', (code, sig) => res({ code, sig })));
    proc.kill('SIGTERM');
    const { code } = await Promise.race([exit, sleep(30000).then(() => ({ code: 'timeout' }))]);
    if (code === 'timeout') proc.kill('SIGKILL');
    rmSync(this.dataDir, { recursive: true, force: true });
    assert.equal(code, 0, `weir ${this.command} exited with ${code} after SIGTERM:\n${this.logTail()}`);
  }
}

// One `weir broker` on 127.0.0.1:<free port>; `args` are extra command-line
// arguments.
export class Broker extends WeirProcess {
  constructor(dirPrefix, args = []) {
    super('broker', dirPrefix, args);
  }

  // Starts the broker; returns its bootstrap address.
  async start() {
    const port = await freePort();
    await this.spawn(['--listen', `127.0.0.1:${port}`], () => canConnect(port), 'accept connections');
    return `127.0.0.1:${port}`;
  }
}

// One `weir start`: the Schema Registry (this.registryUrl), the broker
// (this.bootstrap) and the REST proxy (this.restUrl) in one process.
export class Platform extends WeirProcess {
  constructor(dirPrefix, args = []) {
    super('start', dirPrefix, args);
  }

  async start() {
    const [regPort, brokerPort, restPort] = [await freePort(), await freePort(), await freePort()];
    this.registryUrl = `http://127.0.0.1:${regPort}`;
    this.bootstrap = `127.0.0.1:${brokerPort}`;
    this.restUrl = `http://127.0.0.1:${restPort}`;
    const registryUp = async () => {
      try {
        return (await fetch(`${this.registryUrl}/`)).status === 200;
      } catch {
        return false;
      }
    };
    await this.spawn(['-o', `registry.listeners=${this.registryUrl}`, '-o', `broker.listeners=PLAINTEXT://${this.bootstrap}`,
      '-o', `rest-proxy.listeners=${this.restUrl}`],
      async () => (await canConnect(brokerPort)) && (await canConnect(restPort)) && registryUp(), 'answer on every listener');
    return this;
  }
}

// The first n messages of topic, read from the beginning by a kafkajs
// consumer in a fresh group of `kafka` (a kafkajs Kafka client).
export async function kafkajsRead(kafka, topic, n) {
  const consumer = kafka.consumer({ groupId: unique('npm-g'), sessionTimeout: 6000, heartbeatInterval: 500 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    const got = [];
    let timer;
    await new Promise((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`kafkajs read ${got.length} of ${n} messages in 60 s`)), 60000);
      consumer.run({ eachMessage: async ({ message }) => {
        got.push(message);
        if (got.length >= n) resolve();
      } }).catch(reject);
    }).finally(() => clearTimeout(timer));
    return got.slice(0, n);
  } finally {
    await consumer.disconnect();
  }
}
