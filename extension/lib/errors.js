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
