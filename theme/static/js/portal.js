/* Cổng TTĐT Sở Nội vụ Hà Tĩnh: small enhancements; every page works without them.
   - the section menu folds behind a button on narrow screens;
   - "In" buttons print the page;
   - lists (legal documents, questions and answers) are filtered by their fields;
   - "this week" and "open for comment" are decided from the reader's date. */
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

function setUpListFilters() {
  // A filter form names the list it filters (data-list-filter="id"); each select matches the
  // item attribute data-<its data-filter>, the text field matches the folded data-text.
  for (const form of document.querySelectorAll("[data-list-filter]")) {
    setUpListFilter(form);
  }
}

function setUpListFilter(form) {
  const list = document.getElementById(form.dataset.listFilter);
  if (!list) return;
  const rows = Array.from(list.querySelectorAll("[data-item]"));
  const fields = Array.from(form.querySelectorAll("[data-filter]"));
  const count = form.querySelector("[data-filter-count]");
  const caption = list.querySelector("[data-filter-caption]");
  const noun = form.dataset.noun || "mục";
  const params = new URLSearchParams(window.location.search);
  for (const field of fields) {
    if (params.has(field.name)) field.value = params.get(field.name);
  }
  function matches(row, wanted, words) {
    for (const [key, value] of Object.entries(wanted)) {
      if (key !== "text" && value && row.dataset[key] !== value) return false;
    }
    return words.every((word) => (row.dataset.text || "").includes(word));
  }
  function apply() {
    const wanted = Object.fromEntries(fields.map((f) => [f.dataset.filter, f.value.trim()]));
    const words = fold(wanted.text || "").split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const row of rows) {
      const match = matches(row, wanted, words);
      row.hidden = !match;
      if (match) shown += 1;
    }
    const filtered = fields.some((f) => f.value.trim());
    count.textContent = `Có ${shown}/${rows.length} ${noun} phù hợp.`;
    if (caption) {
      caption.textContent = filtered
        ? `${caption.dataset.label} (${shown}/${rows.length} ${noun} phù hợp bộ lọc)`
        : `${caption.dataset.label} (${rows.length} ${noun})`;
    }
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

function readersDay() {
  // Today in Vietnam, as YYYY-MM-DD, on the reader's clock: the built page cannot know it.
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Ho_Chi_Minh" }).format(new Date());
}

function setUpDates() {
  const today = readersDay();
  for (const week of document.querySelectorAll("[data-week-start]")) {
    const current = week.dataset.weekStart <= today && today <= week.dataset.weekEnd;
    week.classList.toggle("current-week", current);
    const badge = week.querySelector("[data-this-week]");
    if (badge) badge.hidden = !current;
  }
  for (const state of document.querySelectorAll("[data-deadline]")) {
    const open = today <= state.dataset.deadline;
    state.textContent = open ? "Đang lấy ý kiến" : "Đã hết hạn góp ý";
    state.className = `consultation-state badge ${open ? "open" : "closed"}`;
    state.hidden = false;
  }
}

setUpMenu();
setUpPrint();
setUpDates();
setUpListFilters();
