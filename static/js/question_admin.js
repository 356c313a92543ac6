// Question editor in the admin: show the option columns the chosen type uses, and "Correct"
// boxes instead of weights where a type only has right (100) and wrong (0). Without this file
// every column shows and the weights are typed; the server checks the result either way.
(function () {
  "use strict";
  // The site's JavaScript catalogue, where the admin page loads it; else the English here.
  var gettext = window.gettext || function (text) { return text; };
  var COLUMNS = {
    single: ["order", "text", "weight", "feedback"],
    truefalse: ["order", "text", "weight", "feedback"],
    multiple: ["order", "text", "weight", "feedback"],
    ordering: ["order", "text"],
    matching: ["order", "text", "match_text"],
    numerical: ["order", "value", "tolerance", "weight", "feedback"],
    shortanswer: ["order", "text", "weight", "feedback"],
  };
  var ALL = ["order", "text", "match_text", "weight", "value", "tolerance", "feedback"];
  var RIGHT_OR_WRONG = ["single", "truefalse"];

  function correctBox(cell) {
    var weight = cell.querySelector("input");
    if (!weight || cell.querySelector(".correct-box")) return;
    var label = document.createElement("label");
    label.className = "correct-box";
    var box = document.createElement("input");
    box.type = "checkbox";
    box.checked = parseFloat(weight.value) >= 100;
    box.addEventListener("change", function () { weight.value = box.checked ? "100" : "0"; });
    label.appendChild(box);
    label.appendChild(document.createTextNode(" " + gettext("Correct")));
    cell.appendChild(label);
  }

  function apply() {
    var type = document.getElementById("id_type");
    if (!type) return;
    var kind = type.value;
    var shown = COLUMNS[kind] || ALL;
    var group = document.getElementById("options-group");
    if (group) {
      ALL.forEach(function (name) {
        var hide = shown.indexOf(name) === -1;
        group.querySelectorAll("th.column-" + name + ", td.field-" + name).forEach(function (el) {
          el.hidden = hide;
        });
      });
      var simple = RIGHT_OR_WRONG.indexOf(kind) !== -1;
      group.classList.toggle("right-or-wrong", simple);
      group.querySelectorAll("tr:not(.empty-form) > td.field-weight").forEach(function (cell) {
        if (simple) correctBox(cell);
        var box = cell.querySelector(".correct-box input");
        var weight = cell.querySelector("input:not([type=checkbox])");
        if (box && weight) box.checked = parseFloat(weight.value) >= 100;
      });
      var heading = group.querySelector("th.column-weight");
      if (heading) {
        // The column's own heading (the field's name, in the admin's language) comes back.
        if (!heading.hasAttribute("data-heading")) {
          heading.setAttribute("data-heading", heading.firstChild.textContent);
        }
        heading.firstChild.textContent = simple
          ? gettext("Correct") + " " : heading.getAttribute("data-heading");
      }
    }
    document.querySelectorAll(".numerical-only").forEach(function (fieldset) {
      fieldset.hidden = kind !== "numerical";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var type = document.getElementById("id_type");
    if (!type) return;
    type.addEventListener("change", apply);
    apply();
  });
  document.addEventListener("formset:added", apply);
})();
