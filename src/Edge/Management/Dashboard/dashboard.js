// The WsOrleans dashboard. It polls GET /status, shows it, keeps the last minutes of live counts in
// memory for the charts, and drains or undrains backends through the admin API (docs/admin-api.md).
// Plain script and no libraries: the edge serves it, and it must work without any other network.
"use strict";

const pollEvery = 1000; // ms from the end of one poll to the next (the page promises ≤ 2 s)
const requestTimeout = 5000; // a request that takes longer is a failure
const chartWindow = 5 * 60 * 1000; // how far back the charts go
const keyStorage = "wsorleans.apiKey";
// Okabe-Ito colours, told apart with most colour-vision deficiencies.
const palette = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#7f7f7f", "#000000"];

const byId = (id) => document.getElementById(id);
const keyInput = byId("api-key");

const history = new Map(); // "pool/id" → [{ t, v }]; v is null where a poll failed
const colours = new Map(); // "pool/id" → colour, kept while the backend exists
const pending = new Set(); // "pool/id" with a drain or undrain in flight
let lastStatus = null;
let lastChange = 0; // when a drain or undrain last completed: older polls are stale

// ---- talking to the edge -------------------------------------------------------------------

/** Sends a request; answers its JSON, or throws an Error whose message carries the problem's detail. */
async function request(method, path, headers = {}) {
  const response = await fetch(path, { method, headers, cache: "no-store", signal: AbortSignal.timeout(requestTimeout) });
  const text = await response.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON: the status line says enough.
  }
  if (!response.ok) {
    const detail = body?.detail ?? text.trim();
    const error = new Error(`${response.status} ${body?.title ?? response.statusText}${detail ? ` — ${detail}` : ""}`);
    error.status = response.status;
    throw error;
  }
  return body;
}

/** Ends text with a full stop unless it already ends a sentence (problem details usually do). */
const sentence = (text) => (/[.!?]$/.test(text) ? text : `${text}.`);

function describe(error) {
  if (error.name === "TimeoutError") {
    return `no answer within ${requestTimeout / 1000} s`;
  }
  if (error instanceof TypeError) {
    return "the request failed; the edge may be stopped or unreachable";
  }
  return error.message;
}

async function poll() {
  const started = Date.now();
  let status = null;
  try {
    status = await request("GET", "status");
  } catch (error) {
    showFailure(error);
  } finally {
    setTimeout(poll, pollEvery);
  }
  if (status) {
    record(status, Date.now());
    showStatus(status, started < lastChange);
  }
}

function showStatus(status, stale) {
  showProblems(status.problems, status.degraded);
  const now = new Date();
  const updated = byId("updated");
  updated.dateTime = now.toISOString();
  updated.textContent = now.toLocaleTimeString();
  // A poll that began before a drain or undrain answered may predate it: the next one will not.
  if (!stale) {
    lastStatus = status;
  }
  render(lastStatus);
}

/**
 * What /status could not read (its "problems", e.g. the silos while Redis is down) and the pools this edge
 * routes by itself because the cluster did not answer ("degraded"), in the banner; hidden when neither.
 */
function showProblems(problems, degraded) {
  const banner = byId("banner");
  const parts = [];
  if (Array.isArray(problems) && problems.length > 0) {
    parts.push(`The cluster's status is incomplete: ${problems.map(sentence).join(" ")}`);
  }
  if (Array.isArray(degraded) && degraded.length > 0) {
    parts.push(`This edge routes ${degraded.map((d) => `pool ${d.pool} (since ${new Date(d.since).toLocaleTimeString()}, ${d.decisions} decisions)`).join(", ")} by itself: ${sentence(degraded[0].reason)}`);
  }
  const text = parts.join(" ");
  if (banner.textContent !== text) {
    banner.textContent = text;
  }
  banner.hidden = !text;
}

function showFailure(error) {
  recordGap(Date.now());
  const banner = byId("banner");
  const what = error.status ? "Cannot read the cluster's status" : "Cannot reach the edge";
  const shown = lastStatus ? ` Showing the state at ${byId("updated").textContent}.` : "";
  const text = `${what}: ${sentence(describe(error))} Retrying every ${pollEvery / 1000} s.${shown}`;
  if (banner.textContent !== text) {
    banner.textContent = text;
  }
  banner.hidden = false;
  if (lastStatus) {
    drawCharts(lastStatus);
  }
}

