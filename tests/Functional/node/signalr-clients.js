#!/usr/bin/env node
// SignalR clients (the official @microsoft/signalr package) run against one or more targets.
//
//   node signalr-clients.js --targets http://127.0.0.1:A[,http://127.0.0.1:B...] [--hub /chat/hub]
//       [--count 10] [--transport default|WebSockets|ServerSentEvents|LongPolling]
//       [--cookies true|false] [--forwarded-for PREFIX] [--rounds 5] [--timeout-ms 10000]
//
// Each client's HTTP requests (negotiate, sends, polls, the SSE stream) and WebSocket connects go
// to the targets in turn, as behind an L4 round robin in front of several proxies. A client
// starts its connection, invokes WhoAmI() ROUNDS times over about 1.5 s and Echo(text) once, and
// succeeds when every WhoAmI names the same backend and connection and Echo returns its text.
// Cookies are kept in the client's own jar (tough-cookie, per host name: the targets' ports do
// not matter, so the targets should share one host name); --cookies false sends none back.
// --forwarded-for P sends "X-Forwarded-For: P<i>" from client i.
//
// Prints one JSON line and exits 0, whatever the outcome:
//   { "clients", "ok", "failed", "errors": [first few], "backends": { id: ok clients },
//     "transports": { name from WhoAmI: ok clients }, "requestsPerTarget": { origin: requests },
//     "answerMs": { p50, p99, max } of the WhoAmI round trips that were answered,
//     "durationMs" }
// Exits 2 on bad arguments.
"use strict";

const signalR = require("@microsoft/signalr");
const { parseArgs, parseTargets } = require("./args");
const { Rotation } = require("./rotation");
const { Summary, printAndExit, delay, within, spacing } = require("./summary");

// The WebSocket and EventSource implementations the SignalR client itself uses in Node.
const signalRMain = require.resolve("@microsoft/signalr");
const WebSocketImpl = require(require.resolve("ws", { paths: [signalRMain] }));
const EventSourceImpl = require(require.resolve("eventsource", { paths: [signalRMain] }));

const usage = "usage: node signalr-clients.js --targets URL[,URL...] [--hub /chat/hub] [--count N] "
  + "[--transport default|WebSockets|ServerSentEvents|LongPolling] [--cookies true|false] "
  + "[--forwarded-for PREFIX] [--rounds R] [--timeout-ms MS]";
const args = parseArgs(process.argv.slice(2), {
  targets: { required: true },
  hub: { default: "/chat/hub" },
  count: { default: "10", integer: [1, 100000] },
  transport: { default: "default", oneOf: ["default", "WebSockets", "ServerSentEvents", "LongPolling"] },
  cookies: { default: "true", oneOf: ["true", "false"] },
  "forwarded-for": {},
  rounds: { default: "5", integer: [1, 10000] },
  "timeout-ms": { default: "10000", integer: [1, 600000] },
}, usage);
const targets = parseTargets(args.targets, usage);
if (!args.hub.startsWith("/")) {
  process.stderr.write(`argument '--hub' is '${args.hub}'; expected a path starting with /\n${usage}\n`);
  process.exit(2);
}
const timeoutMs = args["timeout-ms"];
const keepCookies = args.cookies === "true";

// HttpTransportType's numbers, for a hub that returns the enum as a number.
const transportNames = { 1: "WebSockets", 2: "ServerSentEvents", 4: "LongPolling" };

const summary = new Summary(args.count);

/** Sends every request to the next target; with cookies off, each request gets an empty jar. */
class RotatingHttpClient extends signalR.HttpClient {
  constructor(rotation) {
    super();
    this._rotation = rotation;
    this._inner = new signalR.DefaultHttpClient(signalR.NullLogger.instance);
  }

  send(request) {
    const client = keepCookies ? this._inner : new signalR.DefaultHttpClient(signalR.NullLogger.instance);
    return client.send({ ...request, url: this._rotation.rewrite(request.url) });
  }

  getCookieString(url) {
    return keepCookies ? this._inner.getCookieString(url) : "";
  }
}

/** A constructor the client calls with "new": it builds the real object for the next target. */
function rotating(Impl, rotation) {
  function Rotating(url, ...rest) {
    return new Impl(rotation.rewrite(url), ...rest);
  }
  for (const name of ["CONNECTING", "OPEN", "CLOSING", "CLOSED"]) {
    Rotating[name] = Impl[name];
  }
  return Rotating;
}

/** Remembers the last error the client logged: it often says more than the error start() throws. */
class LastErrorLogger {
  log(level, message) {
    if (level >= signalR.LogLevel.Error) {
      this.lastError = message;
    }
  }
}

/** WhoAmI's answer, whether the hub's JSON names are camelCase or PascalCase. */
function whoAmI(answer) {
  const value = answer ?? {};
  return {
    backend: value.backend ?? value.Backend,
    transport: value.transport ?? value.Transport,
    connectionId: value.connectionId ?? value.ConnectionId,
  };
}

async function runClient(index) {
  const rotation = new Rotation(targets, index, summary.requestsPerTarget);
  const logger = new LastErrorLogger();
  const connection = new signalR.HubConnectionBuilder()
    .withUrl(`${targets[0].origin}${args.hub}`, {
      transport: args.transport === "default" ? undefined : signalR.HttpTransportType[args.transport],
      httpClient: new RotatingHttpClient(rotation),
      WebSocket: rotating(WebSocketImpl, rotation),
      EventSource: rotating(EventSourceImpl, rotation),
      headers: args["forwarded-for"] === undefined ? undefined : { "X-Forwarded-For": `${args["forwarded-for"]}${index}` },
      timeout: timeoutMs,
    })
    .configureLogging(logger)
    .build();

  const closed = new Promise((_, reject) => {
    connection.onclose((error) => reject(new Error(`connection closed${error ? `: ${error.message}` : ""}`)));
  });
  closed.catch(() => {});

  try {
    await within(connection.start(), timeoutMs, "no start");
    let first;
    for (let round = 0; round < args.rounds; round++) {
      if (round > 0) {
        await delay(spacing(args.rounds));
      }
      const asked = performance.now();
      const answer = whoAmI(await Promise.race([within(connection.invoke("WhoAmI"), timeoutMs, `no WhoAmI answer in round ${round}`), closed]));
      summary.answered(performance.now() - asked);
      if (first === undefined) {
        first = answer;
      } else if (answer.backend !== first.backend || answer.connectionId !== first.connectionId) {
        throw new Error(`round ${round} answered by ${answer.backend}/${answer.connectionId}, round 0 by ${first.backend}/${first.connectionId}`);
      }
    }
    const text = `echo from client ${index}`;
    const echoed = await Promise.race([within(connection.invoke("Echo", text), timeoutMs, "no Echo answer"), closed]);
    if (echoed !== text) {
      throw new Error(`Echo returned ${JSON.stringify(echoed)}, expected ${JSON.stringify(text)}`);
    }
    summary.succeeded(first.backend, transportNames[first.transport] ?? String(first.transport));
  } catch (error) {
    const lastError = logger.lastError;
    const logged = lastError === undefined || lastError.includes(error.message) || error.message.includes(lastError) ? "" : ` (last logged: ${lastError})`;
    summary.fail(index, `${error.message}${logged}`);
  } finally {
    await within(connection.stop(), timeoutMs, "no stop").catch(() => {});
  }
}

async function main() {
  const started = Date.now();
  const clients = [];
  for (let i = 0; i < args.count; i++) {
    clients.push(runClient(i));
  }
  await Promise.all(clients);
  printAndExit(summary, { durationMs: Date.now() - started });
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
