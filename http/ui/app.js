// entente dashboard: plain JavaScript over the JSON API (docs/api.md). State lives in
// the URL hash (#focal=RUS&at=2025-06&signal=index&dyad=BLR), so views can be linked.
// document.body.dataset.state is "ready" once the view of document.body.dataset.route
// (the hash it rendered) is on screen (the browser tests wait for both), and "error"
// when a request failed.
(function () {
  "use strict";
  const $ = (sel) => document.querySelector(sel);
  const SIGNALS = ["unvotes", "alliances", "blocs", "events", "ledger", "aid", "third"];
  const SIGNAL_COLORS = { unvotes: "#4e79a7", alliances: "#f28e2b", blocs: "#59a14f", events: "#e15759", ledger: "#76b7b2", aid: "#edc948", third: "#b07aa1" };
  const app = { states: [], byId: {}, months: [], latest: "", rank: null, drift: null, charts: {}, seq: 0 };
  window.entente = app; // for the browser tests and the curious

  // --- data ---------------------------------------------------------------------
  async function api(path) {
    const r = await fetch(path, { headers: { Accept: "application/json" } });
    const body = await r.json().catch(() => null);
    if (!r.ok) throw new Error(body && body.error ? body.error.message : r.status + " " + r.statusText);
    return body;
  }
  const fmt = (v, d = 2) => (v === null || v === undefined ? "–" : Number(v).toFixed(d));
  const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  const cls = (c) => String(c || "unknown").replace(/\s+/g, "-");
  const link = (u) => /^https?:\/\//.test(u) ? `<a href="${esc(u)}" target="_blank" rel="noopener noreferrer">${esc(shortURL(u))}</a>` : esc(u);
  function shortURL(u) { try { const x = new URL(u); return x.hostname.replace(/^www\./, "") + (x.pathname.length > 1 ? x.pathname.slice(0, 40) + (x.pathname.length > 40 ? "…" : "") : ""); } catch (e) { return u; } }
  function setStatus(msg) { $("#status").textContent = msg || ""; }

  // --- URL state ----------------------------------------------------------------
  function readHash() {
    const p = new URLSearchParams(location.hash.replace(/^#/, ""));
    return { focal: p.get("focal") || "RUS", at: p.get("at") || "", signal: p.get("signal") || "index", dyad: p.get("dyad") || "" };
  }
  function writeHash(st) {
    const p = new URLSearchParams();
    p.set("focal", st.focal);
    if (st.at) p.set("at", st.at);
    if (st.signal && st.signal !== "index") p.set("signal", st.signal);
    if (st.dyad) p.set("dyad", st.dyad);
    const h = "#" + p.toString();
    if (location.hash !== h) location.hash = h; else route();
  }
  function update(change) { writeHash(Object.assign(readHash(), change)); }

  // --- setup --------------------------------------------------------------------
  async function init() {
    const [states, world] = await Promise.all([api("/api/v1/states"), fetch("/ui/world.geo.json").then((r) => r.json())]);
    app.states = states.states;
    app.latest = states.latest.slice(0, 7);
    for (const s of app.states) app.byId[s.id] = s;
    $("#states").innerHTML = app.states.map((s) => `<option value="${esc(s.name)}">${esc(s.id)}</option>`).join("");
    const first = states.first ? states.first.slice(0, 7) : "1990-01";
    for (let y = +first.slice(0, 4), m = +first.slice(5, 7); ; ) {
      const key = `${y}-${String(m).padStart(2, "0")}`;
      app.months.push(key);
      if (key >= app.latest) break;
      if (++m > 12) { m = 1; y++; }
    }
    const slider = $("#date");
    slider.max = String(app.months.length - 1);
    slider.addEventListener("input", () => { $("#date-label").textContent = app.months[+slider.value]; });
    slider.addEventListener("change", () => update({ at: app.months[+slider.value] }));
    $("#focal").addEventListener("change", () => {
      const s = findState($("#focal").value);
      if (s) update({ focal: s.id, dyad: "" }); else setStatus(`unknown state: ${$("#focal").value}`);
    });
    $("#signal").addEventListener("change", () => update({ signal: $("#signal").value }));
    $("#filter").addEventListener("input", renderTable);
    $("#back").addEventListener("click", (e) => { e.preventDefault(); update({ dyad: "" }); });
    echarts.registerMap("world", world);
    app.charts.map = echarts.init($("#map"));
    app.charts.map.on("click", (e) => { if (e.name && app.byId[e.name] && e.name !== readHash().focal) update({ dyad: e.name }); });
    window.addEventListener("resize", () => Object.values(app.charts).forEach((c) => c.resize()));
    window.addEventListener("hashchange", route);
    await initAnalyst();
    route();
  }

  function findState(q) {
    q = q.trim().toLowerCase();
    return app.states.find((s) => s.name.toLowerCase() === q || s.id.toLowerCase() === q || s.iso2.toLowerCase() === q) ||
      app.states.find((s) => s.name.toLowerCase().startsWith(q));
  }

  async function route() {
    const st = readHash();
    const seq = ++app.seq;
    document.body.dataset.state = "loading";
    setStatus("");
    const at = st.at || app.latest;
    const i = app.months.indexOf(at);
    $("#date").value = String(i >= 0 ? i : app.months.length - 1);
    $("#date-label").textContent = at;
    $("#signal").value = st.signal;
    const f = app.byId[st.focal];
    $("#focal").value = f ? f.name : st.focal;
    try {
      if (st.dyad) await showDyad(st, at, seq); else await showWorld(st, at, seq);
      if (seq === app.seq) {
        document.body.dataset.route = location.hash;
        document.body.dataset.state = "ready";
      }
    } catch (err) {
      if (seq !== app.seq) return;
      setStatus(err.message);
      explainFailure(st, err);
      document.body.dataset.route = location.hash;
      document.body.dataset.state = "error";
    }
  }

  // --- world view: map and ranking ------------------------------------------------
  async function showWorld(st, at, seq) {
    $("#view-dyad").hidden = true;
    $("#view-world").hidden = false;
    const wq = weightQuery();
    const rank = await api(`/api/v1/rank/${encodeURIComponent(st.focal)}?at=${at}&signal=${st.signal}${wq}`);
    if (seq !== app.seq) return;
    app.rank = rank;
    analystWorld(st, at, rank, wq, seq);
    renderMap(rank);
    renderTable();
    app.charts.map.resize();
    loadSparklines(rank.focal.id, seq); // not awaited: the table is usable before
  }

  function renderMap(rank) {
    const what = rank.signal === "index" ? "alignment index" : rank.signal + " signal";
    $("#map-title").textContent = `${rank.focal.name}: ${what}, 12 months to ${rank.at}`;
    const cov = Object.entries(rank.coverage).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(", ");
    $("#summary").textContent = `${rank.scores.length} states scored, ${rank.unknown} without evidence; ${rank.roll_calls} UN roll calls; signals available: ${cov || "none"}.`;
    const data = rank.scores.map((s) => ({ name: s.state.id, value: s.value, label: s.state.name, cls: s.class, lo: s.lo, hi: s.hi }));
    data.push({ name: rank.focal.id, value: null, label: rank.focal.name, focal: true, itemStyle: { areaColor: "#222" }, emphasis: { itemStyle: { areaColor: "#000" } } });
    app.mapStates = data.filter((d) => !d.focal).map((d) => d.name);
    app.charts.map.setOption({
      animation: false,
      tooltip: {
        trigger: "item",
        formatter: (p) => {
          const d = p.data;
          if (!d) return `${esc(p.name.replace(/^x:/, ""))}: no evidence`;
          if (d.focal) return `${esc(d.label)} (focal)`;
          return `<b>${esc(d.label)}</b><br>${fmt(d.value)} [${fmt(d.lo)}, ${fmt(d.hi)}]<br>${esc(d.cls)}`;
        },
      },
      visualMap: { type: "continuous", min: -1, max: 1, show: false, inRange: { color: ["#b2182b", "#ef8a62", "#f7f7f7", "#67a9cf", "#2166ac"] } },
      series: [{
        type: "map", map: "world", roam: true, nameProperty: "name", data,
        itemStyle: { areaColor: "#d9d9d9", borderColor: "#fff", borderWidth: 0.5 },
        emphasis: { label: { show: false }, itemStyle: { borderColor: "#111", borderWidth: 1 } },
        select: { disabled: true },
        layoutCenter: ["50%", "50%"], layoutSize: "100%", boundingCoords: [[-180, 84], [180, -58]],
      }],
    }, true);
  }

  function renderTable() {
    const rank = app.rank;
    if (!rank) return;
    const q = $("#filter").value.trim().toLowerCase();
    const rows = rank.scores.filter((s) => !q || s.state.name.toLowerCase().includes(q) || s.state.id.toLowerCase().includes(q));
    $("#ranking tbody").innerHTML = rows.map((s) => `<tr data-id="${esc(s.state.id)}">
      <td class="num">${s.rank}</td>
      <td class="name" title="${esc(s.state.name)}">${esc(s.state.name)}<span class="id">${esc(s.state.id)}</span></td>
      <td class="num">${fmt(s.value)}</td>
      <td class="iv">${intervalSVG(s)}</td>
      <td><span class="badge ${cls(s.class)}" title="${esc(s.flags.join(", "))}">${esc(s.class)}</span></td>
      <td class="spark-col"><span class="spark" data-id="${esc(s.state.id)}"></span></td></tr>`).join("");
    for (const tr of $("#ranking tbody").querySelectorAll("tr")) tr.addEventListener("click", () => update({ dyad: tr.dataset.id }));
    drawSparklines();
  }

  // intervalSVG draws the bootstrap interval on [-1, 1] with the score as a dot.
  function intervalSVG(s) {
    const w = 64, x = (v) => ((Number(v) + 1) / 2) * w;
    if (s.score === null) return "";
    const lo = s.lo === null ? s.score : s.lo, hi = s.hi === null ? s.score : s.hi;
    return `<svg class="iv" width="${w}" height="12" viewBox="0 0 ${w} 12" aria-label="interval ${fmt(lo)} to ${fmt(hi)}">
      <line x1="${w / 2}" y1="1" x2="${w / 2}" y2="11" stroke="#bbb"/>
      <line x1="${x(lo)}" y1="6" x2="${x(hi)}" y2="6" stroke="#555" stroke-width="3"/>
      <circle cx="${x(s.score)}" cy="6" r="3" fill="${s.score >= 0 ? "#2166ac" : "#b2182b"}"/></svg>`;
  }

  async function loadSparklines(focal, seq) {
    if (app.drift && app.drift.focal.id === focal) return drawSparklines();
    try {
      const d = await api(`/api/v1/drift/${encodeURIComponent(focal)}`);
      if (seq !== app.seq && readHash().focal !== focal) return;
      app.drift = d;
      drawSparklines();
    } catch (e) { /* sparklines are an extra: the ranking stands without them */ }
  }

  function drawSparklines() {
    const d = app.drift;
    if (!d || !app.rank || d.focal.id !== app.rank.focal.id) return;
    const series = {};
    for (const m of d.movers) series[m.state.id] = m;
    for (const el of document.querySelectorAll("span.spark")) {
      const m = series[el.dataset.id];
      if (m) el.innerHTML = sparkSVG(m);
    }
    document.body.dataset.sparklines = "ready";
  }

  // sparkSVG draws a series on [-1, 1]: gaps where the score is unknown, change points
  // as ticks.
  function sparkSVG(m) {
    const w = 72, h = 20, n = m.series.length;
    const x = (i) => (n < 2 ? w / 2 : (i / (n - 1)) * (w - 4) + 2), y = (v) => h / 2 - (v * (h - 4)) / 2;
    let path = "", pen = false;
    m.series.forEach((p, i) => {
      if (p.score === null) { pen = false; return; }
      path += (pen ? "L" : "M") + x(i).toFixed(1) + " " + y(p.score).toFixed(1);
      pen = true;
    });
    const ticks = m.changes.map((c) => {
      const i = m.series.findIndex((p) => p.period === c.period);
      return i < 0 ? "" : `<line x1="${x(i)}" y1="1" x2="${x(i)}" y2="${h - 1}" stroke="${c.shift < 0 ? "#b2182b" : "#2166ac"}" stroke-dasharray="2 1"/>`;
    }).join("");
    return `<svg class="spark" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}"><line x1="0" y1="${h / 2}" x2="${w}" y2="${h / 2}" stroke="#ddd"/>${ticks}<path d="${path}" fill="none" stroke="#333" stroke-width="1.3"/></svg>`;
  }

  // --- dyad view: timeline, signals, explanation, evidence --------------------------
  async function showDyad(st, at, seq) {
    $("#view-world").hidden = true;
    $("#view-dyad").hidden = false;
    const a = encodeURIComponent(st.focal), b = encodeURIComponent(st.dyad);
    const [dyad, x, ev, ip] = await Promise.all([
      api(`/api/v1/dyad/${a}/${b}`),
      api(`/api/v1/explain/${a}/${b}?at=${at}&top=3`).catch((e) => ({ error: e.message })),
      api(`/api/v1/evidence?a=${a}&b=${b}&at=${at}&limit=40`),
      api(`/api/v1/idealpoints?state=${a}&state=${b}`).catch((e) => ({ error: e.message })),
    ]);
    if (seq !== app.seq) return;
    $("#dyad-title").textContent = `${dyad.a.name} and ${dyad.b.name}`;
    $("#back").textContent = `← ${dyad.a.name}'s ranking`;
    if (x.error) {
      $("#dyad-score").textContent = x.error;
    } else {
      $("#dyad-score").innerHTML = `At ${esc(x.at)}: <b>${fmt(x.score)}</b> [${fmt(x.lo)}, ${fmt(x.hi)}] <span class="badge ${cls(x.class)}">${esc(x.class)}</span>` +
        (x.rank ? ` rank ${x.rank} of ${x.of}` : "") + (x.flags.length ? ` · ${esc(x.flags.join(", "))}` : "");
    }
    renderDyadCharts(dyad);
    renderIdealPoints(ip, dyad);
    renderExplain(x, at);
    renderEvidence(ev, x, dyad);
    analystDyad(dyad, ev);
  }

  function chart(id) {
    if (!app.charts[id]) app.charts[id] = echarts.init(document.getElementById(id));
    app.charts[id].resize();
    return app.charts[id];
  }

  function renderDyadCharts(d) {
    const periods = d.series.map((p) => p.period);
    const marks = d.changes.map((c) => ({ xAxis: c.period, label: { formatter: `${c.direction} ${c.shift > 0 ? "+" : ""}${fmt(c.shift)}`, fontSize: 10 },
      lineStyle: { color: c.shift < 0 ? "#b2182b" : "#2166ac", type: "dashed" } }));
    const lo = d.series.map((p) => p.lo), band = d.series.map((p) => (p.hi === null || p.lo === null ? null : p.hi - p.lo));
    chart("dyad-chart").setOption({
      animation: false,
      grid: { left: 40, right: 16, top: 24, bottom: 28 },
      tooltip: { trigger: "axis", formatter: (ps) => { const p = d.series[ps[0].dataIndex]; return `${p.period}: ${fmt(p.score)} [${fmt(p.lo)}, ${fmt(p.hi)}] ${esc(p.class)}`; } },
      xAxis: { type: "category", data: periods, boundaryGap: false },
      yAxis: { type: "value", min: -1, max: 1 },
      series: [
        { name: "lo", type: "line", data: lo, stack: "band", lineStyle: { opacity: 0 }, symbol: "none", connectNulls: false },
        { name: "interval", type: "line", data: band, stack: "band", lineStyle: { opacity: 0 }, symbol: "none", areaStyle: { color: "rgba(33,102,172,0.18)" } },
        { name: "index", type: "line", data: d.series.map((p) => p.score), symbolSize: 6, lineStyle: { width: 2, color: "#1d2430" }, itemStyle: { color: "#1d2430" },
          markLine: { symbol: "none", data: marks, silent: true } },
      ],
    }, true);
    chart("signal-chart").setOption({
      animation: false,
      grid: { left: 40, right: 16, top: 30, bottom: 28 },
      legend: { top: 0, itemWidth: 12, itemHeight: 8, textStyle: { fontSize: 11 } },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: periods },
      yAxis: { type: "value", min: -1, max: 1 },
      series: SIGNALS.map((s) => ({ name: s, type: "bar", stack: "parts", color: SIGNAL_COLORS[s],
        data: d.series.map((p) => (p.contributions && p.contributions[s] !== null ? p.contributions[s] : null)) })),
    }, true);
    const years = Array.from(new Set([...d.signals.unvotes.map((u) => u.period), ...d.signals.events.map((e) => e.period)])).sort();
    const ev = (from) => years.map((y) => { const e = d.signals.events.find((x) => x.period === y && x.from === from); return e ? e.goldstein_mean : null; });
    chart("raw-chart").setOption({
      animation: false,
      grid: { left: 40, right: 16, top: 30, bottom: 28 },
      legend: { top: 0, textStyle: { fontSize: 11 } },
      tooltip: { trigger: "axis" },
      title: years.length ? undefined : { text: "no stored UN similarity or events for this pair", left: "center", top: "middle", textStyle: { fontSize: 12, color: "#888", fontWeight: "normal" } },
      xAxis: { type: "category", data: years },
      yAxis: [{ type: "value", min: -1, max: 1, name: "kappa" }, { type: "value", min: -10, max: 10, name: "Goldstein" }],
      series: [
        { name: "UN kappa", type: "line", data: years.map((y) => { const u = d.signals.unvotes.find((x) => x.period === y); return u ? u.kappa : null; }) },
        { name: `events ${d.a.id}→${d.b.id}`, type: "bar", yAxisIndex: 1, data: ev(d.a.id) },
        { name: `events ${d.b.id}→${d.a.id}`, type: "bar", yAxisIndex: 1, data: ev(d.b.id) },
      ],
    }, true);
    $("#changes").textContent = d.changes.length
      ? "Change points: " + d.changes.map((c) => `${c.period} ${c.direction} ${fmt(c.shift)} (confidence ${fmt(c.confidence)})`).join("; ")
      : "No change point in the series.";
  }

  // Both states' ideal points by year, each with its 90% band (docs/idealpoints.md).
  function renderIdealPoints(ip, d) {
    app.ideal = ip;
    const pts = ip.error ? [] : ip.points;
    const years = Array.from(new Set(pts.map((p) => p.year))).sort((p, q) => p - q);
    const colors = { [d.a.id]: "#1d2430", [d.b.id]: "#b2182b" };
    const series = [];
    for (const id of [d.a.id, d.b.id]) {
      const at = (y) => pts.find((p) => p.state === id && p.year === y);
      const lo = years.map((y) => { const p = at(y); return p && p.lo !== null ? p.lo : null; });
      const band = years.map((y) => { const p = at(y); return p && p.lo !== null && p.hi !== null ? p.hi - p.lo : null; });
      series.push({ name: `${id} lo`, type: "line", data: lo, stack: `band-${id}`, lineStyle: { opacity: 0 }, symbol: "none", tooltip: { show: false } });
      series.push({ name: `${id} 90%`, type: "line", data: band, stack: `band-${id}`, lineStyle: { opacity: 0 }, symbol: "none",
        areaStyle: { color: colors[id], opacity: 0.15 }, tooltip: { show: false } });
      series.push({ name: id, type: "line", data: years.map((y) => { const p = at(y); return p ? p.x : null; }), symbolSize: 4,
        lineStyle: { width: 2, color: colors[id] }, itemStyle: { color: colors[id] } });
    }
    chart("ideal-chart").setOption({
      animation: false,
      grid: { left: 40, right: 16, top: 30, bottom: 28 },
      legend: { top: 0, data: [d.a.id, d.b.id], textStyle: { fontSize: 11 } },
      tooltip: { trigger: "axis", formatter: (ps) => { const y = years[ps[0].dataIndex];
        return [d.a.id, d.b.id].map((id) => { const p = pts.find((q) => q.state === id && q.year === y);
          return p ? `${id} ${y}: ${fmt(p.x)} [${fmt(p.lo)}, ${fmt(p.hi)}]` : `${id} ${y}: no votes`; }).join("<br>"); } },
      title: years.length ? undefined : { text: ip.error ? `no ideal points: ${ip.error}` : "no ideal points stored (run 'entente idealpoints')",
        left: "center", top: "middle", textStyle: { fontSize: 12, color: "#888", fontWeight: "normal" } },
      xAxis: { type: "category", data: years },
      yAxis: { type: "value", scale: true },
      series,
    }, true);
  }

  function renderExplain(x, at) {
    $("#explain-at").textContent = x.at || at;
    if (x.error) { $("#explain tbody").innerHTML = `<tr><td colspan="6">${esc(x.error)}</td></tr>`; return; }
    $("#explain tbody").innerHTML = SIGNALS.map((s) => {
      const p = x.signals[s];
      return `<tr><td><span class="sw" style="background:${SIGNAL_COLORS[s]}"></span>${s}</td><td class="num">${fmt(p.value)}</td><td class="num">${fmt(p.weight)}</td>
        <td class="num">${fmt(p.contribution)}</td><td class="num">${p.n}</td><td>${esc(p.note)}</td></tr>`;
    }).join("");
  }

  function renderEvidence(ev, x, dyad) {
    const parts = [];
    const force = ((dyad && dyad.signals.force) || []).filter((f) => f.items.length).sort((p, q) => (p.period < q.period ? 1 : -1));
    if (force.length) {
      parts.push(`<h4>Force, rivalry and arms (UCDP, TSS/TD, GML MIDs, SIPRI; docs/force.md)</h4><ul class="force">` + force.map((f) =>
        f.items.map((i) => `<li><span class="when">${esc(f.period)}</span><span class="${f.signal === "cobelligerence" || f.signal === "arms" ? "coop" : "hostile"}">${esc(f.signal)}</span>
          ${esc(i.from)}→${esc(i.to)}: ${esc(i.detail)}<br>↳ ${esc(i.source)}</li>`).join("")).join("") + "</ul>");
    }
    if (ev.acts.length) {
      parts.push(`<h4>Ledger acts (${ev.acts.length})</h4><ul class="acts">` + ev.acts.map((a) => `<li><span class="when">${esc(a.date)}</span>
        <span class="${a.stance < 0 ? "hostile" : "coop"}">${esc(a.actor)} ${esc(a.kind.replace(/_/g, " "))} ${esc(a.counterpart)}</span>: ${esc(a.summary)}
        ${a.sources.map((c) => `<br>↳ ${link(c.url)}${c.publisher ? " · " + esc(c.publisher) : ""}${c.published ? ", " + esc(c.published) : ""}`).join("")}</li>`).join("") + "</ul>");
    }
    if (ev.events.length) {
      parts.push(`<h4>Most cited articles of their events (${ev.events.length})</h4><ul class="events">` + ev.events.map((e) =>
        `<li><span class="when">${esc(e.period)}</span>${esc(e.from)}→${esc(e.to)}, ${e.events} events: ${link(e.url)}</li>`).join("") + "</ul>");
    }
    if (ev.roll_calls.length) {
      parts.push(`<h4>UN roll calls, ${esc(ev.window.from)} to ${esc(ev.window.to)} (${ev.roll_calls.length})</h4><ul class="rollcalls">` + ev.roll_calls.map((r) =>
        `<li><span class="when">${esc(r.date)}</span>${esc(ev.a.id)} ${esc(r.vote_a)}, ${esc(ev.b.id)} ${esc(r.vote_b)} (all: ${r.yes} yes, ${r.abstain} abstain, ${r.no} no) ${rollCallLabel(r)}</li>`).join("") + "</ul>");
    }
    const blocs = (x.evidence || []).filter((e) => e.signal === "blocs" || e.signal === "alliances" || e.signal === "third");
    if (blocs.length) {
      parts.push(`<h4>Blocs, alliances and third parties</h4><ul class="other">` + blocs.map((e) =>
        `<li><span class="when">${esc(e.date || "")}</span>${esc(e.text)} ${e.source ? link(e.source) : ""}</li>`).join("") + "</ul>");
    }
    $("#evidence").innerHTML = parts.join("") || "<p class=note>No evidence stored for this pair.</p>";
  }

  // --- analysts: weight sliders, downloads, movers, empty panels -------------------
  // Weights live in app.analyst.weights (signal → weight, only those moved from the
  // server's defaults) and go to the API as ?w.SIGNAL=weight; each set is cached there.
  const analyst = { defaults: null, weights: {}, timer: 0, shown: null, movers: null };
  app.analyst = analyst;
  function weightQuery() {
    return Object.keys(analyst.weights).sort().map((k) => `&w.${k}=${analyst.weights[k]}`).join("");
  }
  async function initAnalyst() {
    const w = await api("/api/v1/weights").catch(() => null);
    if (!w || !w.reweightable) { $("#weights").hidden = true; return; }
    analyst.defaults = w.weights;
    $("#weight-sliders").innerHTML = w.signals.map((s) => `<label><span><span class="sw" style="background:${SIGNAL_COLORS[s]}"></span>${esc(s)}</span>
      <input type="range" min="0" max="3" step="0.05" data-signal="${esc(s)}" value="${w.weights[s]}" aria-label="weight of ${esc(s)}"><output>${fmt(w.weights[s])}</output></label>`).join("");
    const sliders = () => document.querySelectorAll("#weight-sliders input");
    for (const inp of sliders()) {
      inp.addEventListener("input", () => {
        const s = inp.dataset.signal, v = +inp.value;
        inp.nextElementSibling.textContent = fmt(v);
        if (v === analyst.defaults[s]) delete analyst.weights[s]; else analyst.weights[s] = v;
        clearTimeout(analyst.timer);
        analyst.timer = setTimeout(() => { if (!readHash().dyad) route(); }, 150);
      });
    }
    $("#weights-reset").addEventListener("click", () => {
      analyst.weights = {};
      for (const inp of sliders()) { inp.value = analyst.defaults[inp.dataset.signal]; inp.nextElementSibling.textContent = fmt(inp.value); }
      route();
    });
  }

  function analystWorld(st, at, rank, wq, seq) {
    analyst.shown = wq;
    $("#rank-empty").hidden = true;
    renderCoverage(rank.data_coverage, `the 12 months to ${rank.at}`);
    const base = `/api/v1/rank/${encodeURIComponent(rank.focal.id)}?at=${at}${wq}`;
    $("#dl-csv").href = base + "&format=csv";
    $("#dl-parquet").href = base + "&format=parquet";
    if (!rank.scores.length) {
      const what = rank.signal === "index" ? "any signal" : `the ${rank.signal} signal`;
      showEmpty("#rank-empty", `No state has evidence of ${what} with ${rank.focal.name} in the 12 months to ${rank.at}: ` +
        "the store holds no data for this window (unknown, not neutral). Try another date or signal.");
    }
    loadMovers(rank.focal, at, seq); // not awaited
  }

  async function loadMovers(focal, at, seq) {
    const list = $("#movers");
    if (analyst.movers && analyst.movers.focal.id === focal.id) return renderMovers(analyst.movers, at);
    list.innerHTML = "<li>loading…</li>";
    try {
      const d = await api(`/api/v1/drift/${encodeURIComponent(focal.id)}`);
      if (seq !== app.seq && readHash().focal !== focal.id) return;
      analyst.movers = d;
      renderMovers(d, at);
    } catch (err) {
      list.innerHTML = "";
      showEmpty("#movers-empty", `Movers unavailable for ${focal.name}: ${err.message}`);
    }
  }

  function renderMovers(d, at) {
    const moved = d.movers.filter((m) => m.changes.length).slice(0, 20);
    $("#movers-empty").hidden = true;
    $("#movers").innerHTML = moved.map((m) => {
      const c = m.changes.reduce((a, b) => (Math.abs(b.shift) > Math.abs(a.shift) ? b : a));
      const h = new URLSearchParams({ focal: d.focal.id, at, dyad: m.state.id }).toString();
      return `<li data-id="${esc(m.state.id)}"><a href="#${h}">${esc(m.state.name)}</a> <span class="${c.shift < 0 ? "away" : "toward"}">${esc(c.direction)} ${c.shift > 0 ? "+" : ""}${fmt(c.shift)}</span> from ${esc(c.period)} (confidence ${fmt(c.confidence)})</li>`;
    }).join("");
    if (!moved.length) {
      showEmpty("#movers-empty", `No state's alignment with ${d.focal.name} moved enough for a change point in ${d.periods[0] || "?"}–${d.periods[d.periods.length - 1] || "?"}.`);
    }
  }

  // renderCoverage shows, per stored signal, the data's range and the evidence in the
  // window, marking the signals whose data end before the window or hold none.
  function renderCoverage(cov, where) {
    const b = $("#coverage-banner");
    if (!cov) { b.hidden = true; return; }
    const names = { unvotes: "UN votes", events: "events", aid: "aid", ledger: "ledger" };
    const parts = Object.keys(names).filter((k) => cov[k]).map((k) => {
      const c = cov[k];
      const range = c.first ? `${c.first} to ${c.last}` : "none stored";
      return `<span class="cov${c.note ? " warn" : ""}" data-signal="${k}" title="${esc(c.note || "")}"><b>${names[k]}</b> ${esc(range)}, ${c.in_window} ${esc(c.unit)} in window${c.note ? " ⚠ " + esc(c.note) : ""}</span>`;
    });
    b.innerHTML = `Data behind ${esc(where)}: ` + parts.join(" · ");
    b.hidden = false;
  }

  function analystDyad(d, ev) {
    if (d.periods.length) renderCoverage(d.data_coverage, `${d.periods[0]}–${d.periods[d.periods.length - 1]} for this pair`);
    const notes = [];
    if (!d.signals.events.length) notes.push(`No GDELT events between ${d.a.name} and ${d.b.name} are stored: the events signal is unknown for this pair, not neutral (the stored GDELT files may cover only some days).`);
    if (!d.signals.unvotes.length) notes.push(`No stored UN vote similarity for ${d.a.name} and ${d.b.name}.`);
    if (!d.series.some((p) => p.score !== null)) notes.push("No index score in any year: no signal has evidence for this pair.");
    if (!ev.acts.length && !ev.events.length && !ev.roll_calls.length) notes.push(`No evidence (ledger acts, event articles, roll calls) stored for this pair in the 12 months to ${ev.at}.`);
    $("#dyad-empty").hidden = !notes.length;
    $("#dyad-empty").textContent = notes.join(" ");
  }

  // rollCallLabel names a roll call by its resolution and title, linked to its record
  // where the store has one.
  function rollCallLabel(r) {
    const name = r.resolution || `${r.source} ${r.id}`;
    const head = r.url ? `<a href="${esc(r.url)}" target="_blank" rel="noopener noreferrer">${esc(name)}</a>` : esc(name);
    return head + (r.title ? ` <span class="rc-title">${esc(r.title)}</span>` : "");
  }

  function showEmpty(sel, msg) { $(sel).textContent = msg; $(sel).hidden = false; }

  // explainFailure says in the panels why they are empty when a view could not load.
  function explainFailure(st, err) {
    $("#coverage-banner").hidden = true;
    if (st.dyad) { showEmpty("#dyad-empty", `No pair view for ${st.focal} and ${st.dyad}: ${err.message}`); return; }
    app.rank = null;
    $("#ranking tbody").innerHTML = "";
    $("#movers").innerHTML = "";
    showEmpty("#rank-empty", `No ranking for "${st.focal}": ${err.message}. Pick a state from the list: a name, an ISO3 code (RUS) or an ISO2 code (RU).`);
    showEmpty("#movers-empty", `No movers: "${st.focal}" is not a state the index can rank at this date.`);
  }

  init().catch((e) => { setStatus("could not load: " + e.message); document.body.dataset.state = "error"; });
})();
