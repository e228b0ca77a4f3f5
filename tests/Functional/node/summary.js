// The one JSON line a client script prints at the end, and the helpers both client scripts share.
"use strict";

const MaxErrors = 5;
const MaxErrorLength = 600;

class Summary {
  constructor(clients) {
    this.clients = clients;
    this.ok = 0;
    this.failed = 0;
    this.errors = [];
    this.backends = {};
    this.transports = {};
    this.requestsPerTarget = new Map();
    this._answerTimes = [];
  }

  /** The round-trip time of one answered call (whoami / WhoAmI). */
  answered(ms) {
    this._answerTimes.push(ms);
  }

  /** A client that got every answer it asked for, all from one backend, over the given transport. */
  succeeded(backend, transport) {
    this.ok++;
    this.backends[backend] = (this.backends[backend] ?? 0) + 1;
    this.transports[transport] = (this.transports[transport] ?? 0) + 1;
  }

  fail(index, message) {
    this.failed++;
    if (this.errors.length < MaxErrors) {
      const text = `client ${index}: ${message}`;
      this.errors.push(text.length > MaxErrorLength ? `${text.slice(0, MaxErrorLength)}…` : text);
    }
  }

  toJSON() {
    return {
      clients: this.clients,
      ok: this.ok,
      failed: this.failed,
      errors: this.errors,
      backends: this.backends,
      transports: this.transports,
      requestsPerTarget: Object.fromEntries(this.requestsPerTarget),
      answerMs: percentiles(this._answerTimes),
    };
  }
}

/** p50, p99 and max of round-trip times, whole milliseconds; all 0 when there were none. */
function percentiles(times) {
  if (times.length === 0) {
    return { p50: 0, p99: 0, max: 0 };
  }
  const sorted = [...times].sort((a, b) => a - b);
  const at = (fraction) => Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]);
  return { p50: at(0.5), p99: at(0.99), max: Math.round(sorted[sorted.length - 1]) };
}

/** Writes the summary as one line, then exits 0: whether the numbers are good is the caller's call. */
function printAndExit(summary, extra) {
  const line = JSON.stringify({ ...summary.toJSON(), ...extra });
  process.stdout.write(`${line}\n`, () => process.exit(0));
}

function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Rejects with "MESSAGE after N ms" unless the promise settles first. */
function within(promise, ms, message) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Milliseconds between a client's calls so that ROUNDS calls spread over about 1.5 s. */
function spacing(rounds) {
  return rounds > 1 ? Math.round(1500 / (rounds - 1)) : 0;
}

module.exports = { Summary, printAndExit, delay, within, spacing };
