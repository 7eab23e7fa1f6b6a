// Live machine boards: the rows and counts that the server sends as
// Server-Sent Events ("snapshot", "rows") replace those of the page, by
// id. EventSource reconnects by itself and sends the last event's id, so
// the server answers with what changed meanwhile or a fresh snapshot.
(function () {
  "use strict";
  var board = document.getElementById("board");
  if (!board || !window.EventSource) {
    return;
  }
  var status = document.getElementById("board-live");
  var summary = document.getElementById("board-summary");

  function setLive(on) {
    if (!status) {
      return;
    }
    status.textContent = on ? status.dataset.on : status.dataset.off;
    status.className = on ? "live-on" : "live-off";
  }

  function apply(update, snapshot) {
    var missing = false;
    (update.rows || []).forEach(function (row) {
      var el = document.getElementById("machine-" + row.id);
      if (!el) {
        missing = true;
        return;
      }
      var tpl = document.createElement("template");
      tpl.innerHTML = row.html.trim();
      var fresh = tpl.content.firstElementChild;
      if (fresh) {
        el.replaceWith(fresh);
      }
    });
    if (update.summary && summary) {
      summary.innerHTML = update.summary;
    }
    if (snapshot) {
      var ids = {};
      (update.rows || []).forEach(function (row) { ids["machine-" + row.id] = true; });
      board.querySelectorAll("li.machine").forEach(function (el) {
        if (!ids[el.id]) {
          missing = true;
        }
      });
    }
    if (missing) {
      // A machine came or went: the page has to be drawn again.
      window.location.reload();
    }
  }

  var source = new EventSource(board.dataset.events);
  source.addEventListener("open", function () { setLive(true); });
  source.addEventListener("error", function () { setLive(false); });
  source.addEventListener("snapshot", function (e) { setLive(true); apply(JSON.parse(e.data), true); });
  source.addEventListener("rows", function (e) { apply(JSON.parse(e.data), false); });
  window.addEventListener("pagehide", function () { source.close(); });
})();
