// A small event emitter with EIP-1193's on / removeListener.

/** Emitter calls listeners by event name; a throwing listener does not stop the others. */
export class Emitter {
  #listeners = new Map();

  on(event, fn) {
    if (typeof fn !== 'function') throw new TypeError('myriad: listener must be a function');
    if (!this.#listeners.has(event)) this.#listeners.set(event, new Set());
    this.#listeners.get(event).add(fn);
    return this;
  }

  removeListener(event, fn) {
    this.#listeners.get(event)?.delete(fn);
    return this;
  }

  emit(event, ...args) {
    for (const fn of [...(this.#listeners.get(event) ?? [])]) {
      try {
        fn(...args);
      } catch (e) {
        console.error(`myriad: a listener of ${event} failed`, e);
      }
    }
  }
}
