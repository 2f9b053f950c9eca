/* "Was ist neu für mich" (neu.html): only the changes that concern the reader.
 *
 * Each item is classed with the roles, levels and teams it concerns (generator/site/news.py).
 * The reader picks a role here (kept on this device, like the team and level); the
 * level and team come from team-view.js (window.playbookView). Without script, or
 * without a choice, every item shows. Works from file://; texts only via textContent. */
(function () {
  "use strict";
  var list = document.querySelector(".pb-news");
  var data = window.playbookDecisions;
  if (!list || !data) return;
  var SAFE = /^[A-Za-z0-9_-]+$/;  /* ids are slugs; anything else never reaches a class */
  var roles = (data.roles || []).filter(function (r) { return SAFE.test(r.id); });
  var texts = data.news || {};
  var key = "playbook:" + data.site + ":role";
  var items = Array.prototype.slice.call(list.querySelectorAll(".pb-news-item"));

  function read() {
    var value;
    try { value = window.localStorage.getItem(key) || ""; } catch (e) { value = ""; }
    return roles.some(function (r) { return r.id === value; }) ? value : "";
  }
  function write(value) {
    try {
      if (value) window.localStorage.setItem(key, value);
      else window.localStorage.removeItem(key);
    } catch (e) { /* storage blocked: the choice lasts for this page */ }
  }

  var role = read();
  var label = document.createElement("label");
  label.className = "pb-news-filter";
  label.appendChild(document.createTextNode((texts.role || "Role") + " "));
  var select = document.createElement("select");
  select.id = "pb-news-role";
  [{ id: "", name: texts.all_roles || "all" }].concat(roles).forEach(function (r) {
    var option = document.createElement("option");
    option.value = r.id;
    option.textContent = r.name;
    select.appendChild(option);
  });
  select.value = role;
  label.appendChild(select);
  var none = document.createElement("p");
  none.className = "pb-news-none";
  none.textContent = texts.none || "";
  list.parentNode.insertBefore(label, list);
  list.parentNode.insertBefore(none, list.nextSibling);

  function has(item, name) { return item.classList.contains(name); }
  function teamOnly(item) {
    return Array.prototype.some.call(item.classList, function (c) {
      return c.indexOf("pb-news-team--") === 0;
    });
  }

  function apply() {
    var view = window.playbookView;
    var level = view ? view.level() : "";
    var team = view ? view.team() : "";
    var shown = 0;
    items.forEach(function (item) {
      var forRole = !role || has(item, "pb-news-role--all") || has(item, "pb-news-role--" + role);
      var forLevel = !level || has(item, "pb-news-level--all") ||
        has(item, "pb-news-level--" + level);
      var forTeam = teamOnly(item) ? Boolean(team) && has(item, "pb-news-team--" + team) :
        !(team && has(item, "pb-news-same-for--" + team));
      item.hidden = !(forRole && forLevel && forTeam);
      if (!item.hidden) shown += 1;
    });
    none.hidden = shown > 0;
  }

  select.addEventListener("change", function () {
    role = SAFE.test(select.value) ? select.value : "";
    write(role);
    apply();
  });
  document.addEventListener("pb-view-change", apply);
  apply();
})();
