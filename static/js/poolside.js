// Poolside marks that survive a dropped network. Each tap becomes a mark with its own key,
// kept in localStorage until the server confirms it; the server stores each key once, so a
// mark sent twice (a retry after a lost answer) counts once. Without JavaScript the forms post
// as they are.
(function () {
  "use strict";
  // Strings from Django's JavaScript catalogue (/jsi18n/, loaded before this file); if it did
  // not load, the English in the code is shown as it is.
  var gettext = window.gettext || function (text) { return text; };
  var ngettext = window.ngettext || function (one, many, count) { return count === 1 ? one : many; };
  var interpolate = window.interpolate || function (format, values) {
    return format.replace(/%\((\w+)\)s/g, function (match, name) { return String(values[name]); });
  };
  // Choosing a swimmer from the list shows them at once; without JavaScript, "Show" does it.
  var chooser = document.querySelector("[data-autosubmit]");
  if (chooser) {
    chooser.addEventListener("change", function () { chooser.form.submit(); });
  }
  var QUEUE_KEY = "crampcourse-poolside-queue";
  var board = document.querySelector("[data-poolside]");
  if (!board || !window.fetch || !window.localStorage) return;
  var csrf = board.getAttribute("data-csrf");
  var status = document.querySelector("[data-queue-status]");
  var LABELS = { shown: gettext("Shown"), needs_practice: gettext("Needs practice"), undo: gettext("Undo") };
  var flushing = false;

  function load() {
    try { return JSON.parse(localStorage.getItem(QUEUE_KEY)) || []; } catch (e) { return []; }
  }
  function save(queue) { localStorage.setItem(QUEUE_KEY, JSON.stringify(queue)); }
  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function cellOf(mark) {
    return board.querySelector('[data-cell="' + mark.trainee + "-" + mark.item + '"]');
  }
  function show(mark, text, pending, state) {
    var cell = cellOf(mark);
    if (!cell) return;
    cell.querySelector(".mark-state").textContent = text;
    cell.classList.toggle("is-pending", pending);
    if (state !== undefined) {
      cell.setAttribute("data-state", state);
      recount(cell);
    }
  }
  // "N of 6 shown" follows the marks as they are made, sent or not: the skills the certificate
  // needs whose latest mark here is "shown".
  function recount(cell) {
    var swimmer = cell.closest(".poolside-trainee");
    var counter = swimmer && swimmer.querySelector("[data-shown-count]");
    if (!counter) return;
    counter.textContent = swimmer.querySelectorAll(
      '.poolside-item[data-required="1"][data-state="shown"]'
    ).length;
  }
  function showOutcome(mark, answer) {
    var cell = cellOf(mark);
    var swimmer = cell && cell.closest(".poolside-trainee");
    var outcome = swimmer && swimmer.querySelector("[data-outcome]");
    if (!outcome || !answer.outcome) return;
    outcome.querySelector("[data-outcome-text]").textContent = answer.outcome;
    outcome.classList.toggle("status-passed", !!answer.meets_standard);
    outcome.classList.toggle("status-not_passed", !answer.meets_standard);
  }
  function updateStatus() {
    var waiting = load().length;
    if (status) {
      status.textContent = waiting ? interpolate(ngettext(
        "%(count)s mark not sent yet: it will be sent when the network is back.",
        "%(count)s marks not sent yet: they will be sent when the network is back.",
        waiting), { count: waiting }, true) : "";
    }
  }

  board.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList.contains("mark-form")) return;
    event.preventDefault();
    var button = event.submitter;
    var note = form.querySelector('input[name="note"]');
    var mark = {
      key: newKey(),
      url: form.getAttribute("action"),
      trainee: form.querySelector('input[name="trainee"]').value,
      item: form.querySelector('input[name="item"]').value,
      result: button ? button.value : "shown",
      note: note ? note.value : "",
      marked_at: new Date().toISOString()
    };
    var queue = load();
    queue.push(mark);
    save(queue);
    if (note) note.value = "";
    // Counted at once, also offline; the server's answer has the last word (an undo's
    // result is known only then).
    show(mark, notSent(mark), true, mark.result === "undo" ? undefined : mark.result);
    updateStatus();
    flush();
  });

  function notSent(mark) {
    return interpolate(gettext("%(mark)s · not sent yet"), { mark: LABELS[mark.result] }, true);
  }

  function body(mark) {
    var data = new URLSearchParams();
    ["key", "trainee", "item", "result", "note", "marked_at"].forEach(function (name) {
      data.append(name, mark[name]);
    });
    return data;
  }

  function flush() {
    if (flushing) return;
    var queue = load();
    if (!queue.length) { updateStatus(); return; }
    flushing = true;
    var mark = queue[0];
    fetch(mark.url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "Accept": "application/json" },
      body: body(mark)
    }).then(function (response) {
      if (response.ok) {
        return response.json().then(function (answer) {
          var label = answer.certified
            ? interpolate(gettext("%(mark)s · certified"), { mark: answer.label }, true)
            : answer.label;
          show(mark, label, false, answer.state);
          showOutcome(mark, answer);
          return true;
        });
      }
      if (response.status === 400 || response.status === 404 || response.status === 409) {
        // Refused for good (e.g. the trainee left the group): sending again would not help.
        return response.json().catch(function () { return {}; }).then(function (answer) {
          show(mark, answer.error
            ? interpolate(gettext("Not saved: %(reason)s"), { reason: answer.error }, true)
            : gettext("Not saved: refused by the server"), false);
          return true;
        });
      }
      return false; // logged out or the server is struggling: keep it and try again later
    }).catch(function () {
      return false; // no network: keep it
    }).then(function (done) {
      flushing = false;
      if (done) {
        save(load().filter(function (m) { return m.key !== mark.key; }));
        flush();
      }
      updateStatus();
    });
  }

  // Marks left from before a reload (or a closed tab): show them, then send them.
  load().forEach(function (mark) {
    show(mark, notSent(mark), true, mark.result === "undo" ? undefined : mark.result);
  });
  updateStatus();
  window.addEventListener("online", flush);
  window.setInterval(flush, 10000);
  flush();
})();
