/* Optional enhancements for the family form; everything works without this file. */
(function () {
  var summary = document.getElementById("error-summary");
  var form = document.getElementById("answers");
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };
  if (summary) {
    summary.focus();
    // An error link shows the whole question (legend, hint, error), cursor in its first box.
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var box = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!box) return;
      event.preventDefault();
      box.scrollIntoView();
      var control = box.querySelector("input, textarea, select");
      if (control) control.focus({ preventScroll: true });
    });
  }
  if (!form) return;

  // The character counter counts what the server counts (engagement/public/forms.py
  // clean_text): one character per code point, a line break as one, no control characters,
  // no spaces at either end. Numbers are written as the server writes them.
  function count(text) {
    text = text.replace(/\r\n?/g, "\n").replace(/[\x00-\x08\x0b-\x1f\x7f]/g, "").trim();
    return Array.from ? Array.from(text).length : text.length;
  }
  each(form.querySelectorAll(".counter[data-max]"), function (counter) {
    var area = document.getElementById(counter.id.replace(/-count$/, ""));
    var max = parseInt(counter.getAttribute("data-max"), 10);
    var group = counter.getAttribute("data-group") || ",";
    var live = document.createElement("span");
    var timer, said = "";
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");
    counter.parentNode.insertBefore(live, counter.nextSibling);
    function n(x) { return String(x).replace(/\B(?=(\d{3})+(?!\d))/g, group); }
    function update() {
      var len = count(area.value);
      var text = counter.getAttribute(len > max ? "data-over" : "data-live")
        .replace("%(count)s", n(len)).replace("%(max)s", n(max));
      counter.textContent = text;
      counter.classList.toggle("over", len > max);
      // Screen readers hear it near the limit, once typing pauses, never on every key.
      clearTimeout(timer);
      timer = setTimeout(function () {
        var say = len >= max * 0.9 ? text : "";
        if (say !== said) live.textContent = said = say;
      }, 800);
    }
    area.addEventListener("input", update);
    if (area.value) update();
  });

  // A draft in this tab only (sessionStorage, never the server): restored after a reload,
  // kept across a change of language, removed when the answers are sent. Contact details
  // and the hidden fields are never kept.
  var key = "draft:" + form.getAttribute("data-draft");
  var kept = function (el) {
    return el.name && !/^(csrf_token|token|channel|homepage|contact_)/.test(el.name) &&
      el.type !== "submit" && el.type !== "button";
  };
  var ticked = function (el) { return el.type === "radio" || el.type === "checkbox"; };
  function fields() { return Array.prototype.filter.call(form.elements, kept); }
  function save() {
    var data = {};
    fields().forEach(function (el) {
      if (ticked(el) ? el.checked : el.value) (data[el.name] = data[el.name] || []).push(el.value);
    });
    try { sessionStorage.setItem(key, JSON.stringify(data)); } catch (e) { /* private mode */ }
  }
  function restore() {
    var data = null;
    try { data = JSON.parse(sessionStorage.getItem(key)); } catch (e) { /* none */ }
    if (!data) return;
    fields().forEach(function (el) {
      var values = data[el.name] || [];
      if (ticked(el)) el.checked = values.indexOf(el.value) >= 0;
      else el.value = values[0] || "";
      if (el.tagName === "TEXTAREA") el.dispatchEvent(new Event("input"));
    });
  }
  // A page sent back by the server (errors, another language) shows its own answers.
  var blank = fields().every(function (el) { return ticked(el) ? !el.checked : !el.value; });
  if (blank) restore(); else save();
  form.addEventListener("input", save);
  form.addEventListener("change", save);
  form.addEventListener("submit", function (event) {
    if (event.submitter && event.submitter.name === "change_language") save();
    else try { sessionStorage.removeItem(key); } catch (e) { /* private mode */ }
  });

  // An optional single-choice question can be left unanswered again.
  each(form.querySelectorAll("button.clear"), function (button) {
    var radios = button.parentNode.querySelectorAll("input[type=radio]");
    function show() { button.hidden = !Array.prototype.some.call(radios, function (r) { return r.checked; }); }
    button.parentNode.addEventListener("change", show);
    button.addEventListener("click", function () {
      each(radios, function (r) { r.checked = false; });
      show();
      save();
      radios[0].focus();
    });
    show();
  });
})();
