// Spreads one client's requests over several targets the way an L4 round robin in front of two
// proxies would: each new TCP connection (an HTTP request or a WebSocket connect) goes to the next
// target. Counts connections per target for the summary.
"use strict";

const http = require("node:http");
const https = require("node:https");
const net = require("node:net");
const tls = require("node:tls");

class Rotation {
  /**
   * @param {URL[]} targets base URLs, all http: or all https:
   * @param {number} start index of the target the first connection goes to
   * @param {Map<string, number>} counts connections per target (origin), shared by all clients
   */
  constructor(targets, start, counts) {
    this._targets = targets;
    this._next = start % targets.length;
    this._counts = counts;
  }

  /** The target for the next connection; advances the rotation and counts the connection. */
  take() {
    const target = this._targets[this._next];
    this._next = (this._next + 1) % this._targets.length;
    this._counts.set(target.origin, (this._counts.get(target.origin) ?? 0) + 1);
    return target;
  }

  /**
   * Rewrites an absolute URL's host and port to the next target's; an http(s) URL takes the
   * target's scheme, a ws(s) URL its WebSocket counterpart.
   */
  rewrite(url) {
    const target = this.take();
    const rewritten = new URL(url);
    const secure = target.protocol === "https:";
    const webSocket = rewritten.protocol === "ws:" || rewritten.protocol === "wss:";
    rewritten.protocol = webSocket ? (secure ? "wss:" : "ws:") : target.protocol;
    rewritten.hostname = target.hostname;
    rewritten.port = target.port;
    return rewritten.toString();
  }

  /**
   * An agent without keep-alive whose every connection goes to the next target, whatever host the
   * request names (its Host header keeps naming the first target, as behind a real L4 balancer).
   */
  agent() {
    const secure = this._targets[0].protocol === "https:";
    const rotation = this;
    const Base = secure ? https.Agent : http.Agent;
    const agent = new Base({ keepAlive: false });
    // Node's agent connects with whatever this returns; "path" in its options is the request's path,
    // which net.connect would take for a Unix socket, so only the endpoint and TLS settings go on.
    agent.createConnection = function createConnection(options) {
      const target = rotation.take();
      const { path: _path, socketPath: _socketPath, ...rest } = options;
      const endpoint = { ...rest, host: target.hostname, port: Number(target.port || (secure ? 443 : 80)) };
      return secure ? tls.connect(endpoint) : net.connect(endpoint);
    };
    return agent;
  }
}

module.exports = { Rotation };
