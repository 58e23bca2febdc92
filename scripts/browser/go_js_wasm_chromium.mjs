// go_js_wasm_chromium.mjs runs a GOOS=js GOARCH=wasm program, usually a test
// binary, in headless Chromium, the way Go's lib/wasm/go_js_wasm_exec runs
// one in Node:
//
//	node go_js_wasm_chromium.mjs PROGRAM [ARGS...]
//
// scripts/go_js_wasm_chromium_exec wraps it for `go test -exec`. It serves
// PROGRAM and $GOROOT/lib/wasm/wasm_exec.js from an HTTP server on a random
// port of 127.0.0.1 (a secure context, so IndexedDB and Web Locks work, and
// cross-origin isolated, so performance.now has fine resolution for
// benchmarks), opens a page in a fresh Chromium profile on disk, runs PROGRAM
// there with ARGS, relays what it writes to file descriptors 1 and 2 byte for
// byte to our stdout and stderr, and exits with its exit code.
//
// The program sees these environment variables, and no others: every one
// whose name starts with MYRIAD_ or GO (GOROOT, GODEBUG, GOTRACEBACK,
// GOCOVERDIR...), and PWD, TMPDIR, HOME and CI when set.
//
// Files are read-only, through us: the page's fs (which Go's syscall
// package calls) forwards open, stat, lstat, fstat, read, readdir and close
// to the files under the Go module the working directory is in (the
// nearest folder above it with a go.mod), so tests read their testdata and
// look for their fuzz seed corpora as they do in Node. Relative paths are
// taken from our working directory (go test starts us in the package's
// folder). Opening for writing fails with EROFS, a path that leads out of
// the module (symbolic links included) with EACCES, and every other file
// call (mkdir, rename, unlink...) with ENOSYS as in any page: t.TempDir
// fails.
//
// Bounds: the run ends after the program's -test.timeout plus a minute of
// grace (10 minutes without the flag; none with -test.timeout=0), or on
// SIGINT, SIGTERM, SIGHUP or SIGQUIT (what go test sends at its own
// timeout); the browser and its profile are removed however the run ends.
// MYRIAD_CHROMIUM names another Chromium binary. The page's console goes to
// stderr prefixed "chromium: ". MYRIAD_CPUPROFILE=FILE runs the program
// under the DevTools CPU profiler (a sample every 50 µs) and writes FILE
// (a .cpuprofile) when it exits; build test guests and the program without
// -ldflags=-s to see function names.
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

const me = 'go_js_wasm_chromium_exec';
const executablePath = process.env.MYRIAD_CHROMIUM || '/usr/bin/chromium';
const defaultTimeoutMs = 10 * 60 * 1000;
const graceMs = 60 * 1000;
let finishing = false; // set once the run is ending: later failures are echoes
const launchArgs = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function fail(msg) {
  process.stderr.write(`${me}: ${msg}\n`);
  process.exit(1);
}

// goDuration parses a Go time.Duration string ("10m0s", "1.5h", "300ms")
// into milliseconds, or returns NaN.
function goDuration(s) {
  if (s === '0') return 0;
  const units = { h: 3600e3, m: 60e3, s: 1e3, ms: 1, us: 1e-3, 'µs': 1e-3, ns: 1e-6 };
  const re = /(\d+(?:\.\d*)?|\.\d+)(h|ms|m|s|us|µs|ns)/gy;
  let ms = 0, end = 0, m;
  while ((m = re.exec(s)) !== null) {
    ms += parseFloat(m[1]) * units[m[2]];
    end = re.lastIndex;
  }
  return end === s.length && end > 0 ? ms : NaN;
}

// timeoutMs is how long the run may take, from the test binary's flags.
function timeoutMs(args) {
  for (let i = 0; i < args.length; i++) {
    const m = /^--?test\.timeout(?:=(.*))?$/.exec(args[i]);
    if (!m) continue;
    const value = m[1] ?? args[i + 1] ?? '';
    const ms = goDuration(value);
    if (Number.isNaN(ms)) fail(`cannot parse -test.timeout ${JSON.stringify(value)}`);
    return ms === 0 ? 0 : ms + graceMs;
  }
  return defaultTimeoutMs;
}

// programEnv is the environment the program sees.
function programEnv() {
  const keep = (name) => /^(MYRIAD_|GO)/.test(name) || ['PWD', 'TMPDIR', 'HOME', 'CI'].includes(name);
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => keep(name)));
}

// fsError is the answer to a failed file request: a code the page hands
// to Go, which knows the POSIX ones (anything else becomes EIO).
function fsError(code, message) {
  return { error: { code: /^E[A-Z0-9]+$/.test(code ?? '') ? code : 'EIO', message } };
}

// moduleRoot returns the nearest folder at or above dir holding a go.mod,
// or dir itself.
function moduleRoot(dir) {
  for (let d = dir; ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, 'go.mod'))) return d;
    if (path.dirname(d) === d) return dir;
  }
}

