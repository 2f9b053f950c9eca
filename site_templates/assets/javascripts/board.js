/* Delegation board on a phone: one role's column at a time, chosen from a list above the
 * tables (the choice is kept in this browser). The page holds one table per team (the
 * team switch shows the chosen one); all have the same columns, so one choice serves
 * them all. Without this script the tables scroll, their first column in place. */
(function () {
  "use strict";
  var KEY = "playbook-board-column";

  function stored() {
    try { return window.localStorage.getItem(KEY); } catch (e) { return null; }
  }
  function store(value) {
    try { window.localStorage.setItem(KEY, value); } catch (e) { /* storage blocked */ }
  }

  function mount(boards) {
    if (boards.classList.contains("pb-board--switchable")) return;
    var table = boards.querySelector(".pb-board__table");  // the organisation's comes first
    var heads = table ? table.querySelectorAll("thead .pb-board__role") : [];
    if (!heads.length) return;
    var named = boards.querySelector(".pb-board__label");  // the page's own word for "role"
    var wrap = document.createElement("p");
    wrap.className = "pb-board__switch";
    var label = document.createElement("label");
    label.setAttribute("for", "pb-board-role");
    label.textContent = named ? named.textContent : "Role";
    var select = document.createElement("select");
    select.id = "pb-board-role";
    select.className = "pb-board__select";
    Array.prototype.forEach.call(heads, function (head, index) {
      var option = document.createElement("option");
      option.value = String(index + 1);
      option.textContent = head.textContent.replace(/\s+/g, " ").trim();
      select.appendChild(option);
    });
    var kept = stored();
    if (kept && Number(kept) >= 1 && Number(kept) <= heads.length) select.value = kept;
    else {  /* no column kept: the rep's own at the level chosen on this device */
      var level = window.playbookView ? window.playbookView.level() : "";
      Array.prototype.forEach.call(heads, function (head, index) {
        if (level && head.classList.contains("pb-board__level--" + level)) {
          select.value = String(index + 1);
        }
      });
    }
    function show() {
      boards.querySelectorAll(".pb-board__shown").forEach(function (cell) {
        cell.classList.remove("pb-board__shown");
      });
      boards.querySelectorAll(".pb-board__col-" + select.value).forEach(function (cell) {
        cell.classList.add("pb-board__shown");
      });
    }
    select.addEventListener("change", function () { store(select.value); show(); });
    wrap.appendChild(label);
    wrap.appendChild(select);
    boards.insertBefore(wrap, boards.firstChild);
    boards.classList.add("pb-board--switchable");
    show();
  }

  function start() { document.querySelectorAll(".pb-boards").forEach(mount); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