async function change(pool, id, action) {
  const key = `${pool}/${id}`;
  const apiKey = keyInput.value.trim();
  pending.add(key);
  render(lastStatus);
  try {
    const path = `pools/${encodeURIComponent(pool)}/backends/${encodeURIComponent(id)}/${action}`;
    const backend = await request("POST", path, apiKey ? { Authorization: `Bearer ${apiKey}` } : {});
    lastChange = Date.now();
    // The answer is the backend's entry as /status shows it: show it now, the next poll confirms it.
    const entries = lastStatus.pools.find((p) => p.name === pool)?.backends ?? [];
    const index = entries.findIndex((b) => b.id === id);
    if (index >= 0) {
      entries[index] = backend;
    }
    notify(`Backend ${id} of pool ${pool} is ${backend.adminState}.`, false);
  } catch (error) {
    const refused = error.status === 401 || error.status === 403;
    const hint = error.status === 401 ? " Enter the edge's API key above." : error.status === 403 ? " Check the API key above." : "";
    notify(`Could not ${action} backend ${id} of pool ${pool}: ${sentence(describe(error))}${hint}`, true);
    if (refused) {
      keyInput.focus();
      keyInput.select();
    }
  } finally {
    pending.delete(key);
    render(lastStatus);
  }
}

function notify(text, isError) {
  const notice = byId("notice");
  notice.textContent = text;
  notice.classList.toggle("error", isError);
}

// ---- rendering -----------------------------------------------------------------------------

/** Makes container's children match items, in order, reusing the element of each key (focus stays). */
function reconcile(container, items, keyOf, create, update) {
  const old = new Map([...container.children].map((el) => [el.dataset.key, el]));
  let previous = null;
  for (const item of items) {
    const key = String(keyOf(item));
    let el = old.get(key);
    if (el) {
      old.delete(key);
    } else {
      el = create();
      el.dataset.key = key;
    }
    update(el, item);
    const expected = previous ? previous.nextElementSibling : container.firstElementChild;
    if (el !== expected) {
      container.insertBefore(el, expected);
    }
    previous = el;
  }
  old.forEach((el) => el.remove());
}

const clone = (templateId) => () => byId(templateId).content.firstElementChild.cloneNode(true);

function setText(el, value) {
  const text = value === null || value === undefined || value === "" ? "—" : String(value);
  if (el.textContent !== text) {
    el.textContent = text;
  }
}

const setField = (parent, name, value) => setText(parent.querySelector(`[data-field="${name}"]`), value);

function setBadge(parent, name, value) {
  const el = parent.querySelector(`[data-field="${name}"]`);
  setText(el, value);
  el.dataset.value = value ?? "";
}

function formatTime(value) {
  if (value === null || value === undefined) {
    return null;
  }
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toLocaleString();
}

const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

function render(status) {
  if (!status) {
    return;
  }
  const pools = status.pools ?? [];
  renderOptional("silos", status.silos, (s) => s.address, "silo-template", (row, silo) => {
    setField(row, "address", silo.address);
    setField(row, "status", silo.status);
    setField(row, "since", formatTime(silo.since));
  });
  renderOptional("edges", status.edges, (e) => e.id, "edge-template", (row, edge) => {
    setField(row, "id", edge.id);
    setField(row, "address", edge.address);
    setField(row, "lastHeartbeat", formatTime(edge.lastHeartbeat));
    setField(row, "connections", edge.liveConnections ?? edge.connections);
  });
  reconcile(byId("pools"), pools, (p) => p.name, clone("pool-template"), renderPool);

  const backends = pools.flatMap((p) => p.backends ?? []);
  const parts = [plural(pools.length, "pool"), plural(backends.length, "backend")];
  parts.push(plural(backends.reduce((sum, b) => sum + b.connections, 0), "live connection"));
  if (Array.isArray(status.silos)) {
    parts.push(plural(status.silos.length, "silo"));
  }
  if (Array.isArray(status.edges)) {
    parts.push(plural(status.edges.length, "edge"));
  }
  setText(byId("summary"), parts.join(" · "));
  drawCharts(status);
}

/** Silos and edges: shown only when /status has them (older edges do not). */
function renderOptional(sectionId, items, keyOf, templateId, fill) {
  const section = byId(sectionId);
  section.hidden = !Array.isArray(items);
  if (Array.isArray(items)) {
    reconcile(section.querySelector("tbody"), items, keyOf, clone(templateId), fill);
  }
}

function renderPool(section, pool) {
  section.querySelectorAll('[data-field="name"]').forEach((el) => setText(el, pool.name));
  const settings = [`path ${pool.path}`, pool.strategy];
  if (pool.hashKey) {
    settings.push(`hash key ${pool.hashKey}`);
  }
  if (pool.affinityKey) {
    settings.push(`affinity ${pool.affinityKey}`);
  }
  if (pool.affinityCookie) {
    settings.push(`affinity cookie ${pool.affinityCookie}`);
  }
  settings.push(`version ${pool.version}`);
  setText(section.querySelector('[data-field="settings"]'), settings.join(" · "));
  section.setAttribute("aria-label", `Pool ${pool.name}`);
  reconcile(section.querySelector("tbody"), pool.backends ?? [], (b) => b.id, clone("backend-template"), (row, backend) =>
    renderBackend(row, pool.name, backend));
}

