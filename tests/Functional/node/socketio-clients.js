#!/usr/bin/env node
// Socket.IO clients (the official socket.io-client) run against one or more targets.
//
//   node socketio-clients.js --targets http://127.0.0.1:A[,http://127.0.0.1:B...] [--count 10]
//       [--transports default|websocket] [--cookies true|false] [--forwarded-for PREFIX]
//       [--path /socket.io/] [--rounds 5] [--timeout-ms 10000]
//
// Each client's TCP connections (every polling request, every WebSocket connect) go to the targets
// in turn, as behind an L4 round robin in front of several proxies. A client connects, waits for
// the upgrade to WebSocket when the transports are the default ones (polling, then websocket),
// asks "whoami" ROUNDS times over about 1.5 s and succeeds when every answer names the same
// backend. --cookies is the client's withCredentials: the Node client keeps cookies only then.
// --forwarded-for P sends "X-Forwarded-For: P<i>" from client i.
//
// Prints one JSON line and exits 0, whatever the outcome:
//   { "clients", "ok", "failed", "errors": [first few], "backends": { id: ok clients },
//     "transports": { name: ok clients }, "requestsPerTarget": { origin: connections },
//     "answerMs": { p50, p99, max } of the whoami round trips that were answered,
//     "upgraded": clients whose engine upgraded to websocket, "durationMs" }
// Exits 2 on bad arguments.
"use strict";

const { io } = require("socket.io-client");
const { parseArgs, parseTargets } = require("./args");
const { Rotation } = require("./rotation");
const { Summary, printAndExit, delay, within, spacing } = require("./summary");

const usage = "usage: node socketio-clients.js --targets URL[,URL...] [--count N] [--transports default|websocket] "
  + "[--cookies true|false] [--forwarded-for PREFIX] [--path /socket.io/] [--rounds R] [--timeout-ms MS]";
const args = parseArgs(process.argv.slice(2), {
  targets: { required: true },
  count: { default: "10", integer: [1, 100000] },
  transports: { default: "default", oneOf: ["default", "websocket"] },
  cookies: { default: "true", oneOf: ["true", "false"] },
  "forwarded-for": {},
  path: { default: "/socket.io/" },
  rounds: { default: "5", integer: [1, 10000] },
  "timeout-ms": { default: "10000", integer: [1, 600000] },
}, usage);
const targets = parseTargets(args.targets, usage);
const timeoutMs = args["timeout-ms"];
const upgrading = args.transports === "default";

const summary = new Summary(args.count);
let upgraded = 0;

async function runClient(index) {
  const rotation = new Rotation(targets, index, summary.requestsPerTarget);
  const socket = io(targets[0].origin, {
    path: args.path,
    transports: upgrading ? ["polling", "websocket"] : ["websocket"],
    withCredentials: args.cookies === "true",
    extraHeaders: args["forwarded-for"] === undefined ? undefined : { "X-Forwarded-For": `${args["forwarded-for"]}${index}` },
    agent: rotation.agent(),
    forceNew: true,
    reconnection: false,
    timeout: timeoutMs,
  });

  // The manager creates its engine at once; the upgrade may finish before "connect" does.
  const engine = socket.io.engine;
  let upgradeError;
  const upgrade = new Promise((resolve) => {
    engine.once("upgrade", () => resolve(true));
    engine.once("upgradeError", (error) => {
      upgradeError = describe(error);
      resolve(false);
    });
  });
  let disconnected;
  const disconnect = new Promise((_, reject) => {
    socket.once("disconnect", (reason, details) => {
      disconnected = `disconnected (${reason}${details?.description ? `: ${describe(details.description)}` : ""})`;
      reject(new Error(disconnected));
    });
  });
  disconnect.catch(() => {});

  try {
    await within(new Promise((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("connect_error", (error) => reject(new Error(`connect_error: ${describe(error)}`)));
    }), timeoutMs, "no connect");

    if (upgrading) {
      const didUpgrade = engine.transport.name === "websocket" || await within(upgrade, timeoutMs, "no upgrade nor upgrade error");
      if (didUpgrade) {
        upgraded++;
      }
    } else {
      upgraded++;
    }

    let backend;
    let transport;
    for (let round = 0; round < args.rounds; round++) {
      if (round > 0) {
        await delay(spacing(args.rounds));
      }
      const asked = performance.now();
      const answer = await Promise.race([socket.timeout(timeoutMs).emitWithAck("whoami"), disconnect]);
      summary.answered(performance.now() - asked);
      if (backend !== undefined && answer.backend !== backend) {
        throw new Error(`round ${round} answered by backend ${answer.backend}, earlier rounds by ${backend}`);
      }
      backend = answer.backend;
      transport = answer.transport;
    }
    summary.succeeded(backend, transport);
  } catch (error) {
    const note = upgradeError === undefined ? "" : ` (upgrade failed: ${upgradeError})`;
    summary.fail(index, `${error.message}${note}`);
  } finally {
    socket.disconnect();
  }
}

/** An engine.io error: its message plus the HTTP status or cause it carries, when there is one. */
function describe(error) {
  if (error === undefined || error === null) {
    return "unknown";
  }
  if (typeof error !== "object") {
    return String(error);
  }
  const cause = error.description;
  if (cause === undefined || cause === null) {
    return error.message ?? String(error);
  }
  if (typeof cause === "number") {
    return `${error.message} (${cause === 0 ? "no HTTP response" : `HTTP ${cause}`})`;
  }
  const detail = typeof cause === "object" ? (cause.message ?? cause.type ?? String(cause)) : String(cause);
  return `${error.message} (${detail})`;
}

async function main() {
  const started = Date.now();
  const clients = [];
  for (let i = 0; i < args.count; i++) {
    clients.push(runClient(i));
  }
  await Promise.all(clients);
  printAndExit(summary, { upgraded, durationMs: Date.now() - started });
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