// fileServer returns the handler of the page's file requests (see the
// top of this file): read-only, confined to the module of cwd.
function fileServer(cwd) {
  const root = fs.realpathSync(moduleRoot(cwd));
  const inside = (p) => p === root || p.startsWith(root + path.sep);
  const c = fs.constants;
  const writing = c.O_WRONLY | c.O_RDWR | c.O_CREAT | c.O_TRUNC | c.O_APPEND | c.O_EXCL;
  const fds = new Set();
  const denied = (p) => Object.assign(new Error(`${p}: outside the module ${root}`), { code: 'EACCES' });
  // real resolves p (following symlinks but the last one if last is
  // false) and checks that it stays in the module.
  const real = (p, last = true) => {
    const abs = path.resolve(cwd, p);
    if (!inside(abs)) throw denied(p);
    const r = last ? fs.realpathSync(abs) : path.join(fs.realpathSync(path.dirname(abs)), path.basename(abs));
    if (!inside(r)) throw denied(p);
    return r;
  };
  const fd = (n) => {
    if (!fds.has(n)) throw Object.assign(new Error(`bad file descriptor ${n}`), { code: 'EBADF' });
    return n;
  };
  const stat = (s) => ({
    dev: s.dev, ino: s.ino, mode: s.mode, nlink: s.nlink, uid: s.uid, gid: s.gid, rdev: s.rdev, size: s.size,
    blksize: s.blksize, blocks: s.blocks, atimeMs: s.atimeMs, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs,
  });
  const ops = {
    open(p, flags) {
      if (flags & writing) throw Object.assign(new Error(`${p}: read-only in the browser`), { code: 'EROFS' });
      const n = fs.openSync(real(p), c.O_RDONLY | (flags & c.O_DIRECTORY));
      fds.add(n);
      return n;
    },
    close(n) { fs.closeSync(fd(n)); fds.delete(n); return null; },
    fstat: (n) => stat(fs.fstatSync(fd(n))),
    stat: (p) => stat(fs.statSync(real(p))),
    lstat: (p) => stat(fs.lstatSync(real(p, false))),
    readdir: (p) => fs.readdirSync(real(p)),
    // read returns the bytes as a Latin-1 string, as __goWrite takes them.
    read(n, length, position) {
      const buf = Buffer.alloc(Math.min(length, 1 << 24));
      const got = fs.readSync(fd(n), buf, 0, buf.length, position);
      return buf.subarray(0, got).toString('latin1');
    },
  };
  return (op, args) => {
    if (!Object.hasOwn(ops, op)) return fsError('ENOSYS', `${op}: not supported in the browser`);
    try {
      return { value: ops[op](...args) };
    } catch (e) {
      return fsError(e.code, e.message);
    }
  };
}

function goroot() {
  if (process.env.GOROOT) return process.env.GOROOT;
  try {
    return execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
  } catch (e) {
    fail(`cannot find GOROOT (set it, or put go on PATH): ${e.message}`);
  }
}

