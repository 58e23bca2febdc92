// storage adapts a Durable Object's storage (state.storage) to what the Go
// kv.Store of package faucet/worker calls: get, list and apply, each
// returning a Promise. Keys are the hex of the Go keys (hex keeps their
// bytewise order); values are Uint8Arrays. apply runs a batch in one
// storage transaction: all of it is durable, or none. faucet/worker's
// tests run the kv conformance suite through this very file, in Node, over
// a fake storage (testdata/fakestorage.mjs).
const batch = 128; // keys per storage call

export function storage(st) {
  return {
    async get(keys) {
      const out = [];
      for (let i = 0; i < keys.length; i += batch) {
        const part = keys.slice(i, i + batch);
        const m = await st.get(part);
        for (const k of part) out.push(m.get(k));
      }
      return out;
    },
    async list(prefix) {
      const m = await st.list({ prefix });
      return { keys: [...m.keys()], values: [...m.values()] };
    },
    // apply runs the operations ([0, key, value] put, [1, key] delete,
    // [2, prefix] delete prefix) in order, in one transaction; runs of puts
    // go in one call each (up to 128 keys).
    async apply(ops) {
      await st.transaction(async (txn) => {
        let puts = {};
        let n = 0;
        const flush = async () => {
          if (n > 0) await txn.put(puts);
          puts = {};
          n = 0;
        };
        for (const [kind, key, value] of ops) {
          if (kind === 0) {
            if (!(key in puts)) n++;
            puts[key] = value;
            if (n >= batch) await flush();
            continue;
          }
          await flush();
          const keys = kind === 1 ? [key] : [...(await txn.list({ prefix: key })).keys()];
          for (let i = 0; i < keys.length; i += batch) await txn.delete(keys.slice(i, i + batch));
        }
        await flush();
      });
    },
  };
}
