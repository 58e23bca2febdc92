// rpc.js: how the extension's pages call the service worker.
//
//   import { call } from './lib/rpc.js';
//   const status = await call('status');
//
// A failure rejects with an Error whose code is the wallet's
// (docs/wallet-js.md) or the bridge's (docs/bridge-protocol.md).
export async function call(op, ...args) {
  const answer = await chrome.runtime.sendMessage({ to: 'sw', op, args });
  if (!answer) throw Object.assign(new Error('the extension did not answer'), { code: 4900 });
  if (answer.error) throw Object.assign(new Error(answer.error.message), { code: answer.error.code });
  return answer.result;
}
