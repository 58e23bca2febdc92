// preview.js turns the wallet core's preview of a mutation (the blocks it
// would sign, executed in the local node: docs/wallet-js.md, "Previews")
// into what the approval window shows, as plain data. It has no DOM, so
// it is unit-tested in Node (preview.test.mjs).
import { short } from './dom.js';

const entries = {
  instantiate: 'is created',
  execute_operation: 'runs an operation',
  execute_message: 'handles a message',
};

// describe answers {empty, unknown, follows, blocks: [{title, operations,
// bundles, balances, messages, applications, cost, warnings}]}, every
// string plain text. empty: the request signs no block and tracks no
// chain; unknown: there is no preview to show (never expected).
export function describe(preview) {
  if (!preview || !Array.isArray(preview.blocks)) return { empty: false, unknown: true, follows: [], blocks: [] };
  const follows = (preview.follows ?? []).map((c) =>
    `Follow chain ${short(c)}: the wallet downloads it and keeps it in step (it signs nothing now; if one of your keys owns the chain, you can sign its blocks later).`);
  const blocks = preview.blocks.map((b) => ({
    title: `Block ${b.height} of chain ${short(b.chainId)}`,
    operations: b.operations.map((o) => (o.application ? `Application ${short(o.application)}: ${o.summary}` : o.summary)),
    bundles: b.incomingBundles > 0 ? `Takes ${b.incomingBundles} incoming bundle${b.incomingBundles === 1 ? '' : 's'} of messages.` : '',
    balances: b.balances.map((c) => ({
      account: c.owner ? `Account ${short(c.owner)}` : 'Chain account',
      change: c.change,
      after: c.after,
      negative: c.change.startsWith('-'),
    })),
    messages: b.messages.map((m) => ({
      to: short(m.destination),
      text: m.application ? `Application ${short(m.application)}: ${m.summary}` : m.summary,
      kind: m.kind,
    })),
    applications: b.applications.map((r, i) => `${i === 0 ? '' : '→ '}${short(r.application)} ${entries[r.entry] ?? r.entry}`),
    cost: `Fees ${b.fees} · fuel ${Number(b.fuel).toLocaleString('en-US')}`,
    warnings: b.pendingFirst
      ? ['An interrupted block of this chain is finished first. If it changes the chain, this request fails and the site must ask again.']
      : [],
  }));
  return { empty: blocks.length === 0 && follows.length === 0, unknown: false, follows, blocks };
}
