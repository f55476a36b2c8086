/* llt_geo verkenning: the portfolio re-solved in the browser with HiGHS (WebAssembly), offline.
 *
 * Reads window.LLT_VERKENNING (written by llt_geo/present/verkenning.py from Results) and the
 * vendored solver (assets/llt_highs.js: LLT_HIGHS_LOADER, LLT_HIGHS_WASM). The model is built by
 * modelRules(), line by line the formula of llt_geo.verkenning.model_rules (which the Python tests
 * check against the portfolio Python solves); the infeasibility explanation follows
 * llt_geo.portfolio.explain_infeasible; Dutch numbers follow llt_geo.labels (half up on the number
 * as written). Nothing leaves the page: the solver runs in a Web Worker made from a Blob URL.
 */
(function () {
  "use strict";
  var D = window.LLT_VERKENNING;
  var M = D.model;
  var TIME_LIMIT_S = D.time_limit_s || 10;

  // ---------------------------------------------------------------- Dutch numbers (llt_geo.labels)
  function roundHalfUpString(x, decimals) {
    // x as written (shortest round trip, as Python's repr), rounded half up on its decimal digits
    var neg = x < 0;
    var s = String(Math.abs(x));
    var exp = 0;
    var m = s.match(/^([0-9.]+)e([+-]?\d+)$/);
    if (m) { s = m[1]; exp = parseInt(m[2], 10); }
    var parts = s.split(".");
    var digits = parts[0] + (parts[1] || "");
    var point = parts[0].length + exp;
    while (point < 0) { digits = "0" + digits; point += 1; }
    while (digits.length < point + decimals + 1) digits += "0";
    var keep = digits.slice(0, point + decimals).split("").map(Number);
    if (Number(digits.charAt(point + decimals)) >= 5) {
      var k = keep.length - 1;
      while (k >= 0) { if (keep[k] === 9) { keep[k] = 0; k -= 1; } else { keep[k] += 1; break; } }
      if (k < 0) { keep.unshift(1); point += 1; }
    }
    var intPart = keep.slice(0, point).join("").replace(/^0+(?=\d)/, "") || "0";
    var frac = keep.slice(point).join("");
    var isZero = /^0*$/.test(intPart + frac);
    return { neg: neg && !isZero, int: intPart, frac: frac };
  }
  function nlNumber(x, decimals) {
    if (x === null || x === undefined || Number.isNaN(x)) return "onbekend";
    decimals = decimals || 0;
    var r = roundHalfUpString(x, decimals);
    var grouped = r.int.replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    return (r.neg ? "-" : "") + grouped + (decimals > 0 ? "," + r.frac : "");
  }
  function nlEur(x, space) {
    if (x === null || x === undefined || Number.isNaN(x)) return "onbekend";
    return "€" + (space === undefined ? "\u00a0" : space) + nlNumber(x, 0);
  }
  function nlEurShort(x) {
    if (Math.abs(x) >= 1e6) return "€ " + nlNumber(x / 1e6, 1) + " mln";
    return nlEur(x, " ");
  }
  function pct0(share) {
    // Python's f"{share:.0%}" (the rule's name): the percentage of the binary value, ties to even
    var v = share * 100;
    var f = Math.floor(v);
    var d = v - f;
    var r = d > 0.5 ? f + 1 : d < 0.5 ? f : (f % 2 === 0 ? f : f + 1);
    return r + "%";
  }

  // ---------------------------------------------------------------- the model (verkenning.model_rules)
  function pairScores(care) {
    var w = M.aspects.map(function (k) { return Number(care[k]); });
    var total = w.reduce(function (a, b) { return a + b; }, 0);
    return M.pairs.aspects.map(function (a) {
      var s = 0;
      for (var k = 0; k < w.length; k++) s += a[k] * w[k];
      return s / total;
    });
  }

  function modelRules(s) {
    var cand = M.candidates, pairs = M.pairs, fixed = M.fixed;
    var n = cand.id.length, m = pairs.candidate.length;
    var rules = [];
    function add(key, name, cols, coefs, lo, hi) { rules.push({ key: key, name: name, cols: cols, coefs: coefs, lo: lo, hi: hi }); }
    function ones(k) { var a = []; for (var i = 0; i < k; i++) a.push(1); return a; }
    function range(k) { var a = []; for (var i = 0; i < k; i++) a.push(i); return a; }
    var ycols = range(n);
    var need = Number(s.flats_to_choose) || Math.max(0, M.goal_flats - fixed.n);
    add("goal", "het doel van " + M.goal_flats + " Lang Leven Thuisflats (nog " + need + " te kiezen)", ycols, ones(n), need, need);
    var budget = Number(s.budget_eur);
    add("budget", "het budget van " + nlEurShort(budget), ycols, cand.cost.map(function (c) { return c === null ? 0 : c; }), -Infinity, budget);
    M.stadsdelen.code.forEach(function (code, k) {
      var name = M.stadsdelen.name[k];
      var members = [];
      cand.stadsdeel.forEach(function (sd, i) { if (sd === k) members.push(i); });
      var have = fixed.stadsdeel[k];
      var lo = code in s.per_stadsdeel_min ? s.per_stadsdeel_min[code] : s.min_per_stadsdeel;
      var hi = code in s.per_stadsdeel_max ? s.per_stadsdeel_max[code] : s.max_per_stadsdeel;
      if (lo > 0) add("min:" + code, "minimaal " + lo + " in stadsdeel " + name + " (" + code + "; er zijn er al " + have + ")", members, ones(members.length), lo - have, Infinity);
      add("max:" + code, "maximaal " + hi + " in stadsdeel " + name + " (" + code + "; er zijn er al " + have + ")", members, ones(members.length), -Infinity, hi - have);
    });
    var share = Number(s.min_focus_share);
    if (share > 0) {
      add("focus", "minimaal " + pct0(share) + " in vergrijsde of masterplangebieden", ycols,
        cand.focus.map(function (f) { return f - share; }), share * fixed.n - fixed.focus, Infinity);
    }
    var cap = Number(s.max_per_corporation);
    M.corporations.forEach(function (name, k) {
      var members = [];
      cand.corporation.forEach(function (c, i) { if (c === k) members.push(i); });
      add("corp:" + name, "maximaal " + cap + " per corporatie (" + name + "; er zijn er al " + fixed.corporation[k] + ")", members, ones(members.length), -Infinity, cap - fixed.corporation[k]);
    });
    var byCand = [], byProv = [];
    for (var i = 0; i < n; i++) byCand.push([]);
    M.providers.id.forEach(function () { byProv.push([]); });
    pairs.candidate.forEach(function (c, p) { byCand[c].push(n + p); byProv[pairs.provider[p]].push(n + p); });
    for (i = 0; i < n; i++) {
      add("link", "één voorkeursaanbieder per gekozen flat", byCand[i].concat([i]), ones(byCand[i].length).concat([-1]), 0, 0);
    }
    M.providers.id.forEach(function (pid, k) {
      var places = M.providers.capacity[k];
      add("cap:" + pid, "de capaciteit van " + pid + " (" + Math.trunc(places) + " flats nog vrij)", byProv[k], ones(byProv[k].length), -Infinity, places);
    });
    M.shared_flats.forEach(function (g) { add("flats", "geen flat in twee gekozen kandidaten", g, ones(g.length), -Infinity, 1); });
    var mode = Number(s.mode);
    var upper = cand.fundable.map(function (f) { return (f >> mode) & 1; });
    var cond = cand.on_condition.map(function (f, i) { return ((f >> mode) & 1) * upper[i]; });
    var base = cand.focus.map(function (f, i) { return 1 + Number(s.weight_focus) * f - Number(s.penalty_onder_voorbehoud) * cond[i]; });
    var z = pairScores(s.care);
    var objective = base.concat(z.map(function (v) { return Number(s.weight_partner) * v; }));
    return { n: n, m: m, rules: rules, objective: objective, upper: upper, onCondition: cond, need: need };
  }

  // ---------------------------------------------------------------- CPLEX LP text for HiGHS
  function col(j, n) { return j < n ? "y" + j : "z" + (j - n); }
  function term(v, name, first) {
    var sign = v < 0 ? "-" : "+";
    return (first && v >= 0 ? "" : sign + " ") + String(Math.abs(v)) + " " + name;
  }
  function expr(cols, coefs, n) {
    if (!cols.length) return "0 y0";
    return cols.map(function (j, k) { return term(coefs[k], col(j, n), k === 0); }).join(" ");
  }
  function lpText(model, keys, objective, sense) {
    var n = model.n, m = model.m;
    var lines = [sense || "Maximize", " obj: " + (function () {
      var cols = [], coefs = [];
      objective.forEach(function (v, j) { if (v !== 0) { cols.push(j); coefs.push(v); } });
      return expr(cols, coefs, n);
    })(), "Subject To"];
    model.rules.forEach(function (r, k) {
      if (keys && !keys.has(r.key) && r.key !== "link" && r.key !== "flats") return;
      var e = expr(r.cols, r.coefs, n);
      if (r.lo === r.hi) lines.push(" r" + k + ": " + e + " = " + r.lo);
      else if (r.lo === -Infinity) lines.push(" r" + k + ": " + e + " <= " + r.hi);
      else if (r.hi === Infinity) lines.push(" r" + k + ": " + e + " >= " + r.lo);
      else { lines.push(" r" + k + "a: " + e + " >= " + r.lo); lines.push(" r" + k + "b: " + e + " <= " + r.hi); }
    });
    lines.push("Bounds");
    var names = [];
    for (var j = 0; j < n + m; j++) {
      var ub = j < n ? model.upper[j] : 1;
      lines.push(" 0 <= " + col(j, n) + " <= " + ub);
      names.push(col(j, n));
    }
    lines.push("General");
    for (var i = 0; i < names.length; i += 20) lines.push(" " + names.slice(i, i + 20).join(" "));
    lines.push("End");
    return lines.join("\n");
  }

  // ---------------------------------------------------------------- the solver in a worker
  var WORKER = LLT_HIGHS_LOADER + "\n;(" + function () {
    var highs = null;
    self.onmessage = function (e) {
      var msg = e.data;
      if (msg.wasm) {
        Module({
          instantiateWasm: function (imports, done) {
            WebAssembly.instantiate(msg.wasm, imports).then(function (r) { done(r.instance); });
            return {};
          },
          print: function () {}, printErr: function () {}
        }).then(function (h) { highs = h; self.postMessage({ ready: true }); },
          function (err) { self.postMessage({ ready: false, error: String(err) }); });
        return;
      }
      var t0 = performance.now();
      try {
        var r = highs.solve(msg.lp, { output_flag: false, presolve: "off", mip_rel_gap: 1e-9, time_limit: msg.timeLimit });
        var x = null;
        if (r.Columns) { x = {}; Object.keys(r.Columns).forEach(function (k) { x[k] = r.Columns[k].Primal; }); }
        self.postMessage({ id: msg.id, status: r.Status, objective: r.ObjectiveValue, x: x, ms: performance.now() - t0 });
      } catch (err) {
        self.postMessage({ id: msg.id, status: "Error", error: String(err), ms: performance.now() - t0 });
      }
    };
  }.toString() + ")();";
  var worker = null, ready = null, pending = {}, nextId = 1;
  function start() {
    if (ready) return ready;
    ready = new Promise(function (resolve, reject) {
      worker = new Worker(URL.createObjectURL(new Blob([WORKER], { type: "text/javascript" })));
      worker.onmessage = function (e) {
        if ("ready" in e.data) { if (e.data.ready) resolve(); else reject(new Error(e.data.error)); return; }
        var p = pending[e.data.id]; delete pending[e.data.id]; p(e.data);
      };
      worker.onerror = function (e) { reject(new Error(e.message)); };
      var bytes = Uint8Array.from(atob(LLT_HIGHS_WASM), function (c) { return c.charCodeAt(0); });
      worker.postMessage({ wasm: bytes.buffer }, [bytes.buffer]);
    });
    return ready;
  }
  function solveLp(lp) {
    return start().then(function () {
      return new Promise(function (resolve) {
        var id = nextId++;
        pending[id] = resolve;
        worker.postMessage({ id: id, lp: lp, timeLimit: TIME_LIMIT_S });
      });
    });
  }

  // ---------------------------------------------------------------- solve and explain
  var SOFT_EXCLUDED = { link: true, flats: true };
  function softKeys(model) {
    var out = [];
    model.rules.forEach(function (r) { if (!SOFT_EXCLUDED[r.key] && out.indexOf(r.key) < 0) out.push(r.key); });
    return out;
  }
  function zeros(k) { var a = []; for (var i = 0; i < k; i++) a.push(0); return a; }
  function feasible(model, keys) {
    return solveLp(lpText(model, new Set(keys), zeros(model.n + model.m))).then(function (r) {
      return { ok: r.status === "Optimal", r: r };
    });
  }
  async function explainInfeasible(model) {
    // llt_geo.portfolio.explain_infeasible: a deletion filter over the named rules, then the fixes
    var soft = softKeys(model);
    var byKey = {};
    model.rules.forEach(function (r) { if (!(r.key in byKey)) byKey[r.key] = r; });
    if ((await feasible(model, soft)).ok) return { conflict: [], fixes: [], sentence: "" };
    var core = soft.slice();
    for (var k = 0; k < soft.length; k++) {
      var key = soft[k];
      var trial = core.filter(function (x) { return x !== key; });
      if (!(await feasible(model, trial)).ok) core = trial;
    }
    var conflict = core.map(function (key2) { return byKey[key2].name; });
    var fixes = [];
    for (k = 0; k < core.length; k++) {
      key = core[k];
      var without = soft.filter(function (x) { return x !== key; });
      if (!(await feasible(model, without)).ok) continue;
      if (key === "budget") {
        var cost = zeros(model.n + model.m);
        byKey.budget.cols.forEach(function (j, i) { cost[j] = byKey.budget.coefs[i]; });
        var r = await solveLp(lpText(model, new Set(without), cost, "Minimize"));
        if (r.status === "Optimal") {
          fixes.push("met een budget van " + nlEur(Math.ceil(r.objective / 1000) * 1000, " "));
          continue;
        }
      }
      if (key === "goal") {
        var count = zeros(model.n + model.m);
        for (var i = 0; i < model.n; i++) count[i] = 1;
        var r2 = await solveLp(lpText(model, new Set(without), count));
        if (r2.status === "Optimal") {
          fixes.push("met " + Math.round(r2.objective) + " in plaats van " + byKey.goal.lo + " te kiezen flats");
          continue;
        }
      }
      fixes.push("zonder de regel '" + byKey[key].name + "'");
    }
    var sentence = "Geen portefeuille mogelijk: deze regels zijn samen niet te halen: " + conflict.join("; ") + ".";
    if (fixes.length) sentence += " Haalbaar " + fixes.join(", of ") + ".";
    return { conflict: conflict, fixes: fixes, sentence: sentence };
  }
  async function solvePortfolio(settings) {
    var model = modelRules(settings);
    var t0 = performance.now();
    var all = new Set(softKeys(model));
    var r = await solveLp(lpText(model, all, model.objective));
    var out = { settings: settings, model: model, status: r.status, ms: performance.now() - t0, objective: r.objective };
    if (r.status === "Optimal" || (r.status === "Time limit reached" && r.x)) {
      var chosen = [], provider = {};
      for (var i = 0; i < model.n; i++) if (r.x["y" + i] > 0.5) chosen.push(i);
      M.pairs.candidate.forEach(function (c, p) { if (r.x["z" + p] > 0.5) provider[c] = M.pairs.provider[p]; });
      out.chosen = chosen;
      out.provider = provider;
      out.cost = chosen.reduce(function (a, i) { return a + (M.candidates.cost[i] || 0); }, 0);
      out.timeLimit = r.status !== "Optimal";
    } else if (r.status === "Infeasible") {
      out.explanation = await explainInfeasible(model);
      out.ms = performance.now() - t0;
    }
    return out;
  }

  // ---------------------------------------------------------------- the page (verkenning.html)
  function $(id) { return document.getElementById(id); }
  var NUMERIC = ["budget_eur", "flats_to_choose", "min_per_stadsdeel", "max_per_stadsdeel", "min_focus_share", "weight_focus", "max_per_corporation"];
  var current = null;
  function settingsOf(name) { return JSON.parse(JSON.stringify(name === "basis" ? M.settings : M.scenarios[name])); }
  function fill(s) {
    current = s;
    NUMERIC.forEach(function (k) { $("vk-" + k).value = s[k]; });
    document.querySelectorAll("[data-care]").forEach(function (el) { el.value = s.care[el.dataset.care]; });
    document.querySelectorAll("[data-bit]").forEach(function (el) { el.checked = ((s.mode >> Number(el.dataset.bit)) & 1) === 1; });
  }
  function read() {
    var s = JSON.parse(JSON.stringify(current));
    NUMERIC.forEach(function (k) { var v = Number($("vk-" + k).value); if (!Number.isNaN(v)) s[k] = v; });
    ["flats_to_choose", "min_per_stadsdeel", "max_per_stadsdeel", "max_per_corporation"].forEach(function (k) { s[k] = Math.max(0, Math.round(s[k])); });
    document.querySelectorAll("[data-care]").forEach(function (el) { var v = Number(el.value); if (!Number.isNaN(v) && v >= 0) s.care[el.dataset.care] = v; });
    var total = Object.keys(s.care).reduce(function (a, k) { return a + s.care[k]; }, 0);
    if (!(total > 0)) s.care = JSON.parse(JSON.stringify(current.care));
    var mode = 0;
    document.querySelectorAll("[data-bit]").forEach(function (el) { if (el.checked) mode |= 1 << Number(el.dataset.bit); });
    s.mode = mode;
    return s;
  }

  var map = null, layer = null;
  function drawMap(res) {
    if (!window.L || !$("vk-map")) return;
    if (!map) {
      map = L.map("vk-map", { preferCanvas: false });
      var outline = L.geoJSON(D.stadsdelen, { style: { color: "#555", weight: 1, fill: false }, interactive: false }).addTo(map);
      map.fitBounds(outline.getBounds());
      D.fixed.forEach(function (f) {
        var st = D.styles.chosen;
        L.circleMarker(f.latlon, { radius: 5, color: st.line, weight: st.width, fillColor: st.fill, fillOpacity: 0.9 })
          .bindTooltip(f.name + " (" + f.id + "): al in het programma").addTo(map);
      });
      layer = L.layerGroup().addTo(map);
    }
    layer.clearLayers();
    var chosen = new Set(res.chosen || []);
    var mode = Number(res.settings.mode);
    M.candidates.id.forEach(function (cid, i) {
      var fundable = ((M.candidates.fundable[i] >> mode) & 1) === 1;
      var key = chosen.has(i) ? "in" : fundable ? "out" : "not";
      var st = D.styles[key];
      var marker = L.circleMarker(D.candidates[i].latlon, {
        radius: chosen.has(i) ? 8 : 5, color: st.line, weight: st.width, dashArray: st.dash || null,
        fillColor: st.fill, fillOpacity: 0.9, className: "vk-" + key
      });
      marker.bindTooltip(label(i) + ": verkenning — " + st.label);
      layer.addLayer(marker);
    });
  }

  function label(i) {
    var cid = M.candidates.id[i], name = D.candidates[i].name;
    return name.indexOf(cid) >= 0 ? name : name + " (" + cid + ")";
  }
  function cell(text) { var td = document.createElement("td"); td.textContent = text; return td; }
  function render(res) {
    var status = $("vk-status"), box = $("vk-infeasible");
    var tbody = $("vk-table").querySelector("tbody"), tfoot = $("vk-table").querySelector("tfoot");
    tbody.textContent = ""; tfoot.textContent = ""; $("vk-changes").textContent = "";
    box.hidden = true; box.textContent = "";
    var secs = nlNumber(res.ms / 1000, 2) + " s";
    status.dataset.objective = res.status === "Infeasible" ? "" : String(res.objective);
    status.dataset.ms = String(res.ms);
    if (res.status === "Infeasible") {
      status.dataset.state = "infeasible";
      status.textContent = "Verkenning: met deze instellingen is geen portefeuille mogelijk (" + secs + ").";
      box.hidden = false;
      var p = document.createElement("p"); p.textContent = res.explanation.sentence; box.appendChild(p);
      var ul = document.createElement("ul");
      res.explanation.conflict.forEach(function (c) { var li = document.createElement("li"); li.textContent = c; li.className = "vk-conflict"; ul.appendChild(li); });
      box.appendChild(ul);
      drawMap({ settings: res.settings, chosen: [] });
      return;
    }
    if (!res.chosen) {
      status.dataset.state = "error";
      status.textContent = "Verkenning: de rekenmodule gaf geen uitkomst (" + res.status + ").";
      return;
    }
    status.dataset.state = res.timeLimit ? "timelimit" : "optimal";
    status.textContent = "Verkenning: " + res.chosen.length + " flats voor " + nlEur(res.cost) + " van " + nlEur(res.settings.budget_eur) +
      "; totale geschiktheid " + nlNumber(res.objective, 3) + " (" + secs + ")" +
      (res.timeLimit ? ". Let op: de tijdslimiet van " + TIME_LIMIT_S + " seconden is bereikt; dit is de beste portefeuille die tot dan gevonden is, niet bewezen de beste." : ", exact de beste binnen de regels.");
    var basisIn = new Set(D.basis.in);
    var mode = Number(res.settings.mode);
    var sorted = res.chosen.slice().sort(function (a, b) { return M.candidates.id[a] < M.candidates.id[b] ? -1 : 1; });
    sorted.forEach(function (i) {
      var cid = M.candidates.id[i], c = D.candidates[i];
      var tr = document.createElement("tr");
      tr.dataset.candidate = cid;
      var td = document.createElement("td"); var a = document.createElement("a");
      a.href = c.dossier; a.textContent = label(i); td.appendChild(a); tr.appendChild(td);
      var sd = M.candidates.stadsdeel[i];
      tr.appendChild(cell(sd >= 0 ? M.stadsdelen.name[sd] : "onbekend"));
      tr.appendChild(cell(c.corporation));
      var money = cell(nlEur(M.candidates.cost[i])); money.className = "num"; tr.appendChild(money);
      var pid = M.providers.id[res.provider[i]];
      var prov = cell(D.providers[pid]); prov.dataset.provider = pid; tr.appendChild(prov);
      var onCond = ((M.candidates.on_condition[i] >> mode) & 1) === 1;
      tr.appendChild(cell(c.welfare + (onCond ? " (onder voorbehoud)" : "")));
      var vs = basisIn.has(cid) ? (D.basis.provider[cid] === pid ? "ook in basis" : "ook in basis, andere aanbieder") : "nieuw";
      var v = cell(vs); if (vs === "nieuw") v.className = "vk-new"; tr.appendChild(v);
      tbody.appendChild(tr);
    });
    var ftr = document.createElement("tr");
    ftr.appendChild(cell("Totaal: " + res.chosen.length + " flats")); ftr.appendChild(cell("")); ftr.appendChild(cell(""));
    var tot = cell(nlEur(res.cost)); tot.className = "num"; ftr.appendChild(tot);
    ftr.appendChild(cell("budget " + nlEur(res.settings.budget_eur) + ", over " + nlEur(res.settings.budget_eur - res.cost)));
    ftr.appendChild(cell("")); ftr.appendChild(cell(""));
    tfoot.appendChild(ftr);
    var now = new Set(res.chosen.map(function (i) { return M.candidates.id[i]; }));
    var added = Array.from(now).filter(function (x) { return !basisIn.has(x); }).sort();
    var gone = D.basis.in.filter(function (x) { return !now.has(x); }).sort();
    var ul2 = $("vk-changes");
    function li(text, cls) { var e = document.createElement("li"); e.textContent = text; if (cls) e.className = cls; ul2.appendChild(e); }
    if (!added.length && !gone.length) li("Dezelfde flats als in de basis.");
    added.forEach(function (x) { li("erbij: " + label(M.candidates.id.indexOf(x)), "vk-new"); });
    gone.forEach(function (x) { li("eraf: " + label(M.candidates.id.indexOf(x)), "vk-gone"); });
    drawMap(res);
  }

  var seq = 0, timer = null;
  function update() {
    var mine = ++seq;
    var s = read();
    $("vk-status").dataset.state = "busy";
    $("vk-status").textContent = "Verkenning: bezig met rekenen…";
    return solvePortfolio(s).then(function (res) {
      if (mine !== seq) return res;  // a newer change is on its way
      current = s;
      render(res);
      document.body.dataset.solves = String(Number(document.body.dataset.solves || 0) + 1);
      return res;
    });
  }
  function init() {
    if (!$("vk-form")) return;
    fill(settingsOf("basis"));
    $("vk-scenario").addEventListener("change", function () { fill(settingsOf(this.value)); update(); });
    $("vk-form").addEventListener("input", function (e) {
      if (e.target.id === "vk-scenario") return;
      clearTimeout(timer); timer = setTimeout(update, 250);
    });
    update();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();

  window.LLT_VERKENNING_API = { modelRules: modelRules, lpText: lpText, solvePortfolio: solvePortfolio, nlNumber: nlNumber, nlEurShort: nlEurShort, start: start };
})();
