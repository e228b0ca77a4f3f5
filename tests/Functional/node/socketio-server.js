#!/usr/bin/env node
// One Socket.IO server, the backend the functional tests put behind the edges.
//
//   node socketio-server.js --id ID --port PORT [--host 127.0.0.1] [--path /socket.io/]
//
// Answers the event "whoami" (with an ack) with { backend: ID, transport: "polling" | "websocket" },
// the transport being the one the server sees at that moment. Prints exactly one line on stdout,
// "listening PORT", once it listens (PORT 0 picks a free port and prints it). Exits on SIGTERM or
// SIGINT after closing its listener and its sockets.
"use strict";

const http = require("node:http");
const { Server } = require("socket.io");
const { parseArgs } = require("./args");

const usage = "usage: node socketio-server.js --id ID --port PORT [--host 127.0.0.1] [--path /socket.io/]";
const args = parseArgs(process.argv.slice(2), {
  id: { required: true },
  port: { required: true, integer: [0, 65535] },
  host: { default: "127.0.0.1" },
  path: { default: "/socket.io/" },
}, usage);

const httpServer = http.createServer();
const io = new Server(httpServer, { path: args.path, serveClient: false });

io.on("connection", (socket) => {
  socket.on("whoami", (ack) => {
    if (typeof ack === "function") {
      ack({ backend: args.id, transport: socket.conn.transport.name });
    }
  });
});

httpServer.on("error", (error) => {
  process.stderr.write(`socketio-server ${args.id}: ${error.message}\n`);
  process.exit(1);
});

httpServer.listen(args.port, args.host, () => {
  process.stdout.write(`listening ${httpServer.address().port}\n`);
});

let stopping = false;
function stop() {
  if (stopping) {
    return;
  }
  stopping = true;
  // io.close() disconnects every client and closes the HTTP listener; a connection that does not
  // go away by itself must not keep the process alive.
  setTimeout(() => process.exit(0), 2000).unref();
  io.close(() => process.exit(0));
}

process.on("SIGTERM", stop);
process.on("SIGINT", stop);
