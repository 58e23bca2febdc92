// Unit tests of preview.js, run by `make extension-js` (node --test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describe } from './preview.js';

const chain = 'a'.repeat(60) + '0001';
const bob = 'b'.repeat(60) + '0002';
const app = 'c'.repeat(60) + '0003';
const owner = 'd'.repeat(60) + '0004';

const transfer = {
  chainId: chain, height: 4, incomingBundles: 0, fuel: 0, fees: '0.01', pendingFirst: false,
  operations: [{ application: '', kind: 'transfer', summary: `transfer 7.5 from the chain's account to ${bob}` }],
  balances: [{ owner: '', before: '100', after: '92.49', change: '-7.51' }],
  messages: [{ destination: bob, application: '', kind: 'tracked', summary: 'credit 7.5 to the chain\'s account' }],
  applications: [],
};

test('a transfer: what moves, where, and what it costs', () => {
  const d = describe({ blocks: [transfer] });
  assert.equal(d.empty, false);
  assert.equal(d.blocks.length, 1);
  const [b] = d.blocks;
  assert.equal(b.title, 'Block 4 of chain aaaaaaaa…0001');
  assert.deepEqual(b.operations, [`transfer 7.5 from the chain's account to ${bob}`]);
  assert.deepEqual(b.balances, [{ account: 'Chain account', change: '-7.51', after: '92.49', negative: true }]);
  assert.deepEqual(b.messages, [{ to: 'bbbbbbbb…0002', text: 'credit 7.5 to the chain\'s account', kind: 'tracked' }]);
  assert.equal(b.cost, 'Fees 0.01 · fuel 0');
  assert.deepEqual(b.warnings, []);
  assert.equal(b.bundles, '');
});

test('an application\'s operation calling another: every run, in order', () => {
  const b = describe({ blocks: [{ ...transfer, fuel: 1234567, incomingBundles: 1, pendingFirst: true,
    operations: [{ application: app, kind: 'application', summary: '{"increment":2}' }],
    balances: [{ owner, before: '1', after: '3', change: '+2' }],
    messages: [{ destination: bob, application: app, kind: 'simple', summary: 'a message of the application' }],
    applications: [{ application: app, entry: 'execute_operation' }, { application: bob, entry: 'execute_operation' }, { application: app, entry: 'something_new' }],
  }] }).blocks[0];
  assert.deepEqual(b.operations, ['Application cccccccc…0003: {"increment":2}']);
  assert.equal(b.bundles, 'Takes 1 incoming bundle of messages.');
  assert.deepEqual(b.balances, [{ account: 'Account dddddddd…0004', change: '+2', after: '3', negative: false }]);
  assert.equal(b.messages[0].text, 'Application cccccccc…0003: a message of the application');
  assert.deepEqual(b.applications, ['cccccccc…0003 runs an operation', '→ bbbbbbbb…0002 runs an operation', '→ cccccccc…0003 something_new']);
  assert.equal(b.cost, 'Fees 0.01 · fuel 1,234,567');
  assert.equal(b.warnings.length, 1);
});

test('no block, and no preview at all', () => {
  assert.deepEqual(describe({ blocks: [], follows: [] }), { empty: true, unknown: false, follows: [], blocks: [] });
  // Without a preview nothing may claim the request signs no block.
  assert.deepEqual(describe(undefined), { empty: false, unknown: true, follows: [], blocks: [] });
});

test('following a chain signs nothing but is not nothing', () => {
  const d = describe({ blocks: [], follows: [bob] });
  assert.equal(d.empty, false);
  assert.equal(d.follows.length, 1);
  assert.match(d.follows[0], /^Follow chain bbbbbbbb…0002: /);
});
