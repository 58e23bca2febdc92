// wallet.js loads wallet.wasm (the Myriad wallet core: Go built with
// GOOS=js GOARCH=wasm) and answers its API object. wasm_exec.js (from the
// Go distribution, copied beside it by `make wallet`) must be loaded first:
// it defines globalThis.Go.
//
//   import { loadWallet } from './wallet.js';
//   const wallet = await loadWallet({ name: 'default' });
//   await wallet.create({ password, faucet: 'http://127.0.0.1:8079' });
//
// name picks the wallet's IndexedDB databases (myriad-NAME-wallet and
// myriad-NAME-state). The API is documented in docs/wallet-js.md.
export async function loadWallet({ url = new URL('wallet.wasm', import.meta.url), name = 'default', env = {} } = {}) {
  if (typeof globalThis.Go !== 'function') throw new Error('wallet.js: load wasm_exec.js first');
  const go = new globalThis.Go();
  go.env = { ...env, MYRIAD_WALLET_NAME: name };
  let ready;
  const registered = new Promise((resolve) => { ready = resolve; });
  globalThis.__myriadWalletReady = ready;
  const { instance } = await WebAssembly.instantiateStreaming(fetch(url), go.importObject);
  const exited = go.run(instance).then(() => { throw new Error('wallet.js: the wallet core exited'); });
  try {
    return await Promise.race([registered, exited]);
  } finally {
    delete globalThis.__myriadWalletReady;
  }
}
