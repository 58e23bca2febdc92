// Errors the provider answers with: EIP-1193's provider errors, an Error
// with a numeric code (and optional data).

/** Codes of the errors window.myriad.request rejects with. */
export const codes = Object.freeze({
  rejected: 4001, // the user rejected the request
  unauthorized: 4100, // the origin is not connected
  unsupported: 4200, // the wallet does not know the method
  disconnected: 4900, // the wallet is unreachable (or did not answer in time)
  invalidParams: -32602, // the request is malformed (caught before it is sent)
  internal: -32603, // the wallet failed
  limit: -32005, // too many requests in flight
});

/** ProviderRpcError is what request() rejects with: an Error with a numeric code. */
export class ProviderRpcError extends Error {
  constructor(code, message, data) {
    super(message);
    this.name = 'ProviderRpcError';
    this.code = code;
    if (data !== undefined) this.data = data;
  }

  toJSON() {
    return { code: this.code, message: this.message, ...(this.data !== undefined && { data: this.data }) };
  }
}

/** fromWire turns an error object from the content script into a ProviderRpcError. */
export function fromWire(err) {
  const code = Number.isInteger(err?.code) ? err.code : codes.internal;
  const message = typeof err?.message === 'string' ? err.message : 'myriad: the wallet failed';
  return new ProviderRpcError(code, message, err?.data);
}
