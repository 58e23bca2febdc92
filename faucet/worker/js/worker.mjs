// The faucet as a Cloudflare Worker: the JavaScript half. The faucet itself
// is Go (cmd/faucet-worker, faucet.wasm); this file is the thinnest shim the
// Go bindings (github.com/syumai/workers v0.32.0) leave us to write:
//
//   - syumai/workers can call a Durable Object but cannot define one, and
//     its runtime boots a fresh Go instance for every request. The faucet
//     chain needs one long-lived owner (one proposer, a batcher, the rate
//     limits in memory), so the class Faucet below boots Go once per
//     Durable Object and hands it every request.
//   - The front (the default export) forwards every request to that one
//     Durable Object, named "faucet": all claims meet in one place, so
//     concurrent claims from any isolate are batched into one block and
//     the chain never gets two blocks at one height. It sets
//     X-Myriad-Client from CF-Connecting-IP (overwriting what the client
//     sent): the rate limit's key.
//   - Storage (storage.mjs): get, list and apply over the Durable Object's
//     storage, for the Go kv.Store (faucet/worker.Store).
import "./wasm_exec.js";
import mod from "./faucet.wasm";
import { storage } from "./storage.mjs";

export default {
  async fetch(request, env) {
    const headers = new Headers(request.headers);
    headers.set("X-Myriad-Client", request.headers.get("CF-Connecting-IP") ?? "local");
    const stub = env.FAUCET.get(env.FAUCET.idFromName("faucet"));
    return stub.fetch(new Request(request, { headers }));
  },
};

export class Faucet {
  constructor(state, env) {
    this.state = state;
    this.env = env;
    this.serve = null; // a Promise of the Go instance's serve function
  }

  async fetch(request) {
    if (this.serve === null) {
      this.serve = boot(this.state, this.env);
    }
    let serve;
    try {
      serve = await this.serve;
    } catch (e) {
      this.serve = null; // the next request tries again (validators back?)
      return unavailable(`faucet: not started: ${e.message}`);
    }
    const body = new Uint8Array(await request.arrayBuffer());
    const addr = request.headers.get("X-Myriad-Client") ?? "local";
    const r = await serve(request.method, request.url, [...request.headers], body, addr);
    const empty = r.status === 204 || r.status === 304 || request.method === "HEAD";
    return new Response(empty ? null : r.body, { status: r.status, headers: r.headers });
  }
}

// boot starts one Go instance and resolves to its serve function once the
// faucet has synchronised its chain.
function boot(state, env) {
  return new Promise((resolve, reject) => {
    const go = new Go();
    go.env = {};
    for (const [k, v] of Object.entries(env)) {
      if (typeof v === "string") go.env[k] = v;
    }
    go.exit = (code) => reject(new Error(`the Go instance exited with status ${code}`));
    const instance = new WebAssembly.Instance(mod, go.importObject);
    go.run(instance, {
      storage: storage(state.storage),
      fetch: (request, init) => fetch(request, init),
      ready: resolve,
      fail: (message) => reject(new Error(message)),
    });
  });
}

function unavailable(message) {
  const body = JSON.stringify({ errors: [{ message, extensions: { code: "UNAVAILABLE" } }] });
  return new Response(body, {
    status: 503,
    headers: { "Content-Type": "application/json", "Access-Control-Allow-Origin": "*" },
  });
}
