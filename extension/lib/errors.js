// errors.js: the error codes the extension answers with. dApps see the
// numeric EIP-1193 codes (docs/bridge-protocol.md); the extension's own
// pages also see the wallet core's string codes (docs/wallet-js.md).
export const codes = {
  rejected: 4001, // the user rejected the request
  unauthorized: 4100, // the origin is not connected (or the call is not for it)
  unsupported: 4200, // unknown or unsupported method
  disconnected: 4900, // the wallet is unreachable
  invalidParams: -32602,
  limit: -32005, // too many requests or too large
  wouldFail: -32003, // the block would fail (its preview says why), or changed since it was approved
  badRequest: 'BAD_REQUEST',
};

// WalletError is an Error with a code.
export class WalletError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

// errorOf turns anything thrown into a plain {code, message} to send.
export function errorOf(e) {
  if (e && typeof e === 'object') return { code: e.code ?? 'INTERNAL', message: String(e.message ?? e) };
  return { code: 'INTERNAL', message: String(e) };
}

// bridgeError maps an error to the EIP-1193 codes a page sees. The wallet
// core reports a policy's refusal as DENIED with the policy's message
// inside its own; the phrases below are the service worker's, and the
// "block would fail" and "validators unreachable" ones are looked for
// first because what follows them may be an application's own text.
export function bridgeError(e) {
  const { code, message } = errorOf(e);
  if (typeof code === 'number') return { code, message };
  if (code === 'DENIED') {
    const fail = /the block would fail: (.*)$/s.exec(message);
    if (fail) return { code: codes.wouldFail, message: `the block would fail: ${fail[1]}` };
    const away = /validators unreachable: (.*)$/s.exec(message);
    if (away) return { code: codes.disconnected, message: `the wallet cannot reach the validators: ${away[1]}` };
    if (/rejected by the user/.test(message)) return { code: codes.rejected, message: 'rejected by the user' };
    if (/wallet is locked/.test(message)) return { code: codes.unauthorized, message: 'the wallet is locked: unlock it in the extension' };
    if (/wallet disconnected/.test(message)) return { code: codes.disconnected, message: 'the wallet stopped while asking: try again' };
    return { code: codes.unauthorized, message: 'this site is not connected' };
  }
  if (code === 'LOCKED') return { code: codes.unauthorized, message: 'the wallet is locked: unlock it in the extension' };
  if (code === 'CHANGED') return { code: codes.wouldFail, message: `${message}: ask again` };
  return { code: -32603, message: `${code}: ${message}` };
}
