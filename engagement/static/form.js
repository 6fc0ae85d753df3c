/* Optional enhancements for the family form; everything works without this file.
   Written short (arrow functions, brief local names): it is part of the form page's
   30 KB budget, and the minifier (rjsmin) only drops comments and spaces. */
(() => {
  const d = document, sum = d.getElementById("error-summary"), form = d.getElementById("answers");
  const on = (el, type, fn) => el.addEventListener(type, fn);
  if (sum) {
    sum.focus();
    // An error link shows the whole question, cursor in its first box.
    on(sum, "click", e => {
      const a = e.target.closest("a[href^='#']"), box = a && d.getElementById(a.hash.slice(1));
      if (!box) return;
      e.preventDefault();
      box.scrollIntoView();
      const first = box.querySelector("input,textarea,select");
      first?.focus({ preventScroll: true });
    });
  }
  if (!form) return;
  const say = form.dataset, max = +say.max, input = el => el.dispatchEvent(new Event("input"));

  // Counters count and write numbers as the server does (forms.clean_text, format_number);
  // read out near the limit, after a pause.
  const n = x => String(x).replace(/\B(?=(\d{3})+$)/g, say.group);
  form.querySelectorAll(".counter").forEach(counter => {
    const area = d.getElementById(counter.id.slice(0, -6)), live = d.createElement("span");
    let timer, said = "";
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");
    counter.after(live);
    on(area, "input", () => {
      const len = [...area.value.replace(/\r\n?/g, "\n").replace(/[\x00-\x08\x0b-\x1f\x7f]/g, "").trim()].length;
      const text = say[len > max ? "over" : "live"].replace("%(count)s", n(len)).replace("%(max)s", n(max));
      counter.textContent = text;
      counter.classList.toggle("over", len > max);
      clearTimeout(timer);
      timer = setTimeout(() => {
        const now = len >= max * 0.9 ? text : "";
        if (now !== said) live.textContent = said = now;
      }, 800);
    });
    if (area.value) input(area);
  });

  // A draft in this tab only (never the server, never contact details); gone once sent.
  const key = "draft:" + location.pathname, ticked = el => /radio|checkbox/.test(el.type);
  const given = el => (ticked(el) ? el.checked : el.value);
  const fields = () => [...form.elements].filter(el => el.name &&
    !/submit|button|hidden/.test(el.type) && !/^(homepage|contact_)/.test(el.name));
  const store = fn => { try { return fn(sessionStorage); } catch { /* storage off: no draft */ } };
  const save = () => {
    const draft = {};
    for (const el of fields()) if (given(el)) (draft[el.name] ||= []).push(el.value);
    store(s => s.setItem(key, JSON.stringify(draft)));
  };
  const data = store(s => JSON.parse(s.getItem(key)));
  // A page the server sent back shows its own answers.
  if (data && !fields().some(given)) {
    for (const el of fields()) {
      const values = data[el.name] || [];
      if (ticked(el)) el.checked = values.includes(el.value);
      else el.value = values[0] || "";
      if (el.tagName === "TEXTAREA") input(el);
    }
  }
  save();
  on(form, "input", save);
  on(form, "change", save);
  on(form, "submit", e => {
    if (e.submitter?.name !== "change_language") store(s => s.removeItem(key));
  });

  // Optional single-choice questions can be cleared.
  form.querySelectorAll("fieldset[data-clear]").forEach(box => {
    const radios = [...box.querySelectorAll("input")], button = d.createElement("button");
    const show = () => { button.hidden = !radios.some(given); };
    button.type = "button";
    button.className = "clear secondary";
    button.textContent = say.clear;
    box.append(button);
    on(box, "change", show);
    on(button, "click", () => {
      for (const r of radios) r.checked = false;
      show();
      save();
      radios[0].focus();
    });
    show();
  });
})();
