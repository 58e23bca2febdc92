// The wallet's icon: a data: URI of an SVG, as EIP-6963 and the Wallet
// Standard ask.

const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 96 96">` +
  `<rect width="96" height="96" rx="20" fill="#1d2b53"/>` +
  `<g fill="none" stroke="#7ee0c3" stroke-width="6" stroke-linecap="round">` +
  `<path d="M22 70V28l26 30 26-30v42"/></g>` +
  `<circle cx="22" cy="28" r="6" fill="#ffd166"/><circle cx="74" cy="28" r="6" fill="#ffd166"/>` +
  `<circle cx="48" cy="58" r="6" fill="#ffd166"/></svg>`;

/** icon is the SVG as a data: URI. */
export const icon = `data:image/svg+xml;base64,${btoa(svg)}`;
