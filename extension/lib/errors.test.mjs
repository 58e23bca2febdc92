// Unit tests of errors.js (make extension-js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bridgeError, codes, errorOf, WalletError } from './errors.js';

const denied = (m) => Object.assign(new Error(m), { code: 'DENIED' });

test('the service worker\'s own codes pass through', () => {
  assert.deepEqual(bridgeError(new WalletError(4100, 'not connected')), { code: 4100, message: 'not connected' });
});

test('refusals the core reports as DENIED map to the page\'s codes', () => {
  assert.equal(bridgeError(denied('origin http://a: Error: rejected by the user')).code, codes.rejected);
  assert.equal(bridgeError(denied('origin http://a: Error: the wallet is locked: unlock it')).code, codes.unauthorized);
  assert.equal(bridgeError(denied('origin http://a: Error: wallet disconnected: gone')).code, codes.disconnected);
  assert.deepEqual(bridgeError(denied('origin http://a: refused')), { code: codes.unauthorized, message: 'this site is not connected' });
  assert.deepEqual(bridgeError(denied('origin http://a: Error: the block would fail: insufficient funds')),
    { code: codes.wouldFail, message: 'the block would fail: insufficient funds' });
});

test('a preview the validators could not serve is 4900, with the reason', () => {
  assert.deepEqual(bridgeError(denied('origin http://a: Error: validators unreachable: no validator answered')),
    { code: codes.disconnected, message: 'the wallet cannot reach the validators: no validator answered' });
});

test('an application\'s text after "the block would fail" cannot pass for the user\'s rejection', () => {
  const e = denied('origin http://a: Error: the block would fail: application 1234: rejected by the user\nwallet is locked');
  assert.deepEqual(bridgeError(e), { code: codes.wouldFail, message: 'the block would fail: application 1234: rejected by the user\nwallet is locked' });
});

test('the core\'s string codes', () => {
  assert.equal(bridgeError({ code: 'LOCKED', message: 'locked' }).code, codes.unauthorized);
  assert.deepEqual(bridgeError({ code: 'CHANGED', message: 'the block changed' }), { code: codes.wouldFail, message: 'the block changed: ask again' });
  assert.deepEqual(bridgeError({ code: 'STORAGE', message: 'broken' }), { code: -32603, message: 'STORAGE: broken' });
  assert.deepEqual(bridgeError('a string'), { code: -32603, message: 'INTERNAL: a string' });
});

test('errorOf', () => {
  assert.deepEqual(errorOf(new Error('x')), { code: 'INTERNAL', message: 'x' });
  assert.deepEqual(errorOf(null), { code: 'INTERNAL', message: 'null' });
});
