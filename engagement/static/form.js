/* Optional enhancements for the family form; everything works without this file. */
(function () {
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
  var fmt = window.Intl ? new Intl.NumberFormat(document.documentElement.lang) : null;
  function n(x) { return fmt ? fmt.format(x) : String(x); }
  var counters = document.querySelectorAll(".counter[data-max]");
  Array.prototype.forEach.call(counters, function (counter) {
    var area = document.getElementById(counter.id.replace(/-count$/, ""));
    var max = parseInt(counter.getAttribute("data-max"), 10);
    var live = counter.getAttribute("data-live");
    if (!area || !live) return;
    function update() {
      var len = area.value.replace(/\r\n/g, "\n").length;
      counter.textContent = live.replace("%(count)s", n(len)).replace("%(max)s", n(max));
      counter.classList.toggle("over", len > max);
    }
    area.addEventListener("input", update);
    if (area.value) update();
  });
})();
