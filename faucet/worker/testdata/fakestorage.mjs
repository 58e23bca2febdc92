// fakeStorage is an in-memory stand-in for a Durable Object's storage, with
// the parts js/storage.mjs uses: get(keys) and list({prefix}) answering
// Maps in key order, put(key, value) or put(entries), delete(key or keys),
// and transaction(fn), which runs fn on a copy and commits it if fn
// succeeds, one transaction at a time. Values are copied in and out, as
// structured cloning does.
export function fakeStorage() {
  const db = { m: new Map() };
  let queue = Promise.resolve();
  const ops = (h) => ({
    async get(keys) {
      const out = new Map();
      for (const k of keys) if (h.m.has(k)) out.set(k, h.m.get(k).slice());
      return out;
    },
    async list({ prefix = "" } = {}) {
      const keys = [...h.m.keys()].filter((k) => k.startsWith(prefix)).sort();
      return new Map(keys.map((k) => [k, h.m.get(k).slice()]));
    },
    async put(k, v) {
      if (typeof k === "object") for (const [kk, vv] of Object.entries(k)) h.m.set(kk, vv.slice());
      else h.m.set(k, v.slice());
    },
    async delete(k) {
      if (!Array.isArray(k)) return h.m.delete(k);
      let n = 0;
      for (const kk of k) if (h.m.delete(kk)) n++;
      return n;
    },
  });
  return {
    ...ops(db),
    transaction(fn) {
      const run = async () => {
        const tx = { m: new Map(db.m) };
        const r = await fn(ops(tx));
        db.m = tx.m;
        return r;
      };
      const p = queue.then(run);
      queue = p.catch(() => {});
      return p;
    },
  };
}