// serve starts the HTTP server and returns its origin.
async function serve(program, wasmExec) {
  const page = '<!doctype html><meta charset="utf-8"><title>go</title><script src="/wasm_exec.js"></script>';
  const routes = {
    '/': () => ['text/html; charset=utf-8', page],
    '/wasm_exec.js': () => ['text/javascript; charset=utf-8', fs.readFileSync(wasmExec)],
    '/program.wasm': () => ['application/wasm', fs.readFileSync(program)],
  };
  const server = http.createServer((req, res) => {
    const route = routes[new URL(req.url, 'http://x').pathname];
    if (!route) {
      res.writeHead(req.url === '/favicon.ico' ? 204 : 404).end();
      return;
    }
    const [type, body] = route();
    res.writeHead(200, {
      'Content-Type': type,
      'Cache-Control': 'no-store',
      // Cross-origin isolation: performance.now is coarsened to 100 µs without it.
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
    });
    res.end(body);
  });
  await new Promise((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
}

// boot runs in the page: it starts the program and returns once it runs.
// Output and the exit code come back through the bindings.
async function boot({ argv, env, constants }) {
  const toLatin1 = (buf) => {
    let s = '';
    for (let i = 0; i < buf.length; i += 0x8000) {
      s += String.fromCharCode.apply(null, buf.subarray(i, i + 0x8000));
    }
    return s;
  };
  // wasm_exec.js's fs.write calls writeSync, which by default turns output
  // into console.log lines; forward the bytes instead.
  globalThis.fs.writeSync = (fd, buf) => {
    globalThis.__goWrite(fd, toLatin1(buf));
    return buf.length;
  };
  // File requests go to fileServer through __goFs; Go reads the constants
  // once, when the program starts.
  const f = globalThis.fs;
  Object.assign(f.constants, constants);
  const call = (op, args, callback, decode = (v) => v) => {
    globalThis.__goFs(op, args).then((r) => {
      if (r.error) callback(Object.assign(new Error(r.error.message), { code: r.error.code }));
      else callback(null, decode(r.value));
    }, (e) => callback(Object.assign(new Error(String(e)), { code: 'EIO' })));
  };
  const stats = (s) => ({ ...s, isDirectory: () => (s.mode & 0o170000) === 0o040000 });
  f.open = (p, flags, mode, cb) => call('open', [p, flags], cb);
  f.close = (fd, cb) => call('close', [fd], cb);
  f.fstat = (fd, cb) => call('fstat', [fd], cb, stats);
  f.stat = (p, cb) => call('stat', [p], cb, stats);
  f.lstat = (p, cb) => call('lstat', [p], cb, stats);
  f.readdir = (p, cb) => call('readdir', [p], cb);
  f.read = (fd, buf, offset, length, position, cb) => call('read', [fd, length, position], cb, (s) => {
    for (let i = 0; i < s.length; i++) buf[offset + i] = s.charCodeAt(i);
    return s.length;
  });
  const go = new Go();
  go.argv = argv;
  go.env = env;
  go.exit = (code) => globalThis.__goExit(code, '');
  const { instance } = await WebAssembly.instantiateStreaming(fetch('/program.wasm'), go.importObject);
  go.run(instance).catch((e) => globalThis.__goExit(1, `program failed: ${e && e.stack || e}`));
}

async function main() {
  const [program, ...args] = process.argv.slice(2);
  if (!program) fail('usage: go_js_wasm_chromium_exec PROGRAM [ARGS...]');
  if (!fs.existsSync(executablePath)) {
    fail(`${executablePath} not found: install Debian's chromium (scripts/setup.sh does) or set MYRIAD_CHROMIUM`);
  }
  const wasmExec = path.join(goroot(), 'lib', 'wasm', 'wasm_exec.js');
  const { server, origin } = await serve(program, wasmExec);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'myriad-chromium-'));
  let context = null;
  let profiler = null;

  // finish closes everything exactly once and exits with code.
  const finish = async (code, message) => {
    if (finishing) return;
    finishing = true;
    if (message) process.stderr.write(`${me}: ${message}\n`);
    if (profiler) {
      const { profile: p } = await profiler.send('Profiler.stop').catch((e) => ({ profile: null, e }));
      if (p) fs.writeFileSync(process.env.MYRIAD_CPUPROFILE, JSON.stringify(p));
    }
    await context?.close().catch(() => {});
    server.close();
    server.closeAllConnections();
    fs.rmSync(profile, { recursive: true, force: true });
    process.exit(code);
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT']) {
    process.on(sig, () => finish(1, `${sig}: stopping the browser`));
  }
  const limit = timeoutMs(args);
  if (limit > 0) {
    setTimeout(() => finish(1, `program still running after ${limit / 1000}s: stopped`), limit).unref();
  }

  context = await chromium.launchPersistentContext(profile, {
    executablePath, args: launchArgs, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
  });
  context.on('close', () => finish(1, 'the browser closed before the program exited'));
  const page = context.pages()[0] ?? await context.newPage();
  await page.exposeBinding('__goWrite', (_, fd, data) => {
    (fd === 2 ? process.stderr : process.stdout).write(Buffer.from(data, 'latin1'));
  });
  await page.exposeBinding('__goExit', (_, code, message) => finish(code, message));
  const files = fileServer(process.cwd());
  await page.exposeBinding('__goFs', (_, op, args) => files(op, args));
  page.on('console', (msg) => process.stderr.write(`chromium: ${msg.type()}: ${msg.text()}\n`));
  page.on('pageerror', (err) => {
    process.stderr.write(`chromium: uncaught: ${err.stack || err}\n`);
    // A trap leaves the Go program dead: waiting for it would only time out.
    if (err.name === 'RuntimeError') finish(2, 'the Go program trapped');
  });
  page.on('crash', () => finish(1, 'the page crashed'));
  await page.goto(origin + '/');
  if (process.env.MYRIAD_CPUPROFILE) {
    profiler = await context.newCDPSession(page);
    await profiler.send('Profiler.enable');
    await profiler.send('Profiler.setSamplingInterval', { interval: 50 });
    await profiler.send('Profiler.start');
  }
  const c = fs.constants;
  const constants = { O_WRONLY: c.O_WRONLY, O_RDWR: c.O_RDWR, O_CREAT: c.O_CREAT, O_TRUNC: c.O_TRUNC,
    O_APPEND: c.O_APPEND, O_EXCL: c.O_EXCL, O_DIRECTORY: c.O_DIRECTORY };
  await page.evaluate(boot, { argv: [path.basename(program), ...args], env: programEnv(), constants });
}

main().catch((e) => {
  if (!finishing) fail(e.stack || String(e));
});
