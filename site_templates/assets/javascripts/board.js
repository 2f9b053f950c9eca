/* Delegation board on a phone: one role's column at a time, chosen from a list above the
 * table (the choice is kept in this browser). Without this script the table scrolls. */
(function () {
  "use strict";
  var KEY = "playbook-board-column";

  function stored() {
    try { return window.localStorage.getItem(KEY); } catch (e) { return null; }
  }
  function store(value) {
    try { window.localStorage.setItem(KEY, value); } catch (e) { /* storage blocked */ }
  }

  function mount(board) {
    if (board.classList.contains("pb-board--switchable")) return;
    var heads = board.querySelectorAll("thead .pb-board__role");
    if (!heads.length) return;
    var named = board.querySelector(".pb-board__label");  // the page's own word for "role"
    var wrap = document.createElement("p");
    wrap.className = "pb-board__switch";
    var label = document.createElement("label");
    label.setAttribute("for", "pb-board-role");
    label.textContent = named ? named.textContent : "Role";
    var select = document.createElement("select");
    select.id = "pb-board-role";
    select.className = "pb-board__select";
    heads.forEach(function (head, index) {
      var option = document.createElement("option");
      option.value = String(index + 1);
      option.textContent = head.textContent;
      select.appendChild(option);
    });
    var kept = stored();
    if (kept && Number(kept) >= 1 && Number(kept) <= heads.length) select.value = kept;
    function show() {
      board.querySelectorAll(".pb-board__shown").forEach(function (cell) {
        cell.classList.remove("pb-board__shown");
      });
      board.querySelectorAll(".pb-board__col-" + select.value).forEach(function (cell) {
        cell.classList.add("pb-board__shown");
      });
    }
    select.addEventListener("change", function () { store(select.value); show(); });
    wrap.appendChild(label);
    wrap.appendChild(select);
    board.insertBefore(wrap, board.firstChild);
    board.classList.add("pb-board--switchable");
    show();
  }

  function start() { document.querySelectorAll(".pb-board").forEach(mount); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
