// kg review: the page. Every text from the sources is set with textContent, never parsed as HTML.
"use strict";
(function () {
  const TOKEN = document.querySelector('meta[name="kg-token"]').content;
  const $ = (id) => document.getElementById(id);
  const state = { queue: [], meta: null, article: null, cur: 0, editing: null, spans: [] };

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v);
    }
    for (const child of children) if (child != null) node.append(child);
    return node;
  }

  function say(text, ok) {
    const box = $("message");
    box.hidden = !text;
    box.className = ok ? "ok" : "";
    $("message-text").textContent = text || "";
    $("reload").hidden = true;
  }

  async function call(path, body) {
    const options = body === undefined ? {} : {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-KG-Token": TOKEN },
      body: JSON.stringify(body),
    };
    const response = await fetch(path, options);
    const data = await response.json();
    if (!response.ok) {
      const error = new Error((data.problems && data.problems.join("\n\n")) || data.error || response.statusText);
      error.reload = !!data.reload;
      throw error;
    }
    return data;
  }

  function failed(error) {
    say(error.message);
    if (error.reload) $("reload").hidden = false;
  }

  // --- the queue -------------------------------------------------------------------------------------------
  async function loadQueue() {
    state.queue = (await call("/api/queue")).queue;
    const outlets = [...new Set(state.queue.map((a) => a.outlet).filter(Boolean))].sort();
    const select = $("outlet");
    const chosen = select.value;
    select.replaceChildren(el("option", { value: "", text: "All outlets" }), ...outlets.map((o) => el("option", { value: o, text: o })));
    select.value = chosen;
    drawQueue();
  }

  function visible() {
    const words = $("search").value.toLowerCase();
    const outlet = $("outlet").value, from = $("from").value.trim(), to = $("to").value.trim();
    return state.queue.filter((a) =>
      (!outlet || a.outlet === outlet) &&
      (!from || a.published.slice(0, from.length) >= from) &&
      (!to || a.published.slice(0, to.length) <= to) &&
      (!words || (a.title + " " + a.slug + " " + a.outlet).toLowerCase().includes(words)));
  }

  function drawQueue() {
    const current = state.article && state.article.slug;
    $("queue").replaceChildren(...visible().map((a) => el("li", {
      class: a.slug === current ? "current" : "", "data-slug": a.slug, tabindex: "0",
      onclick: () => openArticle(a.slug), onkeydown: (e) => { if (e.key === "Enter") openArticle(a.slug); },
    },
      el("span", { class: "t", text: a.title }),
      el("span", { class: "m", text: `${a.outlet} · ${a.published} · ${a.review} ` }),
      el("span", { class: "n pending", text: String(a.pending), title: "pending" }),
      el("span", { class: "n accepted", text: String(a.accepted), title: "accepted" }),
      el("span", { class: "n rejected", text: String(a.rejected), title: "rejected" }))));
  }

  function stepArticle(step) {
    const list = visible();
    const at = list.findIndex((a) => state.article && a.slug === state.article.slug);
    const next = list[at + step];
    if (next) openArticle(next.slug);
  }

  // --- one article ---------------------------------------------------------------------------------------------
  async function openArticle(slug, keep) {
    try {
      const article = await call("/api/article?slug=" + encodeURIComponent(slug));
      show(article, keep ? state.cur : firstUndecided(article));
      say("");
    } catch (error) { failed(error); }
  }

  function firstUndecided(article) {
    const at = article.claims.findIndex((c) => !c.status);
    return at < 0 ? 0 : at;
  }

  function show(article, cur) {
    const started = performance.now();
    state.article = article;
    state.editing = null;
    state.cur = Math.max(0, Math.min(cur, article.claims.length - 1));
    $("title").textContent = article.title;
    $("meta").textContent = `${article.outlet} · ${article.published} · ${article.path} · review: ${article.review}`;
    $("where").textContent = article.slug;
    drawText();
    drawClaims();
    drawProposed();
    const counts = { pending: 0, accepted: 0, rejected: 0 };
    for (const c of article.claims) counts[c.status || (article.review === "reviewed" ? "accepted" : "pending")]++;
    $("counts").textContent = `${article.claims.length} claims: ${counts.pending} pending, ${counts.accepted} accepted, ${counts.rejected} rejected`;
    $("undo").disabled = !article.can_undo;
    document.body.dataset.slug = article.slug;
    drawQueue();
    focusClaim(state.cur, false);
    document.body.dataset.drawn = String(Math.round(performance.now() - started));
  }

  function drawText() {
    const text = state.article.text, claims = state.article.claims;
    const cuts = new Set([0, text.length]);
    for (const c of claims) if (c.at) { cuts.add(c.at[0]); cuts.add(c.at[1]); }
    const points = [...cuts].sort((a, b) => a - b);
    const parts = [];
    state.spans = claims.map(() => []);
    for (let i = 0; i + 1 < points.length; i++) {
      const [start, end] = [points[i], points[i + 1]];
      const covering = claims.filter((c) => c.at && c.at[0] <= start && end <= c.at[1]);
      const piece = text.slice(start, end);
      if (!covering.length) { parts.push(document.createTextNode(piece)); continue; }
      const statuses = new Set(covering.map((c) => c.status || "pending"));
      const span = el("span", {
        class: "q" + (statuses.size === 1 && !statuses.has("pending") ? " " + [...statuses][0] : ""),
        text: piece, onclick: () => focusClaim(covering[0].n, true),
      });
      for (const c of covering) state.spans[c.n].push(span);
      parts.push(span);
    }
    $("text").replaceChildren(...parts);
  }

  function actorName(id) {
    const actor = state.meta && state.meta.byId[id];
    return actor ? actor.name : id;
  }

  function relationLabel(name) {
    const relation = state.meta && state.meta.relations.find((r) => r.name === name);
    return relation ? relation.label : name;
  }

  function drawClaims() {
    $("claims").replaceChildren(...state.article.claims.map((c) => {
      const details = [c.date && "date " + c.date, "claimant " + (c.claimant || state.article.outlet),
        "confidence " + (c.confidence || "1.0"), c.disputed && "disputed"].filter(Boolean).join(" · ");
      return el("li", { class: "claim " + (c.status || "pending"), "data-n": String(c.n), onclick: () => focusClaim(c.n, false) },
        el("span", { class: "badge", text: c.status || "pending" }),
        el("div", { class: "triple" }, el("span", { text: actorName(c.subject) }), " —",
          el("span", { class: "rel", text: relationLabel(c.predicate) }), "→ ", el("span", { text: actorName(c.object) })),
        el("div", { class: "quote", text: "“" + c.quote + "”" }),
        el("div", { class: "details", text: details }),
        c.note ? el("div", { class: "details", text: "note: " + c.note }) : null,
        el("div", { class: "rule", text: (c.rule ? "rule " + c.rule + " · " : "added by a person · ") + "line " + c.line }),
        el("div", { class: "buttons" },
          el("button", { type: "button", text: "Accept (a)", onclick: (e) => { e.stopPropagation(); focusClaim(c.n); decide("accept"); } }),
          el("button", { type: "button", text: "Reject (r)", onclick: (e) => { e.stopPropagation(); focusClaim(c.n); decide("reject"); } }),
          el("button", { type: "button", text: "Edit (e)", onclick: (e) => { e.stopPropagation(); focusClaim(c.n); edit(); } })));
    }));
  }

  function focusClaim(n, scroll = true) {
    if (!state.article || !state.article.claims.length) return;
    for (const span of state.spans[state.cur] || []) span.classList.remove("cur");
    const old = $("claims").children[state.cur];
    if (old) old.classList.remove("cur");
    state.cur = Math.max(0, Math.min(n, state.article.claims.length - 1));
    const item = $("claims").children[state.cur];
    if (item) { item.classList.add("cur"); if (scroll) item.scrollIntoView({ block: "nearest" }); }
    const spans = state.spans[state.cur] || [];
    for (const span of spans) span.classList.add("cur");
    if (scroll && spans.length) spans[0].scrollIntoView({ block: "nearest" });
    document.body.dataset.cur = String(state.cur);
  }

  // --- decisions -------------------------------------------------------------------------------------------------
  async function decide(action, fields, index) {
    const article = state.article;
    if (!article) return;
    if (action !== "done" && action !== "add" && !article.claims.length) return;
    const n = index === undefined ? state.cur : index;
    try {
      const next = await call("/api/decide", { slug: article.slug, base: article.hash, action, index: n, fields });
      const after = action === "add" ? next.claims.length - 1
        : (action === "accept" || action === "reject" || action === "fix") ? nextUndecided(next, n) : n;
      show(next, after);
      say(action === "done" ? "Marked reviewed: " + next.path : "");
      loadQueue();
    } catch (error) { failed(error); }
  }

  function nextUndecided(article, from) {
    for (let i = from + 1; i < article.claims.length; i++) if (!article.claims[i].status) return i;
    return Math.min(from + 1, article.claims.length - 1);
  }

  async function undo() {
    try {
      const undone = await call("/api/undo", {});
      say("Undone: " + undone.undone, true);
      await openArticle(undone.slug, true);
      say("Undone: " + undone.undone, true);
      loadQueue();
    } catch (error) { failed(error); }
  }

  // --- the edit form (fix, or a new claim) -------------------------------------------------------------------------
  function actorInput(name, value) {
    const input = el("input", { name, list: "actors", value: value || "", autocomplete: "off", "aria-label": name });
    const label = el("span", { class: "name", text: actorName(value) });
    input.addEventListener("input", () => { label.textContent = actorName(input.value); });
    return [input, label];
  }

  function relationOptions(select, subject, object, current) {
    const types = (id) => { const a = state.meta.byId[id]; return a ? a.type : null; };
    const s = types(subject), o = types(object);
    const fits = state.meta.relations.filter((r) => (!s || r.subjects.includes(s)) && (!o || r.objects.includes(o)));
    const options = fits.map((r) => el("option", { value: r.name, text: `${r.label} (${r.name})`, title: r.comment }));
    if (current && !fits.some((r) => r.name === current)) {
      options.unshift(el("option", { value: current, text: `${relationLabel(current)} (${current}) — does not fit` }));
    }
    select.replaceChildren(...options);
    select.value = current && [...select.options].some((o) => o.value === current) ? current : (fits[0] ? fits[0].name : "");
  }

  function form(claim, onSave) {
    const [subject, subjectName] = actorInput("subject", claim.subject);
    const [object, objectName] = actorInput("object", claim.object);
    const predicate = el("select", { name: "predicate", "aria-label": "relation" });
    const refresh = () => relationOptions(predicate, subject.value, object.value, predicate.value || claim.predicate);
    subject.addEventListener("change", refresh);
    object.addEventListener("change", refresh);
    const field = (name, value, attrs) => el("input", { name, value: value || "", "aria-label": name, ...(attrs || {}) });
    const quote = el("textarea", { name: "quote", "aria-label": "quote" });
    quote.value = claim.quote || "";
    const note = el("textarea", { name: "note", "aria-label": "note" });
    note.value = claim.note || "";
    const disputed = el("input", { type: "checkbox", name: "disputed", "aria-label": "disputed" });
    disputed.checked = !!claim.disputed;
    const problems = el("div", { class: "problems wide" });
    const box = el("form", { class: "edit" },
      el("label", { text: "subject" }), subject, subjectName,
      el("label", { text: "relation" }), predicate,
      el("label", { text: "object" }), object, objectName,
      el("label", { text: "quote" }), quote,
      el("label", { text: "date" }), field("date", claim.date, { placeholder: "YYYY, YYYY-MM, YYYY-MM-DD or START/END" }),
      el("label", { text: "claimant" }), field("claimant", claim.claimant, { placeholder: state.article.outlet }),
      el("label", { text: "confidence" }), field("confidence", claim.confidence, { placeholder: "1.0" }),
      el("label", { text: "disputed" }), disputed,
      el("label", { text: "note" }), note,
      el("div", { class: "buttons wide" },
        el("button", { type: "submit", text: "Save and accept (Enter)" }),
        el("button", { type: "button", text: "Cancel (Esc)", onclick: () => show(state.article, state.cur) })),
      problems);
    relationOptions(predicate, claim.subject, claim.object, claim.predicate);
    box.addEventListener("submit", (e) => { e.preventDefault(); onSave(values(box)); });
    box.addEventListener("keydown", (e) => {
      if (e.key === "Escape") { e.preventDefault(); show(state.article, state.cur); }
      else if (e.key === "Enter" && (e.target.tagName !== "TEXTAREA" || e.ctrlKey)) { e.preventDefault(); onSave(values(box)); }
    });
    return box;
  }

  function values(box) {
    const data = {};
    for (const name of ["subject", "predicate", "object", "quote", "date", "claimant", "confidence", "note"]) {
      data[name] = box.elements[name].value;
    }
    data.disputed = box.elements.disputed.checked;
    return data;
  }

  function edit() {
    const claim = state.article && state.article.claims[state.cur];
    if (!claim) return;
    const item = $("claims").children[state.cur];
    const box = form(claim, (fields) => decide("fix", fields));
    item.append(box);
    state.editing = box;
    box.elements.subject.focus();
    box.scrollIntoView({ block: "nearest" });
  }

  function selection() {
    const chosen = window.getSelection();
    if (!chosen.rangeCount || chosen.isCollapsed) return null;
    const range = chosen.getRangeAt(0), text = $("text");
    if (!text.contains(range.startContainer) || !text.contains(range.endContainer)) return null;
    const offset = (node, at) => { const r = document.createRange(); r.setStart(text, 0); r.setEnd(node, at); return r.toString().length; };
    const start = offset(range.startContainer, range.startOffset), end = offset(range.endContainer, range.endOffset);
    return state.article.text.slice(start, end);
  }

  function addFromSelection() {
    if (!state.article) return;
    const quote = selection();
    if (!quote || !quote.trim()) { say("Select the passage of the article that states the relation, then press n."); return; }
    const item = el("li", { class: "claim cur" }, el("div", { class: "triple", text: "New claim" }));
    const box = form({ quote }, (fields) => decide("add", fields));
    item.append(box);
    $("claims").append(item);
    state.editing = box;
    item.scrollIntoView({ block: "nearest" });
    box.elements.subject.focus();
  }

  // --- proposed actors -------------------------------------------------------------------------------------------
  function drawProposed() {
    const proposed = state.article.proposed;
    $("proposed-title").hidden = !proposed.length;
    $("proposed").replaceChildren(...proposed.map((p) => {
      const id = el("input", { name: "id", value: p.id || "", "aria-label": "id" });
      const name = el("input", { name: "name", value: p.name, "aria-label": "name" });
      const type = el("select", { name: "type", "aria-label": "class" },
        ...Object.entries(state.meta.classes).map(([c, label]) => el("option", { value: c, text: label })));
      type.value = p.type;
      const aliases = el("input", { name: "aliases", placeholder: "aliases, comma-separated", "aria-label": "aliases" });
      const [into] = actorInput("into", "");
      const send = (action, fields) => actorDecision(action, p.n, fields);
      return el("li", { class: "actor", "data-n": String(p.n) },
        el("div", { class: "triple", text: `${p.name} (${p.type})` }),
        el("div", { class: "quote", text: p.sentence }),
        el("div", { class: "buttons" }, id, name, type, aliases,
          el("button", { type: "button", text: "Add to registry", onclick: () => send("add", { id: id.value, name: name.value, type: type.value, aliases: aliases.value }) })),
        el("div", { class: "buttons" }, into,
          el("button", { type: "button", text: "Merge into", onclick: () => send("merge", { into: into.value }) }),
          el("button", { type: "button", text: "Drop", onclick: () => send("drop", {}) })));
    }));
  }

  async function actorDecision(action, index, fields) {
    const article = state.article;
    try {
      const next = await call("/api/actor", { slug: article.slug, base: article.hash, actors_base: state.meta.actors_hash, action, index, fields });
      await loadMeta();
      show(next, state.cur);
      say("");
    } catch (error) { failed(error); }
  }

  async function loadMeta() {
    const meta = await call("/api/meta");
    meta.byId = Object.fromEntries(meta.actors.map((a) => [a.id, a]));
    state.meta = meta;
    $("actors").replaceChildren(...meta.actors.map((a) => el("option", {
      value: a.id, text: [a.name, meta.classes[a.type] || a.type, ...a.aliases].join(" · "),
    })));
  }

  // --- keys ------------------------------------------------------------------------------------------------------
  document.addEventListener("keydown", (e) => {
    const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName);
    if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
    const keys = {
      j: () => focusClaim(state.cur + 1), ArrowDown: () => focusClaim(state.cur + 1),
      k: () => focusClaim(state.cur - 1), ArrowUp: () => focusClaim(state.cur - 1),
      a: () => decide("accept"), r: () => decide("reject"), e: () => edit(), u: () => undo(),
      n: () => addFromSelection(), d: () => decide("done"),
      "]": () => stepArticle(1), "[": () => stepArticle(-1),
      "/": () => $("search").focus(), "?": () => { $("help").hidden = !$("help").hidden; },
      Escape: () => { $("help").hidden = true; if (state.editing) show(state.article, state.cur); },
    };
    const action = keys[e.key];
    if (action) { e.preventDefault(); action(); }
  });

  $("undo").addEventListener("click", undo);
  $("done").addEventListener("click", () => decide("done"));
  $("add").addEventListener("click", addFromSelection);
  $("help-button").addEventListener("click", () => { $("help").hidden = !$("help").hidden; });
  $("reload").addEventListener("click", () => state.article && openArticle(state.article.slug, true));
  for (const id of ["search", "outlet", "from", "to"]) $(id).addEventListener("input", drawQueue);
  $("search").addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === "Escape") { e.target.blur(); const first = visible()[0]; if (e.key === "Enter" && first) openArticle(first.slug); } });

  (async function start() {
    try {
      const meta = loadMeta();
      await loadQueue();
      const wanted = new URLSearchParams(location.search).get("article");
      const first = wanted || (state.queue[0] && state.queue[0].slug);
      // The article is asked for while the registry is still on its way; it is drawn once both are here.
      const article = first ? call("/api/article?slug=" + encodeURIComponent(first)) : null;
      await meta;
      if (article) {
        const loaded = await article;
        show(loaded, firstUndecided(loaded));
      }
    } catch (error) { failed(error); }
    document.body.dataset.readyAt = String(Math.round(performance.now()));
    document.body.dataset.ready = "1";
  })();
})();
