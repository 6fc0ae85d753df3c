// The exchange's projector view (a screen in the room, nobody's input on it): reload every
// data-refresh seconds so that the counts stay current. Without JavaScript, "Refresh" does it.
(function () {
  var holder = document.querySelector("[data-refresh]");
  if (!holder) return;
  var seconds = parseInt(holder.getAttribute("data-refresh"), 10);
  if (seconds > 0) window.setTimeout(function () { window.location.reload(); }, seconds * 1000);
})();
