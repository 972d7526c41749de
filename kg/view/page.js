/* kg viz: draws the graph in #kg-data with vis-network. Text from the sources is only ever set with
   textContent (never innerHTML), and only http(s) links are made clickable. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var classes = data.classes, relations = data.relations, evidence = data.evidence, sources = data.sources;
  var small = data.physics;
  var GLYPHS = { dot: "\u25cf", box: "\u25a0", square: "\u25a0", diamond: "\u25c6", triangle: "\u25b2",
    triangleDown: "\u25bc", star: "\u2605", hexagon: "\u2b22" };

  function $(id) { return document.getElementById(id); }
  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (cls) { node.className = cls; }
    return node;
  }
  function isHttp(url) { return typeof url === "string" && /^https?:\/\/[^\s]+$/i.test(url); }
  function link(url, text) {
    if (!isHttp(url)) { return el("span", text); }
    var a = el("a", text);
    a.href = url; a.target = "_blank"; a.rel = "noopener noreferrer";
    return a;
  }
  function key(text) { return String(text).toLowerCase().replace(/[\s\u00a0]+/g, " ").trim(); }

  var detailsStart = Array.prototype.slice.call($("kg-details").childNodes).map(function (n) { return n.cloneNode(true); });
  var byId = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; });
  function classLabel(n) { return (classes[n.c] || {}).label || n.c; }
  function edgeOpacity(e) {
    return Math.min(e.dp ? evidence.disputed.opacity : 1, e.x ? evidence.extracted.opacity : 1);
  }
  /* The whole colour object, always: vis-network replaces an edge's colour object on update, so an update
     with only an opacity drew the edge in its source node's colour (issue 12, item 13). */
  function edgeColor(e, opacity) {
    var color = relations[e.p].color;
    return { color: color, highlight: color, hover: color, inherit: false, opacity: opacity };
  }
  function edgeDashes(e) {
    return Boolean(relations[e.p].dashes || (e.dp && evidence.disputed.dashes) || (e.x && evidence.extracted.dashes));
  }

  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    var style = classes[n.c];
    var item = { id: n.id, label: n.label, shape: style.shape, color: style.color, size: 8 + 4 * Math.sqrt(n.dg),
      font: { color: style.shape === "box" || style.shape === "ellipse" ? "#ffffff" : "#222222" } };
    if (n.x !== undefined) { item.x = n.x; item.y = n.y; }
    return item;
  }));
  var edges = new vis.DataSet(data.edges.map(function (e, i) {
    var style = relations[e.p], opacity = edgeOpacity(e);
    return { id: i, from: e.f, to: e.t, label: style.label, arrows: style.directed ? "to" : "",
      dashes: edgeDashes(e), width: style.width, base: opacity, color: edgeColor(e, opacity),
      smooth: e.k ? { enabled: true, type: e.k % 2 ? "curvedCW" : "curvedCCW", roundness: 0.2 * Math.ceil(e.k / 2) }
        : false };
  }));

  var state = { preds: {}, classes: {}, source: "", since: "", until: "" };
  Object.keys(relations).forEach(function (p) { state.preds[p] = true; });
  Object.keys(classes).forEach(function (c) { state.classes[c] = true; });

  function claimPasses(c) {
    if (state.source && c.s !== state.source) { return false; }
    if (state.since || state.until) {
      var src = sources[c.s] || {};
      if (!c.d && !src.date) { return false; }
      var low = c.e || (c.d ? "" : src.earliest || ""), high = c.l || (c.d ? "" : src.latest || "");
      if (state.until && low && low > state.until) { return false; }
      if (state.since && high && high < state.since) { return false; }
    }
    return true;
  }
  function edgeVisible(item) {
    var e = data.edges[item.id];
    if (!state.preds[e.p] || !state.classes[byId[e.f].c] || !state.classes[byId[e.t].c]) { return false; }
    return state.source || state.since || state.until ? e.c.some(claimPasses) : true;
  }
  var nodesView = new vis.DataView(nodes, { filter: function (n) { return state.classes[byId[n.id].c]; } });
  var edgesView = new vis.DataView(edges, { filter: edgeVisible });

  var options = {
    layout: { randomSeed: data.seed, improvedLayout: small && data.nodes.length <= 100 },
    physics: { enabled: small, solver: "forceAtlas2Based", stabilization: { iterations: 250, fit: true },
      forceAtlas2Based: { gravitationalConstant: -250, springLength: 170, avoidOverlap: 1 } },
    interaction: { hover: true, tooltipDelay: 100, hideEdgesOnDrag: !small, hideEdgesOnZoom: !small },
    nodes: { borderWidth: 1, font: { size: 14 }, scaling: { label: { drawThreshold: 6 } }, widthConstraint: { maximum: 160 } },
    edges: { font: { size: 11, align: "middle", color: "#444444", strokeWidth: 3 }, arrowStrikethrough: false,
      selectionWidth: 2 }
  };
  var network = new vis.Network($("kg-network"), { nodes: nodesView, edges: edgesView }, options);
  window.kgNetwork = network;

  var physicsButton = $("kg-physics");
  function setPhysics(on) {
    network.setOptions({ physics: { enabled: on } });
    physicsButton.setAttribute("aria-pressed", on ? "true" : "false");
    physicsButton.textContent = on ? "Physics: on" : "Physics: off";
  }
  physicsButton.addEventListener("click", function () { setPhysics(physicsButton.getAttribute("aria-pressed") !== "true"); });
  setPhysics(small);

  /* No node may hide another (issue 12, item 14). The physics keeps node centres apart, but not their boxes
     with the labels (a wide company box covered a place under it); so once the layout has settled, boxes that
     still overlap are pushed apart along the axis where they overlap least, pair by pair, until none does.
     Deterministic: the same sorted order and arithmetic every time. */
  var GAP = 10;
  function separate() {
    var ids = nodesView.getIds().slice().sort(), pos = network.getPositions(ids), boxes = {};
    ids.forEach(function (id) {
      var b = network.getBoundingBox(id), p = pos[id];
      boxes[id] = { x: p.x, y: p.y, l: b.left - p.x - GAP / 2, r: b.right - p.x + GAP / 2,
        t: b.top - p.y - GAP / 2, b: b.bottom - p.y + GAP / 2 };
    });
    for (var round = 0; round < 500; round++) {
      var moved = false;
      var order = ids.slice().sort(function (a, b) { return (boxes[a].x + boxes[a].l) - (boxes[b].x + boxes[b].l) || (a < b ? -1 : 1); });
      for (var i = 0; i < order.length; i++) {
        var a = boxes[order[i]];
        for (var j = i + 1; j < order.length; j++) {
          var c = boxes[order[j]];
          if (c.x + c.l >= a.x + a.r) { break; }
          var dx = Math.min(a.x + a.r, c.x + c.r) - Math.max(a.x + a.l, c.x + c.l);
          var dy = Math.min(a.y + a.b, c.y + c.b) - Math.max(a.y + a.t, c.y + c.t);
          if (dx <= 0 || dy <= 0) { continue; }
          if (dx < dy) {
            var sx = (a.x + (a.l + a.r) / 2 <= c.x + (c.l + c.r) / 2 ? 1 : -1) * (dx / 2 + 0.5);
            a.x -= sx; c.x += sx;
          } else {
            var sy = (a.y + (a.t + a.b) / 2 <= c.y + (c.t + c.b) / 2 ? 1 : -1) * (dy / 2 + 0.5);
            a.y -= sy; c.y += sy;
          }
          moved = true;
        }
      }
      if (!moved) { break; }
    }
    ids.forEach(function (id) { network.moveNode(id, boxes[id].x, boxes[id].y); });
  }

  var settled = !small;
  network.once("stabilizationIterationsDone", function () {
    setPhysics(false);  /* the layout stays as drawn; "Physics" sets it moving again */
    network.redraw();   /* label sizes are measured when drawn */
    separate();
    network.redraw();
    network.fit();
    settled = true;
    network.redraw();
  });
  network.on("afterDrawing", function () {
    if (settled && !document.body.hasAttribute("data-ready")) { document.body.setAttribute("data-ready", "1"); }
  });

  function status() {
    $("kg-status").textContent = "Showing " + nodesView.length + " of " + data.nodes.length + " actors, " +
      edgesView.length + " of " + data.edges.length + " relations." +
      (data.filters.length ? " Drawn from: " + data.filters.join("; ") + "." : "");
  }
  function refresh() { nodesView.refresh(); edgesView.refresh(); status(); }

  /* Legend with filters: one checkbox per relation and per class, drawn as on the canvas. */
  function legendItem(list, sample, text, checked, onChange) {
    var li = el("li"), label = el("label"), box = el("input");
    box.type = "checkbox"; box.checked = checked;
    box.addEventListener("change", function () { onChange(box.checked); });
    label.appendChild(box); label.appendChild(sample); label.appendChild(el("span", text));
    li.appendChild(label); list.appendChild(li);
    return box;
  }
  Object.keys(relations).sort().forEach(function (p) {
    var style = relations[p], line = el("span", null, "kg-line");
    line.style.borderTopColor = style.color; line.style.borderTopWidth = Math.max(2, style.width) + "px";
    line.style.borderTopStyle = style.dashes ? "dashed" : "solid";
    var box = legendItem($("kg-relations"), line, style.label + (style.directed ? " \u2192" : " (both ways)"), true,
      function (on) { state.preds[p] = on; refresh(); });
    box.setAttribute("data-predicate", p);
  });
  ["disputed", "extracted"].forEach(function (k) {
    var style = evidence[k], li = el("li"), line = el("span", null, "kg-line");
    line.style.borderTopColor = "#555555"; line.style.borderTopWidth = "2px";
    line.style.borderTopStyle = style.dashes ? "dashed" : "solid"; line.style.opacity = String(style.opacity);
    var how = [style.dashes ? "dashed" : "", style.opacity < 1 ? "faded" : ""].filter(Boolean).join(", ");
    li.title = style.comment;
    li.appendChild(line); li.appendChild(el("span", style.label + ": " + how));
    $("kg-evidence").appendChild(li);
  });
  Object.keys(classes).sort().forEach(function (c) {
    var style = classes[c], glyph;
    if (style.shape === "box" || style.shape === "ellipse") {
      glyph = el("span", null, "kg-glyph kg-swatch kg-swatch-" + style.shape);
      glyph.style.backgroundColor = style.color;
    } else {
      glyph = el("span", GLYPHS[style.shape] || "\u25cf", "kg-glyph");
      glyph.style.color = style.color;
    }
    var box = legendItem($("kg-classes"), glyph, style.label, true, function (on) { state.classes[c] = on; refresh(); });
    box.setAttribute("data-class", c);
  });
  Object.keys(sources).sort().forEach(function (slug) {
    var s = sources[slug], option = el("option", (s.outlet ? s.outlet + ": " : "") + (s.headline || slug));
    option.value = slug; $("kg-source").appendChild(option);
  });
  $("kg-source").addEventListener("change", function (ev) { state.source = ev.target.value; refresh(); });
  $("kg-since").addEventListener("change", function (ev) { state.since = ev.target.value; refresh(); });
  $("kg-until").addEventListener("change", function (ev) { state.until = ev.target.value; refresh(); });
  $("kg-reset").addEventListener("click", function () {
    Array.prototype.forEach.call(document.querySelectorAll("#kg-controls input[type=checkbox]"), function (b) { b.checked = true; });
    Object.keys(state.preds).forEach(function (p) { state.preds[p] = true; });
    Object.keys(state.classes).forEach(function (c) { state.classes[c] = true; });
    state.source = state.since = state.until = "";
    $("kg-source").value = ""; $("kg-since").value = ""; $("kg-until").value = "";
    $("kg-search").value = ""; $("kg-results").textContent = "";
    $("kg-details").replaceChildren.apply($("kg-details"), detailsStart.map(function (n) { return n.cloneNode(true); }));
    network.unselectAll(); clearHighlight(); refresh(); network.fit();
  });

  /* Neighbourhood highlight: clicking an actor dims everything not linked to it. */
  var highlighted = false;
  function highlight(id) {
    var keep = {}; keep[id] = true;
    network.getConnectedNodes(id).forEach(function (n) { keep[n] = true; });
    var near = {}; network.getConnectedEdges(id).forEach(function (e) { near[e] = true; });
    nodes.update(nodes.getIds().map(function (n) { return { id: n, opacity: keep[n] ? 1 : 0.15 }; }));
    edges.update(edges.get().map(function (e) {
      return { id: e.id, color: edgeColor(data.edges[e.id], near[e.id] ? e.base : 0.05) };
    }));
    highlighted = true;
  }
  function clearHighlight() {
    if (!highlighted) { return; }
    nodes.update(nodes.getIds().map(function (n) { return { id: n, opacity: 1 }; }));
    edges.update(edges.get().map(function (e) { return { id: e.id, color: edgeColor(data.edges[e.id], e.base) }; }));
    highlighted = false;
  }

  /* Details: everything about an actor or a relation, with clickable http(s) links. */
  function dl(pairs) {
    var list = el("dl");
    pairs.forEach(function (p) {
      if (p[1] === "" || p[1] === null || p[1] === undefined) { return; }
      list.appendChild(el("dt", p[0]));
      var dd = el("dd"); dd.appendChild(p[1] instanceof Node ? p[1] : document.createTextNode(String(p[1])));
      list.appendChild(dd);
    });
    return list;
  }
  function edgeTitle(e) {
    var style = relations[e.p];
    return byId[e.f].label + (style.directed ? " \u2014" + style.label + "\u2192 " : " \u2014" + style.label + "\u2014 ") + byId[e.t].label;
  }
  function showNode(id) {
    var n = byId[id], box = $("kg-details");
    box.textContent = "";
    box.appendChild(el("h3", n.label));
    box.appendChild(dl([["type", classLabel(n)], ["id", n.id], ["aliases", n.a.join("; ")], ["description", n.ds],
      ["Wikidata", n.wd ? link(n.wd, n.wd.split("/").pop()) : ""], ["relations drawn", String(n.dg)]]));
    var list = el("ul");
    network.getConnectedEdges(id).forEach(function (eid) {
      var li = el("li"), b = el("button", edgeTitle(data.edges[eid]));
      b.type = "button"; b.addEventListener("click", function () { showEdge(eid); });
      li.appendChild(b); list.appendChild(li);
    });
    box.appendChild(list);
  }
  function claimBlock(c) {
    var div = el("div", null, "kg-claim"), s = sources[c.s] || {};
    if (c.dp) { div.appendChild(el("span", evidence.disputed.label, "kg-flag")); }
    if (c.x) { div.appendChild(el("span", evidence.extracted.label, "kg-flag")); }
    div.appendChild(el("blockquote", "\u201c" + c.q + "\u201d"));
    div.appendChild(dl([["claimed by", c.by], ["date", c.d], ["source", link(s.url || "", s.headline || c.s)],
      ["outlet", s.outlet], ["published", s.date], ["method", c.m + (c.r ? " (" + c.r + ")" : "")],
      ["confidence", String(c.cf)]]));
    return div;
  }
  function showEdge(eid) {
    var e = data.edges[eid], box = $("kg-details");
    box.textContent = "";
    box.appendChild(el("h3", edgeTitle(e)));
    if (e.dp) { box.appendChild(el("span", evidence.disputed.label, "kg-flag")); }
    if (e.x) { box.appendChild(el("span", evidence.extracted.label, "kg-flag")); }
    box.appendChild(el("p", e.c.length + (e.c.length === 1 ? " claim" : " claims"), "kg-note"));
    e.c.forEach(function (c) { box.appendChild(claimBlock(c)); });
  }
  network.on("click", function (params) {
    if (params.nodes.length) { highlight(params.nodes[0]); showNode(params.nodes[0]); }
    else if (params.edges.length) { clearHighlight(); showEdge(params.edges[0]); }
    else { clearHighlight(); }
  });

  /* Tooltips: plain text (textContent), every claim listed. */
  var tip = $("kg-tooltip");
  function tooltipText(kind, id) {
    if (kind === "node") {
      var n = byId[id];
      return [n.label, "type: " + classLabel(n), n.a.length ? "aliases: " + n.a.join("; ") : "",
        n.wd ? "Wikidata: " + n.wd : ""].filter(Boolean).join("\n");
    }
    var e = data.edges[id], lines = [edgeTitle(e)];
    e.c.forEach(function (c) {
      var s = sources[c.s] || {};
      lines.push("\u2022 \u201c" + c.q + "\u201d \u2014 " + [c.by, s.outlet, c.d || s.date, c.m, "confidence " + c.cf]
        .filter(Boolean).join(", ") + (c.dp ? " [" + evidence.disputed.label + "]" : "") + (s.url ? "\n  " + s.url : ""));
    });
    lines.push("(click for links)");
    return lines.join("\n");
  }
  function showTip(kind, params) {
    tip.textContent = tooltipText(kind, kind === "node" ? params.node : params.edge);
    var rect = $("kg-network").getBoundingClientRect();
    tip.style.left = Math.min(rect.left + params.pointer.DOM.x + 14, window.innerWidth - 430) + "px";
    tip.style.top = (rect.top + params.pointer.DOM.y + 14) + "px";
    tip.hidden = false;
  }
  network.on("hoverNode", function (p) { showTip("node", p); });
  network.on("hoverEdge", function (p) { showTip("edge", p); });
  network.on("blurNode", function () { tip.hidden = true; });
  network.on("blurEdge", function () { tip.hidden = true; });
  network.on("dragStart", function () { tip.hidden = true; });

  /* Search by name or alias. */
  var index = data.nodes.map(function (n) { return { id: n.id, keys: [key(n.label)].concat(n.a.map(key)) }; });
  function search(text) {
    var q = key(text), found = [];
    if (!q) { return found; }
    for (var i = 0; i < index.length && found.length < 20; i++) {
      var hit = index[i].keys.filter(function (k) { return k.indexOf(q) >= 0; })[0];
      if (hit !== undefined) { found.push({ id: index[i].id, via: hit }); }
    }
    return found;
  }
  function choose(id) {
    network.selectNodes([id]); network.focus(id, { scale: 1.2, animation: false });
    highlight(id); showNode(id);
  }
  $("kg-search").addEventListener("input", function (ev) {
    var list = $("kg-results");
    list.textContent = "";
    search(ev.target.value).forEach(function (r) {
      var n = byId[r.id], li = el("li");
      var b = el("button", n.label + (r.via !== key(n.label) ? " (" + r.via + ")" : ""));
      b.type = "button"; b.setAttribute("data-id", r.id);
      b.addEventListener("click", function () { choose(r.id); });
      li.appendChild(b); list.appendChild(li);
    });
  });
  $("kg-search").addEventListener("keydown", function (ev) {
    var first = document.querySelector("#kg-results button");
    if (ev.key === "Enter" && first) { first.click(); }
  });

  status();
}());
