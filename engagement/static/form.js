/* Optional enhancements for the family form; everything works without this file. */
(function () {
  var d = document, summary = d.getElementById("error-summary"), form = d.getElementById("answers");
  function some(list, fn) { return [].some.call(list, fn); }
  if (summary) {
    summary.focus();
    // An error link shows the whole question, cursor in its first box.
    summary.addEventListener("click", function (e) {
      var a = e.target.closest("a[href^='#']"), box = a && d.getElementById(a.hash.slice(1));
      if (!box) return;
      e.preventDefault();
      box.scrollIntoView();
      var c = box.querySelector("input, textarea, select");
      if (c) c.focus({ preventScroll: true });
    });
  }
  if (!form) return;
  var say = form.dataset, max = +say.max;

  // Counters count and write numbers as the server does (forms.clean_text, format_number);
  // read out near the limit, after a pause.
  function n(x) { return String(x).replace(/\B(?=(\d{3})+$)/g, say.group); }
  form.querySelectorAll(".counter").forEach(function (counter) {
    var area = d.getElementById(counter.id.slice(0, -6)), live = d.createElement("span");
    var timer, said = "";
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");
    counter.after(live);
    area.addEventListener("input", function () {
      var text = area.value.replace(/\r\n?/g, "\n").replace(/[\x00-\x08\x0b-\x1f\x7f]/g, "").trim();
      var len = Array.from(text).length;
      text = say[len > max ? "over" : "live"].replace("%(count)s", n(len)).replace("%(max)s", n(max));
      counter.textContent = text;
      counter.classList.toggle("over", len > max);
      clearTimeout(timer);
      timer = setTimeout(function () {
        var now = len >= max * 0.9 ? text : "";
        if (now !== said) live.textContent = said = now;
      }, 800);
    });
    if (area.value) area.dispatchEvent(new Event("input"));
  });

  // A draft in this tab only (never the server, never contact details); gone once sent.
  var key = "draft:" + say.draft, data = null;
  function ticked(el) { return el.type === "radio" || el.type === "checkbox"; }
  function given(el) { return ticked(el) ? el.checked : el.value; }
  function fields() {
    return [].filter.call(form.elements, function (el) {
      return el.name && !/^(csrf_token|token|channel|homepage|contact_)/.test(el.name) &&
        !/submit|button/.test(el.type);
    });
  }
  function store(fn) { try { return fn(sessionStorage); } catch (e) { return null; } }
  function save() {
    var draft = {};
    fields().forEach(function (el) {
      if (given(el)) (draft[el.name] = draft[el.name] || []).push(el.value);
    });
    store(function (s) { s.setItem(key, JSON.stringify(draft)); });
  }
  data = store(function (s) { return JSON.parse(s.getItem(key)); });
  // A page the server sent back shows its own answers.
  if (data && !some(fields(), given)) {
    fields().forEach(function (el) {
      var values = data[el.name] || [];
      if (ticked(el)) el.checked = values.indexOf(el.value) >= 0;
      else el.value = values[0] || "";
      if (el.tagName === "TEXTAREA") el.dispatchEvent(new Event("input"));
    });
  }
  save();
  form.addEventListener("input", save);
  form.addEventListener("change", save);
  form.addEventListener("submit", function (e) {
    if (!(e.submitter && e.submitter.name === "change_language")) {
      store(function (s) { s.removeItem(key); });
    }
  });

  // Optional single-choice questions can be cleared.
  form.querySelectorAll("fieldset[data-clear]").forEach(function (box) {
    var radios = box.querySelectorAll("input"), button = d.createElement("button");
    function show() { button.hidden = !some(radios, given); }
    button.type = "button";
    button.className = "clear secondary";
    button.textContent = say.clear;
    box.appendChild(button);
    box.addEventListener("change", show);
    button.addEventListener("click", function () {
      radios.forEach(function (r) { r.checked = false; });
      show();
      save();
      radios[0].focus();
    });
    show();
  });
})();
