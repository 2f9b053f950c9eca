/* Onboarding checklist: a tick per step, kept in this browser (localStorage). */
(function () {
  "use strict";
  var steps = document.querySelectorAll(".pb-step[id]");
  if (!steps.length) return;
  var labels = (window.playbookDecisions && window.playbookDecisions.labels) || {};
  var prefix = "playbook-onboarding:" + document.title.split(" - ").pop() + ":";
  var progress = document.getElementById("pb-progress");

  function stored(key) {
    try { return window.localStorage.getItem(key) === "1"; } catch (e) { return false; }
  }
  function store(key, done) {
    try {
      if (done) window.localStorage.setItem(key, "1"); else window.localStorage.removeItem(key);
    } catch (e) { /* storage blocked: ticks last for this visit only */ }
  }
  function update() {
    var done = document.querySelectorAll(".pb-step__done:checked").length;
    if (progress) {
      progress.textContent = (labels.progress || "{done} / {total}")
        .replace("{done}", done).replace("{total}", steps.length);
    }
  }
  steps.forEach(function (step) {
    var key = prefix + step.id;
    var box = document.createElement("input");
    box.type = "checkbox";
    box.className = "pb-step__done";
    box.id = "done-" + step.id;
    box.checked = stored(key);
    var label = document.createElement("label");
    label.className = "pb-step__label";
    label.setAttribute("for", box.id);
    label.textContent = labels.done || "done";
    box.addEventListener("change", function () {
      store(key, box.checked);
      step.classList.toggle("pb-step--done", box.checked);
      update();
    });
    step.classList.toggle("pb-step--done", box.checked);
    var row = document.createElement("div");
    row.className = "pb-step__tick";
    row.appendChild(box);
    row.appendChild(label);
    step.insertBefore(row, step.firstChild);
  });
  update();
})();
