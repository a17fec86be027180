/* Cổng TTĐT Sở Nội vụ Hà Tĩnh: small enhancements; every page works without them.
   - the section menu folds behind a button on narrow screens;
   - "In" buttons print the page;
   - the legal documents list is filtered by kind, issuer, year and number. */
"use strict";

function fold(text) {
  // The same fold as portal.vntext.fold: lower case, no tones or marks, đ → d.
  return text.normalize("NFC").replace(/đ/g, "d").replace(/Đ/g, "D")
    .normalize("NFD").replace(/\p{Mn}/gu, "").normalize("NFC").toLowerCase();
}

function setUpMenu() {
  const button = document.querySelector(".menu-toggle");
  if (!button) return;
  button.hidden = false;
  button.addEventListener("click", () => {
    const open = button.getAttribute("aria-expanded") === "true";
    button.setAttribute("aria-expanded", String(!open));
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      button.setAttribute("aria-expanded", "false");
      button.focus();
    }
  });
}

function setUpPrint() {
  for (const button of document.querySelectorAll("[data-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
}

function setUpLegalFilter() {
  const form = document.querySelector("[data-legal-filter]");
  if (!form) return;
  const rows = Array.from(document.querySelectorAll(".legal-list tbody tr"));
  const fields = Array.from(form.querySelectorAll("[data-filter]"));
  const count = form.querySelector("[data-filter-count]");
  const params = new URLSearchParams(window.location.search);
  for (const field of fields) {
    if (params.has(field.name)) field.value = params.get(field.name);
  }
  function apply() {
    const wanted = Object.fromEntries(fields.map((f) => [f.dataset.filter, f.value.trim()]));
    const words = fold(wanted.text).split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const row of rows) {
      const match = (!wanted.type || row.dataset.type === wanted.type)
        && (!wanted.issuer || row.dataset.issuer === wanted.issuer)
        && (!wanted.year || row.dataset.year === wanted.year)
        && words.every((word) => row.dataset.text.includes(word));
      row.hidden = !match;
      if (match) shown += 1;
    }
    count.textContent = `Có ${shown}/${rows.length} văn bản phù hợp.`;
    const query = new URLSearchParams();
    for (const field of fields) if (field.value.trim()) query.set(field.name, field.value.trim());
    const search = query.toString();
    history.replaceState(null, "", search ? `?${search}` : window.location.pathname);
  }
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", (event) => { event.preventDefault(); apply(); });
  form.hidden = false;
  apply();
}

setUpMenu();
setUpPrint();
setUpLegalFilter();
