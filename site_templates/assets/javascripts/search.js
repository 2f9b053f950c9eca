/* The site's search box: put into the page header (.md-header__inner, in the markup of
 * Material for MkDocs and of Zensical alike) by this script, whatever engine built the
 * site. The first time the rep uses it, it loads the search engine (search-engine.js) and
 * the index (search-index.js, written by `playbook build` after the engine: fetch() does
 * not work from file://) as scripts from this folder; no other host is asked.
 *
 * Keys: "/" or "s" anywhere focuses the box; Enter opens the first result (or the one
 * chosen); arrow down and up move through the results; Escape closes them. Each result
 * shows the snippet of the team and level chosen on this device (window.playbookView,
 * team-view.js; each view's snippets in window.playbookSnippets); a snippet the search
 * chose because the query named a team or level stays. Every text is set with
 * textContent; the words the query matched are <mark> elements. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.src) return;
  var here = script.src;
  var root = new URL("../../", here);  // this file is assets/javascripts/search.js
  var words = Object.assign({
    label: "Search", placeholder: "Search", none: "No results", one: "1 result",
    many: "{n} results", loading: "Loading search …"
  }, window.playbookSearchWords || {});
  var MAX_RESULTS = 20;
  var engine = null, waiting = null, failed = false;
  var form, input, panel, meta, list;

  /* ------------------------------------------------------------------ loading */

  /* The engine and the index, loaded once as scripts; then `done`. */
  function load(done) {
    if (engine || failed) { done(); return; }
    if (waiting) { waiting.push(done); return; }
    waiting = [done];
    var left = 2;
    ["search-engine.js", "search-index.js"].forEach(function (name) {
      var tag = document.createElement("script");
      tag.src = new URL(name, here).href;
      tag.async = false;  // in order: the engine, then the index
      tag.onload = function () { if (--left === 0) loaded(); };
      tag.onerror = function () { failed = true; loaded(); };
      document.head.appendChild(tag);
    });
  }

  function loaded() {
    if (!failed) {
      try {
        engine = new window.playbookSearchEngine.Search(window.playbookSearchIndex || {});
      } catch (e) {
        failed = true;
      }
    }
    var calls = waiting || [];
    waiting = null;
    calls.forEach(function (call) { call(); });
  }

  /* ------------------------------------------------------------------ views */

  /* The snippet of a result as the view chosen on this device holds it. The snippet the
   * search chose names a view ("team|level": the default "|", or the team or level the
   * query named); what the device chose fills in the rest: a query naming "Senior"
   * shows a team's reader the team's value at Senior. */
  function viewSnippet(location, text) {
    var view = window.playbookView, snippets = window.playbookSnippets;
    if (!view || !snippets) return text;
    var texts = snippets[location.split("#")[0]];
    var team = view.team(), level = view.level();
    if (!texts || (!team && !level)) return text;
    var shown = Object.keys(texts).filter(function (k) { return texts[k] === text; })[0];
    if (shown === undefined) return text;  // a snippet of its own (a team's freedoms)
    var named = shown.split("|");
    var wanted = [(named[0] || team) + "|" + (named[1] || level), (named[0] || team) + "|" + named[1],
                  named[0] + "|" + (named[1] || level)];
    for (var i = 0; i < wanted.length; i++) {
      if (typeof texts[wanted[i]] === "string") return texts[wanted[i]];
    }
    return text;
  }

  /* ------------------------------------------------------------------ results */

  /* `text` into `into`, the words of `stems` as <mark> elements. */
  function marked(into, text, stems) {
    engine.segments(text, stems).forEach(function (part) {
      if (part[1]) {
        var mark = document.createElement("mark");
        mark.textContent = part[0];
        into.appendChild(mark);
      } else {
        into.appendChild(document.createTextNode(part[0]));
      }
    });
    return into;
  }

  function element(tag, className) {
    var el = document.createElement(tag);
    el.className = className;
    return el;
  }

  function count(n) {
    return n === 0 ? words.none : n === 1 ? words.one : String(words.many).replace("{n}", String(n));
  }

  function show(result) {
    list.textContent = "";
    var groups = result.items.slice(0, MAX_RESULTS);
    groups.forEach(function (group) {
      var best = group[group.length - 1];
      var item = element("li", "pb-search__item");
      var link = element("a", "pb-search__link");
      link.href = new URL(String(best.location), root).href;
      if (group.length > 1) {  // a section: under its page
        link.appendChild(element("span", "pb-search__page")).textContent = String(group[0].title);
      }
      marked(link.appendChild(element("span", "pb-search__title")), String(best.title), result.stems);
      var snippet = viewSnippet(String(best.location), String(best.text || ""));
      if (snippet) marked(link.appendChild(element("span", "pb-search__snippet")), snippet, result.stems);
      item.appendChild(link);
      list.appendChild(item);
    });
    meta.textContent = count(result.items.length);
    open(true);
  }

  function run() {
    var query = input.value;
    if (!query.trim()) {
      list.textContent = "";
      meta.textContent = "";
      open(false);
      return;
    }
    if (!engine) {
      meta.textContent = failed ? count(0) : words.loading;
      open(true);
      if (!failed) load(run);
      return;
    }
    var result;
    try {
      result = engine.query(query);
    } catch (e) {
      result = { items: [], stems: [] };
    }
    show(result);
  }

  function open(yes) {
    panel.hidden = !yes;
  }

  function links() {
    return Array.prototype.slice.call(list.querySelectorAll(".pb-search__link"));
  }

  /* ------------------------------------------------------------------ keys */

  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  function onInputKey(ev) {
    var all = links();
    if (ev.key === "Enter") {
      ev.preventDefault();
      if (!engine) { load(function () { run(); var first = links()[0]; if (first) first.click(); }); return; }
      run();
      if (links()[0]) links()[0].click();
    } else if (ev.key === "ArrowDown" && all.length) {
      ev.preventDefault();
      all[0].focus();
    } else if (ev.key === "Escape") {
      if (panel.hidden) input.blur();
      open(false);
    }
  }

  function onListKey(ev) {
    var all = links(), at = all.indexOf(document.activeElement);
    if (at < 0) return;
    if (ev.key === "ArrowDown") {
      ev.preventDefault();
      if (at + 1 < all.length) all[at + 1].focus();
    } else if (ev.key === "ArrowUp") {
      ev.preventDefault();
      if (at > 0) all[at - 1].focus(); else input.focus();
    } else if (ev.key === "Escape") {
      ev.preventDefault();
      open(false);
      input.focus();
    }
  }

  function onPageKey(ev) {
    if (ev.defaultPrevented || ev.ctrlKey || ev.metaKey || ev.altKey || typing(ev.target)) return;
    if (ev.key === "/" || ev.key === "s" || ev.key === "S") {
      ev.preventDefault();
      input.focus();
      input.select();
    }
  }

  /* ------------------------------------------------------------------ the box */

  function start() {
    var header = document.querySelector(".md-header__inner");
    if (!header || document.querySelector(".pb-search")) return;
    form = element("form", "pb-search");
    form.setAttribute("role", "search");
    form.addEventListener("submit", function (ev) { ev.preventDefault(); });
    var label = element("label", "pb-search__label");
    label.htmlFor = "pb-search-input";
    label.textContent = words.label;
    input = element("input", "pb-search__input");
    input.id = "pb-search-input";
    input.type = "search";
    input.autocomplete = "off";
    input.spellcheck = false;
    input.placeholder = words.placeholder;
    input.setAttribute("aria-controls", "pb-search-results");
    panel = element("div", "pb-search__panel");
    panel.id = "pb-search-results";
    panel.hidden = true;
    meta = element("p", "pb-search__meta");
    meta.setAttribute("role", "status");
    list = element("ol", "pb-search__list");
    list.setAttribute("aria-label", words.label);
    panel.appendChild(meta);
    panel.appendChild(list);
    form.appendChild(label);
    form.appendChild(input);
    form.appendChild(panel);
    /* after the team switch where there is one (team-view.js puts it before this box):
       the same order whichever script runs first, and whichever engine made the header */
    var team = header.querySelector(".pb-team-switch");
    header.insertBefore(form, team ? team.nextSibling : header.querySelector(".md-header__source"));
    input.addEventListener("focus", function () { load(function () {}); if (input.value.trim()) run(); });
    input.addEventListener("input", run);
    input.addEventListener("keydown", onInputKey);
    list.addEventListener("keydown", onListKey);
    document.addEventListener("keydown", onPageKey);
    document.addEventListener("click", function (ev) {
      if (!form.contains(ev.target)) open(false);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
