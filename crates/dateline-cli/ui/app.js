// dateline web UI: plain JavaScript and SVG, no build step, no dependencies.
// Views (hash routes): #/ documents, #/search?q=, #/doc/ID?ev=N, #/events?...,
// #/timeline?..., #/network?...
"use strict";

const view = document.getElementById("view");
const statusBar = document.getElementById("status");

// ---------- helpers ----------
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") el.className = v;
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}
const svgNS = "http://www.w3.org/2000/svg";
function s(tag, attrs, ...children) {
  const el = document.createElementNS(svgNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v);
  }
  for (const c of children.flat()) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}
function qs(params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && String(v).trim() !== "") u.set(k, v);
  return u.toString();
}
async function api(path, params) {
  const url = "/api/" + path + (params ? "?" + qs(params) : "");
  const r = await fetch(url, { headers: { Accept: "application/json" } });
  let body = null;
  try { body = await r.json(); } catch (_) { /* not JSON */ }
  if (!r.ok) throw new Error((body && body.error && body.error.message) || r.status + " " + r.statusText);
  return body;
}
function route() {
  const hash = location.hash.replace(/^#/, "") || "/";
  const [path, query] = hash.split("?");
  return { path, params: Object.fromEntries(new URLSearchParams(query || "")) };
}
function go(path, params) {
  const q = params ? qs(params) : "";
  location.hash = "#" + path + (q ? "?" + q : "");
}
function showError(e) {
  view.replaceChildren(h("p", { class: "error" }, "Error: " + e.message));
}
function fmtDate(d) { return d ? d.slice(0, 10) : ""; }
const palette = ["#0b5cad", "#d9480f", "#2b8a3e", "#862e9c", "#c2185b", "#e67700", "#1098ad", "#5c940d", "#364fc7", "#a61e4d", "#495057", "#087f5b"];
function color(i) { return palette[i % palette.length]; }

// ---------- search form ----------
const form = document.getElementById("search-form");
form.addEventListener("submit", (ev) => {
  ev.preventDefault();
  const f = new FormData(form);
  go("/search", { q: f.get("q"), lang: f.get("lang"), from: f.get("from"), to: f.get("to"), source: f.get("source") });
});
function syncForm(p) {
  for (const k of ["q", "lang", "from", "to", "source"]) {
    const el = form.elements[k];
    if (el && p[k] !== undefined) el.value = p[k];
  }
}

// ---------- views ----------
async function documentsView() {
  const data = await api("documents", { limit: 50 });
  const health = await api("health");
  statusBar.textContent = `${health.counts.documents} documents, ${health.counts.entities} entities, ${health.counts.events} events in the store`;
  view.replaceChildren(
    h("h1", {}, "Latest documents"),
    data.documents.length ? h("ul", { class: "hits", id: "documents" },
      data.documents.map((d) => h("li", {},
        h("a", { class: "hit", href: "#/doc/" + encodeURIComponent(d.id) }, d.title || "(untitled)"),
        h("div", { class: "meta" }, [fmtDate(d.date), d.lang, d.source].filter(Boolean).join(" · "),
          h("span", { class: "tag" }, d.entities + " entities"), h("span", { class: "tag" }, d.events + " events"))))) :
      h("p", { class: "empty" }, "The store is empty: run `dateline ingest PATHS`."));
}

async function searchView(p) {
  syncForm(p);
  if (!p.q || !p.q.trim()) return documentsView();
  view.replaceChildren(h("p", { class: "meta" }, "Searching…"));
  const data = await api("search", { q: p.q, lang: p.lang, from: p.from, to: p.to, source: p.source, limit: 50 });
  const list = h("ul", { class: "hits", id: "results" });
  for (const hit of data.hits) {
    const snip = h("div", { class: "snippet" });
    snip.innerHTML = hit.snippet_html; // escaped by the server, only <mark> added
    list.append(h("li", { class: "result" },
      h("a", { class: "hit", href: "#/doc/" + encodeURIComponent(hit.id) }, hit.title || "(untitled)"),
      h("div", { class: "meta" }, [fmtDate(hit.date), hit.lang, hit.source].filter(Boolean).join(" · ")),
      snip));
  }
  view.replaceChildren(
    h("h1", {}, `${data.total}${data.total_exact ? "" : "+"} documents match “${p.q}”`),
    data.hits.length ? list : h("p", { class: "empty" }, "Nothing found."));
}

// Builds the highlighted text: entity mentions, timexes, event triggers, and
// the sentence of the selected event. Spans are in code points.
function renderText(doc, selected) {
  const chars = Array.from(doc.text);
  const n = chars.length;
  const marks = []; // {start, end, cls, data}
  doc.entities.forEach((e) => e.mentions.forEach((m) => marks.push({ start: m.span[0], end: m.span[1], cls: "ent ent-" + e.type, title: `${e.name} (${e.type}${e.kb && e.kb.qid ? ", " + e.kb.qid : ""})` })));
  doc.timexes.forEach((t) => marks.push({ start: t.span[0], end: t.span[1], cls: "timex", title: `${t.type} ${t.value}` }));
  doc.events.forEach((ev, i) => marks.push({ start: ev.trigger[0], end: ev.trigger[1], cls: "trigger" + (i === selected ? " selected-trigger" : ""), ev: i, title: ev.type }));
  if (selected !== null && doc.events[selected]) {
    const se = doc.events[selected].sentence;
    marks.push({ start: se[0], end: se[1], cls: "in-sentence" });
  }
  const cuts = new Set([0, n]);
  for (const m of marks) { m.start = Math.max(0, Math.min(n, m.start)); m.end = Math.max(m.start, Math.min(n, m.end)); cuts.add(m.start); cuts.add(m.end); }
  const points = [...cuts].sort((a, b) => a - b);
  const box = h("div", { class: "doc-text", id: "doc-text" });
  for (let k = 0; k + 1 < points.length; k++) {
    const a = points[k], b = points[k + 1];
    const piece = chars.slice(a, b).join("");
    const active = marks.filter((m) => m.start <= a && m.end >= b && m.end > m.start);
    if (!active.length) { box.append(piece); continue; }
    const span = h("span", { class: active.map((m) => m.cls).join(" "), title: active.map((m) => m.title).filter(Boolean).join("; ") || null }, piece);
    const trig = active.find((m) => m.ev !== undefined);
    if (trig) {
      span.dataset.event = trig.ev;
      span.addEventListener("click", () => selectEvent(trig.ev));
    }
    box.append(span);
  }
  return box;
}

let currentDoc = null;
function entityName(doc, id) {
  const e = doc.entities.find((x) => x.id === id);
  return e ? e.name : null;
}
function participant(doc, p) {
  if (!p) return "—";
  const name = p.entity ? entityName(doc, p.entity) : null;
  const parts = [name, p.code].filter(Boolean);
  return parts.length ? parts.join(" · ") : "—";
}
function slice(doc, span) { return Array.from(doc.text).slice(span[0], span[1]).join(""); }

function eventDetail(doc, i) {
  const ev = doc.events[i];
  if (!ev) return h("div", { id: "event-detail", class: "panel" }, h("h2", {}, "Event"), h("p", { class: "empty" }, "Click an event to see its sentence."));
  const attribution = ev.attribution.length
    ? ev.attribution.map((a) => [a.entity ? entityName(doc, a.entity) : null, "“" + a.text + "”"].filter(Boolean).join(": ")).join("; ")
    : "— (asserted by the article)";
  return h("div", { id: "event-detail", class: "panel" },
    h("h2", {}, `Event: ${ev.type}`, ev.cameo ? h("span", { class: "tag" }, "CAMEO " + ev.cameo) : null, ev.quad ? h("span", { class: "tag" }, "quad " + ev.quad) : null),
    h("div", { class: "sentence", id: "event-sentence" }, slice(doc, ev.sentence)),
    h("dl", {},
      h("dt", {}, "trigger"), h("dd", {}, slice(doc, ev.trigger)),
      h("dt", {}, "actor"), h("dd", { id: "event-actor" }, participant(doc, ev.actor)),
      h("dt", {}, "recipient"), h("dd", { id: "event-recipient" }, participant(doc, ev.recipient)),
      h("dt", {}, "date"), h("dd", { id: "event-date" }, ev.date || (doc.date ? fmtDate(doc.date) + " (article)" : "—")),
      h("dt", {}, "modality"), h("dd", { id: "event-modality" }, ev.modality),
      h("dt", {}, "according to"), h("dd", { id: "event-attribution" }, attribution),
      ev.location ? [h("dt", {}, "location"), h("dd", {}, ev.location)] : null,
      h("dt", {}, "confidence"), h("dd", {}, String(Math.round(ev.confidence * 100) / 100))));
}

function selectEvent(i) {
  if (!currentDoc) return;
  const doc = currentDoc;
  document.getElementById("doc-text").replaceWith(renderText(doc, i));
  document.getElementById("event-detail").replaceWith(eventDetail(doc, i));
  document.querySelectorAll("#event-list li").forEach((li) => li.classList.toggle("active", Number(li.dataset.event) === i));
  const t = document.querySelector(".selected-trigger");
  if (t && t.scrollIntoView) t.scrollIntoView({ block: "center", behavior: "smooth" });
  history.replaceState(null, "", "#/doc/" + encodeURIComponent(doc.id) + "?ev=" + i);
}

async function docView(id, p) {
  const doc = await api("documents/" + encodeURIComponent(id));
  currentDoc = doc;
  const selected = p.ev !== undefined && doc.events[Number(p.ev)] ? Number(p.ev) : null;
  const ents = [...doc.entities].sort((a, b) => b.mentions.length - a.mentions.length);
  view.replaceChildren(
    h("h1", { id: "doc-title" }, doc.title || "(untitled)"),
    h("p", { class: "meta" }, [fmtDate(doc.date), doc.lang, doc.source.url || doc.source.path, doc.source.format].filter(Boolean).join(" · ")),
    h("p", { class: "legend" }, h("span", { class: "ent-PER" }, "person"), h("span", { class: "ent-ORG" }, "organisation"), h("span", { class: "ent-LOC" }, "place"),
      h("span", { class: "ent-MISC" }, "other"), h("span", { class: "timex" }, "time"), h("span", { class: "trigger" }, "event (click)")),
    h("div", { class: "doc" },
      renderText(doc, selected),
      h("div", { class: "side" },
        eventDetail(doc, selected),
        h("div", { class: "panel" }, h("h2", {}, `Events (${doc.events.length})`),
          doc.events.length ? h("ul", { class: "event-list", id: "event-list" }, doc.events.map((ev, i) =>
            h("li", { "data-event": i, class: i === selected ? "active" : null, onclick: () => selectEvent(i) },
              h("strong", {}, ev.type), " ", participant(doc, ev.actor), " → ", participant(doc, ev.recipient),
              h("span", { class: "tag" }, ev.modality)))) : h("p", { class: "empty" }, "No events in this document.")),
        h("div", { class: "panel" }, h("h2", {}, `Entities (${doc.entities.length})`),
          doc.entities.length ? h("ul", {}, ents.map((e) => h("li", {}, h("span", { class: "ent ent-" + e.type }, e.name), h("span", { class: "tag" }, e.type),
            e.kb && e.kb.qid ? h("span", { class: "tag" }, e.kb.qid) : null, h("span", { class: "tag" }, e.mentions.length + "×")))) : h("p", { class: "empty" }, "None.")),
        h("div", { class: "panel" }, h("h2", {}, `Times (${doc.timexes.length})`),
          doc.timexes.length ? h("ul", {}, doc.timexes.map((t) => h("li", {}, h("span", { class: "timex" }, t.text), " ", h("span", { class: "tag" }, t.value)))) : h("p", { class: "empty" }, "None.")),
        doc.removed.length ? h("div", { class: "panel" }, h("h2", {}, `Removed by cleaning (${doc.removed.length})`),
          h("ul", {}, doc.removed.map((r) => h("li", {}, h("span", { class: "tag" }, r.kind), " ", r.text)))) : null)));
}

const eventFields = [["actor", "actor"], ["recipient", "recipient"], ["either", "actor or recipient"], ["type", "type (CONSULT, 04)"], ["quad", "quad 1-4"],
  ["modality", "modality"], ["from", "from"], ["to", "to"], ["source", "source"], ["lang", "lang"]];
function filterForm(p, target) {
  const f = h("form", { class: "filters", id: "event-filters" },
    eventFields.map(([k, label]) => h("input", { name: k, placeholder: label, value: p[k] || "", size: k === "quad" || k === "lang" ? 6 : 14 })),
    h("button", { type: "submit" }, "Filter"));
  f.addEventListener("submit", (e) => {
    e.preventDefault();
    go(target, Object.fromEntries(new FormData(f).entries()));
  });
  return f;
}
function eventParams(p) {
  const out = {};
  for (const [k] of eventFields) if (p[k]) out[k] = p[k];
  return out;
}

async function eventsView(p) {
  const data = await api("events", { ...eventParams(p), limit: 200 });
  const rows = data.events.map((e) => h("tr", { class: "clickable", onclick: () => go("/doc/" + encodeURIComponent(e.doc_id), { ev: e.index }) },
    h("td", {}, e.day || ""), h("td", {}, e.type, e.cameo ? h("span", { class: "tag" }, e.cameo) : null), h("td", {}, e.actor || ""), h("td", {}, e.recipient || ""),
    h("td", {}, e.modality), h("td", {}, e.attributed_to || ""), h("td", {}, e.sentence)));
  view.replaceChildren(h("h1", {}, "Events"), filterForm(p, "/events"),
    rows.length ? h("table", { id: "events-table" }, h("thead", {}, h("tr", {}, ["day", "type", "actor", "recipient", "modality", "according to", "sentence"].map((c) => h("th", {}, c)))), h("tbody", {}, rows))
      : h("p", { class: "empty" }, "No events match."));
}

async function timelineView(p) {
  const group = p.group === "dyad" ? "dyad" : "type";
  const data = await api("timeline", { ...eventParams(p), group });
  // a continuous axis: every day between the first and the last, or every
  // month when that spans more than 120 days
  const seen = [...new Set(data.rows.map((r) => r.day))].sort();
  const dayMs = 86400000;
  const first = seen.length ? Date.parse(seen[0]) : 0, last = seen.length ? Date.parse(seen[seen.length - 1]) : 0;
  const monthly = (last - first) / dayMs > 120;
  const bucket = (d) => (monthly ? d.slice(0, 7) : d);
  const days = [];
  if (seen.length) {
    if (monthly) {
      let [y, m] = seen[0].slice(0, 7).split("-").map(Number);
      const end = seen[seen.length - 1].slice(0, 7);
      for (let k = 0; k < 1200; k++) {
        const key = `${y}-${String(m).padStart(2, "0")}`;
        days.push(key);
        if (key >= end) break;
        m++; if (m > 12) { m = 1; y++; }
      }
    } else {
      for (let t = first; t <= last; t += dayMs) days.push(new Date(t).toISOString().slice(0, 10));
    }
  }
  data.rows.forEach((r) => { r.day = bucket(r.day); });
  const totals = {};
  data.rows.forEach((r) => { totals[r.key] = (totals[r.key] || 0) + r.count; });
  const keys = Object.keys(totals).sort((a, b) => totals[b] - totals[a]);
  const top = keys.slice(0, 11);
  const keyOf = (k) => (top.includes(k) ? k : "other");
  const series = top.concat(keys.length > top.length ? ["other"] : []);
  const byDay = {};
  data.rows.forEach((r) => { const d = (byDay[r.day] = byDay[r.day] || {}); d[keyOf(r.key)] = (d[keyOf(r.key)] || 0) + r.count; });
  const max = Math.max(1, ...days.map((d) => Object.values(byDay[d] || {}).reduce((a, b) => a + b, 0)));
  const W = Math.max(900, Math.min(4000, days.length * 8 + 60)), H = 320, left = 40, bottom = 70;
  const bw = Math.max(2, Math.min(40, (W - left - 10) / Math.max(1, days.length) - 2));
  const svg = s("svg", { width: W, height: H, id: "timeline-chart", role: "img", "aria-label": "Events per day" });
  for (let t = 0; t <= 4; t++) {
    const y = H - bottom - (H - bottom - 10) * t / 4;
    svg.append(s("line", { x1: left, x2: W - 5, y1: y, y2: y, stroke: "#eee" }), s("text", { x: 4, y: y + 4 }, Math.round(max * t / 4)));
  }
  days.forEach((d, i) => {
    let y = H - bottom;
    const x = left + i * (bw + 2);
    series.forEach((k, si) => {
      const c = (byDay[d] || {})[k] || 0;
      if (!c) return;
      const hgt = (H - bottom - 10) * c / max;
      y -= hgt;
      svg.append(s("rect", { x, y, width: bw, height: hgt, fill: color(si), onclick: () => go("/events", { ...eventParams(p), from: d, to: d }), style: "cursor:pointer" }, s("title", {}, `${d} ${k}: ${c}`)));
    });
    if (days.length <= 30 || i % Math.ceil(days.length / 30) === 0) svg.append(s("text", { x: x, y: H - bottom + 12, transform: `rotate(45 ${x} ${H - bottom + 12})` }, d));
  });
  const legend = h("p", { class: "legend" }, series.map((k, i) => h("span", { style: `background:${color(i)};color:#fff` }, `${k} (${k === "other" ? "" : totals[k]})`)));
  view.replaceChildren(h("h1", {}, "Timeline of events" + (monthly ? " per month" : " per day")),
    h("p", {}, "Group by: ", h("a", { href: "#/timeline?" + qs({ ...eventParams(p), group: "type" }) }, "type"), " · ", h("a", { href: "#/timeline?" + qs({ ...eventParams(p), group: "dyad" }) }, "dyad")),
    filterForm({ ...p }, "/timeline"),
    days.length ? h("div", { class: "chart" }, svg) : h("p", { class: "empty" }, "No dated events."), legend);
}

// A small force-directed layout (springs on edges, repulsion between nodes).
function layout(nodes, edges, W, H) {
  const idx = new Map(nodes.map((n, i) => [n.id, i]));
  const P = nodes.map((_, i) => ({ x: W / 2 + Math.cos(i * 2.4) * (50 + 6 * i), y: H / 2 + Math.sin(i * 2.4) * (50 + 6 * i), vx: 0, vy: 0 }));
  const L = Math.min(W, H) / Math.max(3, Math.sqrt(nodes.length) + 1);
  for (let it = 0; it < 300; it++) {
    const cool = 1 - it / 300;
    for (let i = 0; i < P.length; i++) for (let j = i + 1; j < P.length; j++) {
      let dx = P[i].x - P[j].x, dy = P[i].y - P[j].y;
      const d2 = Math.max(dx * dx + dy * dy, 1);
      const f = (L * L) / d2;
      dx *= f / Math.sqrt(d2); dy *= f / Math.sqrt(d2);
      P[i].vx += dx; P[i].vy += dy; P[j].vx -= dx; P[j].vy -= dy;
    }
    for (const e of edges) {
      const a = P[idx.get(e.source)], b = P[idx.get(e.target)];
      if (!a || !b || a === b) continue;
      const dx = b.x - a.x, dy = b.y - a.y, d = Math.max(Math.sqrt(dx * dx + dy * dy), 1);
      const f = (d - L) / d * 0.1;
      a.vx += dx * f; a.vy += dy * f; b.vx -= dx * f; b.vy -= dy * f;
    }
    for (const q of P) {
      q.vx += (W / 2 - q.x) * 0.01; q.vy += (H / 2 - q.y) * 0.01;
      const sp = Math.sqrt(q.vx * q.vx + q.vy * q.vy), lim = 20 * cool + 1;
      if (sp > lim) { q.vx *= lim / sp; q.vy *= lim / sp; }
      q.x = Math.max(30, Math.min(W - 30, q.x + q.vx)); q.y = Math.max(20, Math.min(H - 20, q.y + q.vy));
      q.vx *= 0.5; q.vy *= 0.5;
    }
  }
  return P;
}

async function networkView(p) {
  const data = await api("graph", { ...eventParams(p), limit: 150 });
  const W = Math.min(1200, Math.max(640, view.clientWidth || 900)), H = 560;
  const pos = layout(data.nodes, data.edges, W, H);
  const idx = new Map(data.nodes.map((n, i) => [n.id, i]));
  const maxW = Math.max(1, ...data.nodes.map((n) => n.weight)), maxC = Math.max(1, ...data.edges.map((e) => e.count));
  const svg = s("svg", { width: W, height: H, class: "net", id: "network-graph", role: "img", "aria-label": "Actor network" },
    s("defs", {}, s("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 18, refY: 5, markerWidth: 6, markerHeight: 6, orient: "auto-start-reverse" }, s("path", { d: "M 0 0 L 10 5 L 0 10 z", fill: "#9aa7b4" }))));
  for (const e of data.edges) {
    const a = pos[idx.get(e.source)], b = pos[idx.get(e.target)];
    if (!a || !b) continue;
    svg.append(s("line", { x1: a.x, y1: a.y, x2: b.x, y2: b.y, "stroke-width": 1 + 4 * e.count / maxC, "marker-end": "url(#arrow)" }, s("title", {}, `${e.source} → ${e.target}: ${e.count} (${e.types.join(", ")})`)));
  }
  data.nodes.forEach((n, i) => {
    const r = 5 + 12 * Math.sqrt(n.weight / maxW);
    svg.append(s("circle", { cx: pos[i].x, cy: pos[i].y, r, onclick: () => go("/events", { either: n.id }) }, s("title", {}, `${n.id}${n.code ? " (" + n.code + ")" : ""}: ${n.weight} events`)),
      s("text", { x: pos[i].x + r + 2, y: pos[i].y + 4 }, n.id));
  });
  view.replaceChildren(h("h1", {}, "Actor network"), filterForm(p, "/network"),
    data.edges.length ? h("div", { class: "chart" }, svg) : h("p", { class: "empty" }, "No events with both an actor and a recipient."),
    h("p", { class: "meta" }, "Arrows go from actor to recipient; width is the number of events. Click an actor for its events."));
}

async function render() {
  const { path, params } = route();
  try {
    if (path.startsWith("/doc/")) await docView(decodeURIComponent(path.slice(5)), params);
    else if (path === "/search") await searchView(params);
    else if (path === "/events") await eventsView(params);
    else if (path === "/timeline") await timelineView(params);
    else if (path === "/network") await networkView(params);
    else await documentsView();
    view.dataset.ready = path;
  } catch (e) {
    showError(e);
  }
}
window.addEventListener("hashchange", render);
render();