function renderBackend(row, pool, backend) {
  const key = `${pool}/${backend.id}`;
  row.querySelector(".swatch").style.background = colourOf(key);
  setField(row, "id", backend.id);
  setField(row, "address", backend.address);
  setField(row, "weight", backend.weight);
  setDetail(row, "ramp", typeof backend.rampedWeight === "number" ? `slow start: ${backend.rampedWeight} now` : "");
  setField(row, "maxConnections", backend.maxConnections > 0 ? backend.maxConnections : "no cap");
  setBadge(row, "health", backend.health);
  setDetail(row, "healthDetail", healthDetail(backend));
  setBadge(row, "adminState", backend.adminState);
  setDetail(row, "drain", drainCountdown(backend));
  setField(row, "connections", backend.connections);
  // After a lost silo the count may be short until the edges' next reports have rebuilt it.
  const rebuilding = backend.countsRebuilding ? "being rebuilt from the edges' reports" : "";
  setDetail(row, "byEdge", [rebuilding, edgeBreakdown(backend.connectionsByEdge)].filter(Boolean).join(" · "));
  setField(row, "totalConnections", backend.totalConnections);

  const draining = backend.adminState === "draining";
  const verb = draining ? "Undrain" : "Drain";
  const button = row.querySelector("button");
  setText(button, verb);
  button.setAttribute("aria-label", `${verb} backend ${backend.id} of pool ${pool}`);
  button.disabled = pending.has(key);
  button.onclick = () => change(pool, backend.id, verb.toLowerCase());
}

/** A small line under a cell's value: shown with its text, hidden when there is none. */
function setDetail(row, field, text) {
  const detail = row.querySelector(`[data-field="${field}"]`);
  if (detail.textContent !== text) {
    detail.textContent = text;
  }
  detail.hidden = !text;
}

/** A drain with a deadline: "closing 12 in 8 s", then "empty since 12:00:05"; empty otherwise. */
function drainCountdown(backend) {
  if (backend.emptySince) {
    return `empty since ${new Date(backend.emptySince).toLocaleTimeString()}`;
  }
  if (!backend.closeBy) {
    return "";
  }
  const seconds = Math.max(0, Math.ceil((Date.parse(backend.closeBy) - Date.now()) / 1000));
  return `closing ${backend.connections} in ${seconds} s`;
}

/** Which edges carry a backend's live connections ("edge-a 3 · edge-b 2"), from /status's connectionsByEdge. */
function edgeBreakdown(byEdge) {
  return Object.entries(byEdge ?? {})
    .filter(([, count]) => count > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([edge, count]) => `${edge} ${count}`)
    .join(" · ");
}

/**
 * What /status says about the health checks beyond the state (the last probe's time and result, once
 * edges report them): every field named lastProbe… or health…, whatever its shape. Empty when none.
 */
function healthDetail(backend) {
  const parts = [];
  for (const [name, value] of Object.entries(backend)) {
    if (name !== "health" && (name.startsWith("lastProbe") || name.startsWith("health")) && value !== null && value !== undefined) {
      parts.push(`${name} ${formatValue(value)}`);
    }
  }
  return parts.join(" · ");
}

/** Times as local times, objects as their fields, the rest as text. */
function formatValue(value) {
  if (typeof value === "object") {
    return Object.entries(value)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => `${k} ${formatValue(v)}`)
      .join(", ");
  }
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}T/.test(value)) {
    return formatTime(value);
  }
  return String(value);
}

// ---- history and charts --------------------------------------------------------------------

function record(status, now) {
  const seen = new Set();
  for (const pool of status.pools ?? []) {
    for (const backend of pool.backends ?? []) {
      const key = `${pool.name}/${backend.id}`;
      seen.add(key);
      if (!history.has(key)) {
        history.set(key, []);
      }
      history.get(key).push({ t: now, v: backend.connections });
    }
  }
  for (const key of [...history.keys()].filter((k) => !seen.has(k))) {
    history.delete(key);
    colours.delete(key);
  }
  prune(now);
}

function recordGap(now) {
  history.forEach((points) => points.push({ t: now, v: null }));
  prune(now);
}

function prune(now) {
  history.forEach((points) => {
    while (points.length > 0 && points[0].t < now - chartWindow) {
      points.shift();
    }
  });
}

