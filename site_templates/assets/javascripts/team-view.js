/* The rep's team and level, kept on this device: which variant of the pages to show.
 *
 * Loaded in the page's head (overrides/main.html), right after playbook-data.js, so the
 * chosen variant shows from the first paint. Pages carry each team's and level's
 * values in blocks classed `pb-view pb-view-team--<team|org> pb-view-level--<level|any>`
 * (generator/site/views.py), or `pb-view-nolevel` for a reader who has chosen no level;
 * without a choice (or without script) the organisation's view with no level chosen
 * shows, which states a limit that differs by level for every level. The team switch goes into the header once the page is read.
 * Works from file://; where storage is blocked, a choice lasts for this page only.
 *
 * window.playbookView: team(), level() (ids; "" = none chosen), setTeam(id), setLevel(id),
 * levels(), teams(); a change fires "pb-view-change" on document. */
(function () {
  "use strict";
  var data = window.playbookDecisions;
  if (!data) return;
  var teams = (data.teams || []).map(function (t) { return t.id; });
  var levels = (data.levels || []).map(function (l) { return l.id; });
  var prefix = "playbook:" + data.site + ":";
  var SAFE = /^[A-Za-z0-9_-]+$/;  /* ids are slugs; anything else never reaches CSS */

  function read(name, known) {
    var value;
    try { value = window.localStorage.getItem(prefix + name) || ""; } catch (e) { value = ""; }
    return known.indexOf(value) >= 0 && SAFE.test(value) ? value : "";
  }
  function write(name, value) {
    try {
      if (value) window.localStorage.setItem(prefix + name, value);
      else window.localStorage.removeItem(prefix + name);
    } catch (e) { /* storage blocked: the choice lasts for this page */ }
  }

  var state = { team: read("team", teams), level: read("level", levels) };
  var style = document.createElement("style");
  style.id = "pb-view-style";
  (document.head || document.documentElement).appendChild(style);

  function show() {
    var root = document.documentElement;
    root.setAttribute("data-pb-team", state.team);
    root.setAttribute("data-pb-level", state.level);
    /* no choice: the default view (no level chosen; every level's value labelled) */
    if (!state.team && !state.level) { style.textContent = ""; return; }
    var own = SAFE.test(data.team || "") ? data.team : "";  /* a team's own site */
    var team = ".pb-view.pb-view-team--" + (state.team || own || "org");
    /* a site without levels has only `any` blocks; with levels and none chosen, the
     * blocks of a reader who chose none */
    var level = state.level ? ".pb-view-level--" + state.level :
      (levels.length ? ".pb-view-nolevel" : ".pb-view-level--any");
    var chosen = [team + level, team + ".pb-view-level--any"];
    style.textContent = ".pb-view.pb-view--default{display:none}" +
      chosen.join(",") + "{display:block}" +
      chosen.map(function (s) { return "span" + s; }).join(",") + "{display:inline}";
  }

  function changed() {
    show();
    var event;
    try { event = new CustomEvent("pb-view-change"); } catch (e) {
      event = document.createEvent("Event"); event.initEvent("pb-view-change", false, false);
    }
    document.dispatchEvent(event);
  }

  window.playbookView = {
    team: function () { return state.team; },
    level: function () { return state.level; },
    teams: function () { return data.teams || []; },
    levels: function () { return data.levels || []; },
    setTeam: function (id) {
      state.team = teams.indexOf(id) >= 0 && SAFE.test(id) ? id : "";
      write("team", state.team); changed();
    },
    setLevel: function (id) {
      state.level = levels.indexOf(id) >= 0 && SAFE.test(id) ? id : "";
      write("level", state.level); changed();
    }
  };
  show();

  /* the team switch, in the header */
  function mountSwitch() {
    if (!teams.length || document.getElementById("pb-team-switch")) return;
    var L = data.labels || {};
    var box = document.createElement("div");
    box.className = "pb-team-switch";
    var label = document.createElement("label");
    label.className = "pb-team-switch__label";
    label.setAttribute("for", "pb-team-switch");
    label.textContent = L.team || "Team";
    var select = document.createElement("select");
    select.id = "pb-team-switch";
    select.className = "pb-team-switch__select";
    var org = document.createElement("option");
    org.value = "";
    org.textContent = L.team_org || "–";
    select.appendChild(org);
    (data.teams || []).forEach(function (t) {
      var option = document.createElement("option");
      option.value = t.id;
      option.textContent = t.name;
      select.appendChild(option);
    });
    select.value = state.team;
    select.addEventListener("change", function () { window.playbookView.setTeam(select.value); });
    document.addEventListener("pb-view-change", function () { select.value = state.team; });
    box.appendChild(label);
    box.appendChild(select);
    var header = document.querySelector(".md-header__inner");
    if (header) {
      var before = header.querySelector(".pb-search") ||  /* the site's search box */
        header.querySelector(".md-header__source");
      if (before) header.insertBefore(box, before); else header.appendChild(box);
    } else {
      var content = document.querySelector(".md-content__inner") || document.body;
      content.insertBefore(box, content.firstChild);
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mountSwitch);
  else mountSwitch();
})();
