// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Log-in cards: a print button (without script, the browser's own Print works the same).
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  // Quiz timer: count down to the server's deadline. The server enforces it either way.
  document.querySelectorAll("[data-deadline]").forEach(function (el) {
    var deadline = Date.parse(el.getAttribute("data-deadline"));
    if (isNaN(deadline)) return;
    function tick() {
      var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      var minutes = Math.floor(left / 60);
      var seconds = String(left % 60).padStart(2, "0");
      el.textContent = minutes + ":" + seconds;
      if (left > 0) window.setTimeout(tick, 1000);
    }
    tick();
  });

  // Ordering questions: drag the steps into order. The position menus stay the real answer
  // (and keep working by keyboard); dragging only fills them in.
  document.querySelectorAll("[data-ordering]").forEach(function (list) {
    var dragged = null;
    function renumber() {
      list.querySelectorAll("li").forEach(function (item, index) {
        var select = item.querySelector("select");
        if (select) select.value = String(index + 1);
      });
    }
    list.classList.add("draggable");
    list.querySelectorAll("li").forEach(function (item) {
      item.setAttribute("draggable", "true");
      item.addEventListener("dragstart", function (event) {
        dragged = item;
        item.classList.add("dragging");
        event.dataTransfer.effectAllowed = "move";
      });
      item.addEventListener("dragend", function () {
        item.classList.remove("dragging");
        dragged = null;
      });
      item.addEventListener("dragover", function (event) {
        if (!dragged || dragged === item) return;
        event.preventDefault();
        var box = item.getBoundingClientRect();
        var after = event.clientY > box.top + box.height / 2;
        list.insertBefore(dragged, after ? item.nextSibling : item);
      });
      item.addEventListener("drop", function (event) {
        event.preventDefault();
        renumber();
      });
    });
  });
})();