/** A pool's backends get the first colour none of the others has, and keep it. */
function colourOf(key) {
  if (!colours.has(key)) {
    const pool = key.slice(0, key.indexOf("/") + 1);
    const taken = new Set([...colours].filter(([k]) => k.startsWith(pool)).map(([, c]) => c));
    colours.set(key, palette.find((c) => !taken.has(c)) ?? palette[taken.size % palette.length]);
  }
  return colours.get(key);
}

function drawCharts(status) {
  const now = Date.now();
  for (const section of byId("pools").children) {
    const pool = (status.pools ?? []).find((p) => p.name === section.dataset.key);
    if (pool) {
      drawChart(section, pool, now);
    }
  }
}

function drawChart(section, pool, now) {
  const series = (pool.backends ?? []).map((b) => {
    const key = `${pool.name}/${b.id}`;
    return { id: b.id, colour: colourOf(key), connections: b.connections, points: history.get(key) ?? [] };
  });
  reconcile(section.querySelector(".legend"), series, (s) => s.id, clone("legend-template"), (item, s) => {
    item.querySelector(".swatch").style.background = s.colour;
    setField(item, "id", s.id);
    setField(item, "connections", s.connections);
  });
  const canvas = section.querySelector("canvas");
  const summary = series.map((s) => `${s.id} ${s.connections}`).join(", ");
  canvas.setAttribute("aria-label", `Live connections per backend of pool ${pool.name} over the last 5 minutes; now ${summary || "no backends"}`);
  plot(canvas, series, now);
}

/** The smallest of 1, 2, 5 × 10ⁿ that is at least value, so grid lines fall on round counts. */
function roundUp(value) {
  const step = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((m) => m * step).find((v) => v >= value);
}

function plot(canvas, series, now) {
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  if (width === 0 || height === 0) {
    return;
  }
  const ratio = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
  }
  const g = canvas.getContext("2d");
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, width, height);

  const style = getComputedStyle(canvas);
  const left = 36;
  const right = width - 8;
  const top = 8;
  const bottom = height - 20;
  const max = roundUp(Math.max(1, ...series.flatMap((s) => s.points.map((p) => p.v ?? 0))));
  const x = (t) => right - ((now - t) / chartWindow) * (right - left);
  const y = (v) => bottom - (v / max) * (bottom - top);

  // Counts up the side, minutes along the bottom.
  g.font = `11px ${style.fontFamily}`;
  g.fillStyle = style.color;
  g.strokeStyle = style.getPropertyValue("--grid").trim() || "#ccc";
  g.lineWidth = 1;
  g.textAlign = "right";
  g.textBaseline = "middle";
  const divisions = max === 1 ? 1 : max === 2 ? 2 : String(max)[0] === "2" ? 4 : 5;
  for (let i = 0; i <= divisions; i++) {
    const value = (max * i) / divisions;
    const py = Math.round(y(value)) + 0.5;
    g.beginPath();
    g.moveTo(left, py);
    g.lineTo(right, py);
    g.stroke();
    g.fillText(String(value), left - 6, py);
  }
  g.textBaseline = "top";
  const minutes = chartWindow / 60000;
  for (let m = 0; m <= minutes; m++) {
    g.textAlign = m === 0 ? "right" : m === minutes ? "left" : "center";
    g.fillText(m === 0 ? "now" : `−${m} min`, x(now - m * 60000), bottom + 5);
  }

  // One line per backend; a failed poll breaks it.
  g.lineWidth = 2;
  g.lineJoin = "round";
  for (const s of series) {
    g.strokeStyle = s.colour;
    g.beginPath();
    let drawing = false;
    for (const p of s.points) {
      if (p.v === null) {
        drawing = false;
        continue;
      }
      const px = Math.max(left, x(p.t));
      if (drawing) {
        g.lineTo(px, y(p.v));
      } else {
        g.moveTo(px, y(p.v));
      }
      drawing = true;
    }
    g.stroke();
  }
}

// ---- start ---------------------------------------------------------------------------------

// sessionStorage: the key stays in this tab, survives a reload, and is gone when the tab closes.
try {
  keyInput.value = sessionStorage.getItem(keyStorage) ?? "";
} catch {
  // Storage disabled: the key then lasts as long as the page.
}
keyInput.addEventListener("input", () => {
  try {
    const key = keyInput.value.trim();
    if (key) {
      sessionStorage.setItem(keyStorage, key);
    } else {
      sessionStorage.removeItem(keyStorage);
    }
  } catch {
    // As above.
  }
});
byId("key-form").addEventListener("submit", (event) => event.preventDefault());
window.addEventListener("resize", () => lastStatus && drawCharts(lastStatus));
poll();
