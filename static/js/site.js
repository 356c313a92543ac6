// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  // Strings from Django's JavaScript catalogue (/jsi18n/, loaded before this file); if it did
  // not load, the English in the code is shown as it is.
  var gettext = window.gettext || function (text) { return text; };
  var ngettext = window.ngettext || function (one, many, count) { return count === 1 ? one : many; };
  var interpolate = window.interpolate || function (format, values) {
    return format.replace(/%\((\w+)\)s/g, function (match, name) { return String(values[name]); });
  };

  // A table wider than its box says so on every screen: its right edge fades while there is
  // more to the right, and its hint ("swipe the table sideways") shows on a desktop too.
  function markCut(box) {
    var more = box.scrollWidth - box.clientWidth - box.scrollLeft > 1;
    var wide = box.scrollWidth - box.clientWidth > 1;
    box.classList.toggle("is-cut", more);
    box.classList.toggle("is-wide", wide);
    var hintId = (box.getAttribute("aria-describedby") || "").split(" ")[0];
    var hint = hintId && document.getElementById(hintId);
    if (hint) hint.classList.toggle("scroll-hint-shown", wide);
  }
  var boxes = document.querySelectorAll(".table-scroll");
  boxes.forEach(function (box) {
    markCut(box);
    box.addEventListener("scroll", function () { markCut(box); }, { passive: true });
  });
  if (boxes.length) {
    window.addEventListener("resize", function () { boxes.forEach(markCut); });
  }

  // The group's invitation link: Copy (the clipboard) and Share (the phone's own sheet), shown
  // only where the browser can do them; the link itself is on the page either way.
  document.querySelectorAll("[data-copy-buttons]").forEach(function (row) {
    var copy = row.querySelector("[data-copy]");
    var share = row.querySelector("[data-share]");
    var status = row.querySelector("[data-copy-status]");
    var text = function (button) {
      return document.getElementById(button.getAttribute("data-copy") || button.getAttribute("data-share")).textContent.trim();
    };
    if (navigator.clipboard && copy) {
      row.hidden = false;
      copy.addEventListener("click", function () {
        navigator.clipboard.writeText(text(copy)).then(function () {
          status.textContent = gettext("Copied.");
        }, function () { status.textContent = gettext("Select the link above and copy it."); });
      });
    }
    if (navigator.share && share) {
      row.hidden = false;
      share.hidden = false;
      share.addEventListener("click", function () {
        navigator.share({ title: share.getAttribute("data-share-title"), url: text(share) }).catch(function () {});
      });
    }
  });

  // Log-in cards: a print button (without script, the browser's own Print works the same).
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  // Quiz timer: counts down the seconds the server said were left when it drew the page (so
  // a phone's wrong clock does not matter). Warns at 5 and 1 minutes through a polite live
  // region; the visible clock itself is not announced every second. The server enforces the
  // deadline either way.
  document.querySelectorAll("[data-seconds-left]").forEach(function (el) {
    var left = parseInt(el.getAttribute("data-seconds-left"), 10);
    if (isNaN(left)) return;
    var end = Date.now() + left * 1000;
    var header = el.closest("[data-quiz-header]");
    var warning = header && header.querySelector("[data-timer-warning]");
    var warned = {};
    function warn(minutes, text) {
      if (warned[minutes] || !warning) return;
      warned[minutes] = true;
      warning.textContent = text;
      el.closest(".timer").classList.add("timer-urgent");
    }
    function tick() {
      var now = Math.max(0, Math.round((end - Date.now()) / 1000));
      var minutes = Math.floor(now / 60);
      el.textContent = minutes + ":" + String(now % 60).padStart(2, "0");
      if (now <= 300 && now > 60) warn(5, gettext("5 minutes left. Your answers are being saved."));
      if (now <= 60 && now > 0) warn(1, gettext("1 minute left. Answers after the deadline do not count."));
      if (now > 0) {
        window.setTimeout(tick, 1000);
      } else {
        // Time is up: the server submits the attempt with what it saved and shows the result.
        window.setTimeout(function () { window.location.reload(); }, 1500);
      }
    }
    tick();
  });

  // Ordering questions: one list, one state. The position menus are the answer sent to the
  // server (and are what works without JavaScript); here they are hidden and always
  // renumbered from the list's order after every move, so what is on screen is what is saved.
  function enhanceOrdering(list) {
    var live = document.createElement("p");
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");
    list.parentNode.insertBefore(live, list.nextSibling);
    var items = function () { return Array.prototype.slice.call(list.children); };
    var picked = null;
    var dragging = null;
    var justDragged = false;
    var keep = null;
    var note = null;

    function text(item) { return item.querySelector(".step-text").textContent.trim(); }

    function answered() {
      var values = items().map(function (item) { return item.querySelector("select").value; });
      return values.every(function (v) { return v !== ""; });
    }

    function refreshButtons() {
      var all = items();
      all.forEach(function (item, index) {
        item.querySelector("[data-move='up']").disabled = index === 0;
        item.querySelector("[data-move='down']").disabled = index === all.length - 1;
        item.querySelector(".step-number").textContent = String(index + 1);
        // Its name starts with the number it shows (the handle holds the step's number).
        item.querySelector(".ordering-handle").setAttribute("aria-label", interpolate(
          gettext("%(number)s: move “%(step)s”: drag, tap then tap its place, or use the arrow keys"),
          { number: index + 1, step: text(item) }, true));
      });
      list.classList.toggle("is-unanswered", !answered());
      // The button stays where it is (it only says the order shown is the answer), and the
      // note keeps its room: nothing above or below the list moves under the finger.
      if (note) {
        note.classList.toggle("is-done", answered());
        note.textContent = answered()
          ? gettext("This order is your answer. Move a step to change it.")
          : gettext("Not answered yet: move a step, or keep this order with the button below.");
      }
    }

    function commit() {
      items().forEach(function (item, index) {
        item.querySelector("select").value = String(index + 1);
      });
      refreshButtons();
      list.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function announce(item) {
      live.textContent = interpolate(gettext("“%(step)s” is now step %(position)s of %(count)s."),
        { step: text(item), position: items().indexOf(item) + 1, count: items().length }, true);
    }

    function moveTo(item, index) {
      var all = items().filter(function (other) { return other !== item; });
      list.insertBefore(item, all[index] || null);
      commit();
      announce(item);
    }

    function unpick() {
      if (!picked) return;
      picked.classList.remove("is-picked");
      picked.querySelector(".ordering-handle").setAttribute("aria-pressed", "false");
      picked = null;
    }

    items().forEach(function (item) {
      var select = item.querySelector("select");
      select.hidden = true;
      var label = item.querySelector(".step-text");
      var number = document.createElement("span");
      number.className = "step-number";
      number.setAttribute("aria-hidden", "true");
      var handle = document.createElement("button");
      handle.type = "button";
      handle.className = "ordering-handle";
      handle.setAttribute("aria-pressed", "false");
      handle.setAttribute("aria-label", interpolate(
        gettext("Move “%(step)s”: drag, tap then tap its place, or use the arrow keys"),
        { step: text(item) }, true));
      handle.innerHTML = '<span aria-hidden="true">⠿</span>';
      var controls = document.createElement("span");
      controls.className = "ordering-controls";
      [["up", "▲", gettext("Move up: “%(step)s”")],
       ["down", "▼", gettext("Move down: “%(step)s”")]].forEach(function (spec) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "ordering-step";
        button.setAttribute("data-move", spec[0]);
        button.setAttribute("aria-label", interpolate(spec[2], { step: text(item) }, true));
        button.innerHTML = '<span aria-hidden="true">' + spec[1] + "</span>";
        controls.appendChild(button);
      });
      // The step's number sits in its handle: on a phone every pixel of width goes to the text.
      handle.insertBefore(number, handle.firstChild);
      item.insertBefore(handle, item.firstChild);
      label.removeAttribute("for");
      item.appendChild(controls);
    });
    // A list nobody has touched is no answer yet; this button makes the order shown the answer.
    keep = document.createElement("button");
    keep.type = "button";
    keep.className = "button button-secondary ordering-keep";
    keep.textContent = gettext("This order is my answer");
    keep.addEventListener("click", function () {
      commit();
      live.textContent = gettext("Order saved as shown.");
    });
    list.parentNode.insertBefore(keep, live);
    // Until then the numbers are only the order shown, not an answer: say so.
    note = document.createElement("p");
    note.className = "ordering-note";
    note.textContent = gettext("Not answered yet: move a step, or keep this order with the button below.");
    list.parentNode.insertBefore(note, list);
    list.classList.add("is-enhanced");
    refreshButtons();

    // Buttons: up/down, and tap-to-pick on the handle (a click is also Enter or Space).
    list.addEventListener("click", function (event) {
      if (justDragged) { justDragged = false; return; }
      var item = event.target.closest(".ordering-item");
      if (!item) return;
      var step = event.target.closest("[data-move]");
      var index = items().indexOf(item);
      if (step) {
        unpick();
        moveTo(item, step.getAttribute("data-move") === "up" ? index - 1 : index + 1);
        var again = item.querySelector("[data-move='" + step.getAttribute("data-move") + "']");
        (again.disabled ? item.querySelector(".ordering-handle") : again).focus();
        return;
      }
      if (picked && picked !== item) {
        var target = picked;
        unpick();
        moveTo(target, index);
        target.querySelector(".ordering-handle").focus();
        return;
      }
      if (event.target.closest(".ordering-handle")) {
        if (picked === item) {
          unpick();
          live.textContent = interpolate(gettext("“%(step)s” put down."), { step: text(item) }, true);
        } else {
          picked = item;
          item.classList.add("is-picked");
          item.querySelector(".ordering-handle").setAttribute("aria-pressed", "true");
          live.textContent = interpolate(gettext("Picked “%(step)s”. Tap the step whose place it takes."),
            { step: text(item) }, true);
        }
      }
    });

    // Arrow keys on a handle move its step; focus stays on the handle.
    list.addEventListener("keydown", function (event) {
      var handle = event.target.closest(".ordering-handle");
      if (!handle || (event.key !== "ArrowUp" && event.key !== "ArrowDown")) return;
      event.preventDefault();
      var item = handle.closest(".ordering-item");
      var index = items().indexOf(item) + (event.key === "ArrowUp" ? -1 : 1);
      if (index < 0 || index >= items().length) return;
      moveTo(item, index);
      handle.focus();
    });

    // Drag by the handle with a mouse, a finger or a pen (pointer events for all three).
    // Moves are followed on the document: moving the step in the list would end a capture.
    // Near the top or bottom of the screen the page scrolls while a step is held there, so a
    // list taller than a phone's screen can be reordered end to end; the sticky quiz header's
    // height counts as the top edge.
    var EDGE = 64;
    function topEdge() {
      var header = document.querySelector("[data-quiz-header]");
      var bottom = header ? header.getBoundingClientRect().bottom : 0;
      return Math.max(0, bottom) + EDGE;
    }
    function scrollWhileHeld() {
      if (!dragging || !dragging.moved) return;
      var y = dragging.lastY;
      var speed = 0;
      if (y < topEdge()) speed = -Math.ceil((topEdge() - y) / 4);
      else if (y > window.innerHeight - EDGE) speed = Math.ceil((y - window.innerHeight + EDGE) / 4);
      if (speed) {
        window.scrollBy(0, speed);
        place(y);
      }
      dragging.frame = window.requestAnimationFrame(scrollWhileHeld);
    }
    function place(y) {
      var others = items().filter(function (other) { return other !== dragging.item; });
      var before = null;
      for (var i = 0; i < others.length; i++) {
        var box = others[i].getBoundingClientRect();
        if (y < box.top + box.height / 2) { before = others[i]; break; }
      }
      var next = dragging.item.nextElementSibling;
      if (next !== before) list.insertBefore(dragging.item, before);
    }
    function follow(event) {
      if (!dragging || event.pointerId !== dragging.id) return;
      if (!dragging.moved && Math.abs(event.clientY - dragging.y) < 6) return;
      event.preventDefault();
      dragging.lastY = event.clientY;
      if (!dragging.moved) {
        dragging.moved = true;
        unpick();
        dragging.item.classList.add("is-dragging");
        dragging.frame = window.requestAnimationFrame(scrollWhileHeld);
      }
      place(event.clientY);
    }
    function drop(event) {
      if (!dragging || event.pointerId !== dragging.id) return;
      var item = dragging.item;
      var moved = dragging.moved;
      if (dragging.frame) window.cancelAnimationFrame(dragging.frame);
      dragging = null;
      document.removeEventListener("pointermove", follow);
      document.removeEventListener("pointerup", drop);
      document.removeEventListener("pointercancel", drop);
      item.classList.remove("is-dragging");
      if (moved) {
        justDragged = true;
        window.setTimeout(function () { justDragged = false; }, 50);
        commit();
        announce(item);
      }
    }
    list.addEventListener("pointerdown", function (event) {
      var handle = event.target.closest(".ordering-handle");
      if (!handle || dragging || (event.pointerType === "mouse" && event.button !== 0)) return;
      dragging = {
        item: handle.closest(".ordering-item"), y: event.clientY, moved: false, id: event.pointerId,
      };
      document.addEventListener("pointermove", follow, { passive: false });
      document.addEventListener("pointerup", drop);
      document.addEventListener("pointercancel", drop);
    });
  }
  document.querySelectorAll("[data-ordering]").forEach(enhanceOrdering);

  // Autosave: each change is sent (after a short pause) to the same form and save the page
  // uses; the header says when it was saved, or that it will try again.
  var form = document.querySelector("form[data-autosave]");
  if (form) {
    var stateEl = document.querySelector("[data-save-state]");
    var answeredEl = document.querySelector("[data-answered]");
    var timer = null;
    var inFlight = false;
    var pending = false;
    var retryDelay = 2000;
    var unsaved = false;

    function showState(text, kind) {
      if (!stateEl) return;
      stateEl.textContent = text;
      stateEl.className = "save-state" + (kind ? " save-" + kind : "");
    }

    function showQuestions(data) {
      if (answeredEl) answeredEl.textContent = String(data.answered);
      (data.questions || []).forEach(function (q) {
        var link = document.querySelector("[data-nav-question='" + q.number + "']");
        if (!link) return;
        link.classList.toggle("is-answered", q.answered);
        link.classList.toggle("is-flagged", q.flagged);
        var state;
        if (q.answered) state = q.flagged ? gettext(": answered, flagged") : gettext(": answered");
        else state = q.flagged ? gettext(": not answered, flagged") : gettext(": not answered");
        link.querySelector("[data-nav-state]").textContent = state;
      });
      document.querySelectorAll("[data-question]").forEach(function (fieldset) {
        var list = fieldset.querySelector("[data-question-errors]");
        var errors = (data.errors || {})[fieldset.getAttribute("data-question")] || [];
        list.innerHTML = "";
        errors.forEach(function (message) {
          var li = document.createElement("li");
          li.textContent = message;
          list.appendChild(li);
        });
        list.hidden = errors.length === 0;
      });
    }

    function save() {
      timer = null;
      if (inFlight) { pending = true; return; }
      inFlight = true;
      pending = false;
      showState(gettext("Saving…"), "busy");
      fetch(form.getAttribute("data-autosave"), {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" },
      }).then(function (response) {
        return response.json().then(function (data) { return { status: response.status, data: data }; });
      }).then(function (reply) {
        inFlight = false;
        if (reply.data.closed) {
          window.location.assign(reply.data.url);
          return;
        }
        showQuestions(reply.data);
        retryDelay = 2000;
        if (reply.status === 400) {
          unsaved = true;
          showState(gettext("Not saved yet — fix the answer marked below"), "error");
        } else if (!pending) {
          unsaved = false;
          showState(interpolate(gettext("Saved %(time)s"), { time: reply.data.saved_at }, true), "ok");
        }
        if (pending) schedule(0);
      }).catch(function () {
        inFlight = false;
        unsaved = true;
        showState(gettext("Not saved yet — retrying"), "error");
        schedule(retryDelay);
        retryDelay = Math.min(retryDelay * 2, 30000);
      });
    }

    function schedule(delay) {
      if (timer) window.clearTimeout(timer);
      timer = window.setTimeout(save, delay);
    }

    function changed() {
      unsaved = true;
      showState(gettext("Saving…"), "busy");
      schedule(800);
    }
    form.addEventListener("change", changed);
    form.addEventListener("input", function (event) {
      if (event.target.matches("input[type=text]")) changed();
    });
    form.addEventListener("submit", function () {
      unsaved = false;
      if (timer) window.clearTimeout(timer);
    });
    // A phone locks or switches app: send what is not saved yet, without waiting for a reply.
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden" && unsaved && navigator.sendBeacon) {
        navigator.sendBeacon(form.getAttribute("data-autosave"), new FormData(form));
      }
    });
  }
})();
