"use strict";

// The SignalR chat page: connects to the hub beside it ("hub", relative to the page) with the transport
// named in ?transport= (or the client's default), shows which backend and transport it landed on, and
// sends and shows chat messages.
(() => {
  const element = id => document.getElementById(id);
  const transports = ["WebSockets", "ServerSentEvents", "LongPolling"];

  function show(state, error) {
    element("state").textContent = state;
    document.body.dataset.state = state;
    element("send").disabled = state !== "connected";
    const alert = element("error");
    alert.hidden = !error;
    alert.textContent = error || "";
  }

  if (typeof signalR === "undefined") {
    show("failed", "The SignalR JavaScript client is missing from this build of the chat server. " +
      "Fetch it with `npm ci --prefix samples/SignalRChat/client` (Node.js' npm, from the repository root), " +
      "then build and start the server again.");
    return;
  }

  const query = new URLSearchParams(location.search);
  const requested = query.get("transport");
  element("requested").textContent = requested || "default";
  const options = {};
  if (requested) {
    if (!transports.includes(requested)) {
      show("failed", `Unknown transport '${requested}' in ?transport=: use ${transports.join(", ")}, or leave it out for the default.`);
      return;
    }

    options.transport = signalR.HttpTransportType[requested];
  }

  const connection = new signalR.HubConnectionBuilder()
    .withUrl("hub", options)
    .withAutomaticReconnect()
    .configureLogging(signalR.LogLevel.Warning)
    .build();

  async function identify() {
    const me = await connection.invoke("WhoAmI");
    element("backend").textContent = me.backend;
    element("transport").textContent = me.transport;
    element("connection-id").textContent = me.connectionId;
    show("connected");
  }

  const failed = error => show("failed", `Could not connect to the chat hub: ${error && error.message ? error.message : error}`);

  connection.on("message", (name, text, backend) => {
    const item = document.createElement("li");
    item.textContent = `${name} (via ${backend}): ${text}`;
    element("messages").append(item);
  });
  connection.onreconnecting(error => show("reconnecting", error ? `Connection lost: ${error.message}` : ""));
  connection.onreconnected(() => identify().catch(failed));
  connection.onclose(error => show("disconnected", error ? `Connection closed: ${error.message}` : "Connection closed."));

  element("chat").addEventListener("submit", event => {
    event.preventDefault();
    const text = element("text");
    connection.invoke("Send", element("name").value, text.value)
      .then(() => { text.value = ""; })
      .catch(error => show(document.body.dataset.state, `Could not send: ${error.message}`));
  });

  show("connecting");
  connection.start().then(identify).catch(failed);
})();
