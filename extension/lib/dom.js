// dom.js: a few helpers to build the UI with plain DOM calls.

// h makes an element: attributes (on* are listeners; true/false toggle
// boolean attributes) and children (strings become text).
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (v === true) el.setAttribute(k, '');
    else if (v !== false && v != null) el.setAttribute(k, String(v));
  }
  if (tag === 'input' && attrs.value != null) el.value = attrs.value;
  for (const c of children.flat()) if (c !== '' && c != null) el.append(c);
  return el;
}

// formField is a label and its control (with an optional hint).
export function formField(label, control, hint) {
  const hintEl = hint ? h('div', { class: 'muted', id: `${control.id}-hint` }, hint) : '';
  if (hint) control.setAttribute('aria-describedby', `${control.id}-hint`);
  return h('div', {}, h('label', { for: control.id }, label), control, hintEl);
}

// short abbreviates a 64-hex id.
export function short(id) {
  return id && id.length > 16 ? `${id.slice(0, 8)}…${id.slice(-4)}` : id ?? '';
}

// when formats a timestamp in microseconds (a decimal string).
export function when(micros) {
  const ms = Number(BigInt(micros) / 1000n);
  return new Date(ms).toLocaleTimeString();
}
