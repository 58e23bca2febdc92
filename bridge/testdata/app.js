// app.js is a Wallet Standard app (bundled with @wallet-standard/app by the
// test): it lists the wallets it finds through getWallets.
import { getWallets } from '@wallet-standard/app';

const wallets = getWallets();
window.standardApp = {
  names: () => wallets.get().map((w) => w.name),
  wallet: () => wallets.get().find((w) => w.name === 'Myriad'),
  atLoad: wallets.get().map((w) => w.name), // the wallet was there first
  registered: [],
};
wallets.on('register', (...ws) => window.standardApp.registered.push(...ws.map((w) => w.name)));
