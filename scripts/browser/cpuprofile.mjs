// cpuprofile.mjs summarises a DevTools CPU profile (.cpuprofile, as written
// by MYRIAD_PROFILE in BenchmarkWalletInBrowser or MYRIAD_CPUPROFILE in
// go_js_wasm_chromium_exec):
//
//   node cpuprofile.mjs FILE [N]            time per kind of code, per call if N calls were profiled
//   node cpuprofile.mjs FILE N top          the functions with the most self time
//   node cpuprofile.mjs FILE N tree [NAME] [MIN%]  the call tree (merged by name), from every NAME frame
//
// Kinds: the snapshot restore (restoreTo on the stack), Go (wallet.wasm or a
// test's program.wasm), wasm_exec.js glue, an application module (its frames
// have no URL but a hash), and V8's own entries ("(program)": the engine's
// native code, stack switches and wrappers; "(garbage collector)": JavaScript's GC).
import fs from 'node:fs';

const [file, nArg, mode = 'kinds', ...rest] = process.argv.slice(2);
if (!file) {
  console.error('usage: node cpuprofile.mjs FILE [N] [kinds|top|tree [NAME] [MIN%]]');
  process.exit(2);
}
const p = JSON.parse(fs.readFileSync(file, 'utf8'));
const n = Number(nArg) || 1;
const byId = new Map(p.nodes.map((x) => [x.id, x]));
const parent = new Map();
for (const x of p.nodes) for (const c of x.children || []) parent.set(c, x.id);
const self = new Map(); // node id → µs
for (let i = 0; i < p.samples.length; i++) {
  self.set(p.samples[i], (self.get(p.samples[i]) || 0) + (p.timeDeltas[i + 1] ?? 0));
}
let total = 0;
for (const t of self.values()) total += t;
const file_ = (f) => (f.url || '').split('/').pop();
const name = (x) => `${x.callFrame.functionName || '(anonymous)'}${x.callFrame.url ? ' ' + file_(x.callFrame) : ''}`;
const fmt = (us) => `${(us / 1000 / n).toFixed(3).padStart(8)} ms ${(100 * us / total).toFixed(1).padStart(5)}%`;
const print = (m) => {
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1])) console.log(`${fmt(v)}  ${k}`);
};

function kind(id) {
  for (let x = id; x != null; x = parent.get(x)) {
    if (byId.get(x).callFrame.functionName.includes('restoreTo')) return 'snapshot restore (restoreTo)';
  }
  const f = byId.get(id).callFrame;
  const u = file_(f);
  if (u === 'wallet.wasm' || u === 'program.wasm') return 'Go';
  if (u === 'wasm_exec.js') return 'wasm_exec.js glue';
  if (/^[0-9a-f]{8}$/.test(u) || f.functionName.startsWith('wasm-function')) return 'application module';
  if (f.functionName.startsWith('(')) return f.functionName;
  return 'other JavaScript';
}

if (mode === 'kinds') {
  const m = new Map();
  for (const [id, t] of self) m.set(kind(id), (m.get(kind(id)) || 0) + t);
  print(m);
  console.log(`${fmt(total)}  total`);
} else if (mode === 'top') {
  const m = new Map();
  for (const [id, t] of self) m.set(name(byId.get(id)), (m.get(name(byId.get(id))) || 0) + t);
  print(new Map([...m].sort((a, b) => b[1] - a[1]).slice(0, 40)));
} else if (mode === 'tree') {
  const [from, minArg] = rest;
  const min = Number(minArg) || 1;
  const build = (id) => {
    const t = { name: name(byId.get(id)), self: self.get(id) || 0, kids: new Map() };
    for (const c of byId.get(id).children || []) merge(t.kids, build(c));
    t.total = t.self + [...t.kids.values()].reduce((a, k) => a + k.total, 0);
    return t;
  };
  const merge = (kids, t) => {
    const e = kids.get(t.name);
    if (!e) { kids.set(t.name, t); return; }
    e.self += t.self;
    e.total += t.total;
    for (const k of t.kids.values()) merge(e.kids, k);
  };
  const root = build(p.nodes[0].id);
  const tops = new Map();
  const find = (t) => { if (t.name.startsWith(from)) merge(tops, t); else for (const k of t.kids.values()) find(k); };
  if (from) find(root); else tops.set(root.name, root);
  const show = (t, d) => {
    if (100 * t.total / total < min) return;
    console.log(`${fmt(t.total)} ${'  '.repeat(d)}${t.name}`);
    for (const k of [...t.kids.values()].sort((a, b) => b.total - a.total)) show(k, d + 1);
  };
  for (const t of tops.values()) show(t, 0);
} else {
  console.error(`unknown mode ${mode}`);
  process.exit(2);
}
