/* The search page: Pagefind's JavaScript API over the portal's index.
   The index holds each page's original text once (Pagefind folds its tones) and, after
   a ⁂, its words holding đ folded (đ → d); the query is folded, so
   "da nang" and "Đà Nẵng" find the same pages. What the reader sees is the original
   title and an excerpt cut from the fragment's content (the original text), never the
   folded words. */

const MAX_RESULTS = 20;
const RANKED = 60; // results re-ranked by phrase (their data is fetched)
const EXCERPT_CHARS = 220;

export function fold(text) {
  // The same fold as portal.vntext.fold: lower case, no tones or marks, đ → d.
  return text.normalize("NFC").replace(/đ/g, "d").replace(/Đ/g, "D")
    .normalize("NFD").replace(/\p{Mn}/gu, "").normalize("NFC").toLowerCase();
}

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

/* The folded text with, for each folded character, the index of its original character. */
function foldWithMap(text) {
  const chars = Array.from(text.normalize("NFC"));
  let folded = "";
  const origin = [];
  let offset = 0;
  chars.forEach((char) => {
    for (const piece of fold(char)) {
      folded += piece;
      origin.push(offset);
    }
    offset += char.length;
  });
  origin.push(offset);
  return { folded, origin };
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

/* Ranges [start, end) of the original text where a query word stands as a whole word
   (syllable). A word Pagefind matched only as a prefix ("da" in "đăng") is not marked:
   marking part of a syllable misleads the reader. */
function matches(text, words) {
  const { folded, origin } = foldWithMap(text);
  const ranges = [];
  for (const word of words) {
    for (let at = folded.indexOf(word); at !== -1; at = folded.indexOf(word, at + 1)) {
      const starts = at === 0 || !WORD_CHAR.test(folded[at - 1]);
      const ends = at + word.length >= folded.length || !WORD_CHAR.test(folded[at + word.length]);
      if (starts && ends) ranges.push([origin[at], origin[at + word.length]]);
    }
  }
  return ranges.sort((a, b) => a[0] - b[0]);
}

function hasPhrase(text, phrase) {
  const escaped = phrase.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(^|[^\\p{L}\\p{N}])${escaped}($|[^\\p{L}\\p{N}])`, "u").test(text);
}

function hasAllWords(text, words) {
  return words.every((word) => hasPhrase(text, word));
}

/* Pagefind ranks words, not phrases, and toneless words are ambiguous ("nang" is năng,
   nâng, nàng, nẵng; "da" is đã, đa, da). Pages holding the whole query as a phrase come
   first (a legal document by its number, then the phrase in the title, in the text), then
   pages holding every word as a whole word, then the rest; the tones typed break ties. */
export function tier(meta, text, query) {
  const words = fold(query).split(/\s+/).filter(Boolean);
  const phrase = words.join(" ");
  const typed = query.normalize("NFC").toLowerCase().split(/\s+/).filter(Boolean).join(" ");
  const title = fold(meta.title || "");
  const folded = fold(text);
  let score = 0;
  if (meta.number && fold(meta.number) === phrase) score += 32;
  if (hasPhrase(title, phrase)) score += 16;
  if (hasPhrase(folded, phrase)) score += 8;
  if (hasAllWords(title, words)) score += 4;
  else if (hasAllWords(`${title} ${folded}`, words)) score += 2;
  if (typed !== phrase && `${meta.title} ${text}`.toLowerCase().includes(typed)) score += 1;
  return score;
}

const HIDDEN_MARK = "\u2042"; // portal.site.search.HIDDEN_MARK: the folded words follow

/* The page's text: the fragment's content (what Pagefind indexed, the original text)
   without the title and the document number that lead it and the folded words that end it. */
export function pageText(data) {
  let text = data.content || "";
  const hidden = text.lastIndexOf(HIDDEN_MARK);
  if (hidden !== -1) text = text.slice(0, hidden).trimEnd();
  for (const lead of [data.meta.title, data.meta.number]) {
    if (lead && text.startsWith(lead)) text = text.slice(lead.length).replace(/^[.\s]+/, "");
  }
  return text;
}

/* The window of the text holding the most query words, with <mark> around them. */
export function excerpt(text, query) {
  const words = fold(query).split(/[\s/.,;:()-]+/).filter((w) => w.length > 0);
  const ranges = matches(text, words);
  let start = 0;
  if (ranges.length) {
    let best = 0;
    let bestCount = -1;
    ranges.forEach(([from], index) => {
      const count = ranges.filter(([other]) => other >= from && other < from + EXCERPT_CHARS).length;
      if (count > bestCount) { best = index; bestCount = count; }
    });
    start = Math.max(0, ranges[best][0] - 40);
    const space = text.lastIndexOf(" ", start);
    start = start === 0 || space === -1 ? start : space + 1;
  }
  const end = Math.min(text.length, start + EXCERPT_CHARS);
  let html = start > 0 ? "… " : "";
  let cursor = start;
  for (const [from, to] of ranges) {
    if (from < cursor || to > end) continue;
    html += escapeHtml(text.slice(cursor, from)) + "<mark>" + escapeHtml(text.slice(from, to)) + "</mark>";
    cursor = to;
  }
  html += escapeHtml(text.slice(cursor, end)) + (end < text.length ? " …" : "");
  return html;
}

/* A result's address inside the index, without the leading slash. Pagefind's web worker
   returns it as a full URL on this origin, the main-thread fallback as "/path/". */
function indexPath(url) {
  return new URL(url, window.location.origin).pathname.replace(/^\/+/, "");
}

function renderResult(data, query, siteurl) {
  const item = document.createElement("li");
  item.className = "search-result";
  const meta = data.meta;
  const details = [meta.section, meta.number, meta.date].filter(Boolean).map(escapeHtml).join(" · ");
  const lang = meta.lang && meta.lang !== "vi" ? ` lang="${escapeHtml(meta.lang)}"` : "";
  item.innerHTML = `<h2${lang}><a href="${escapeHtml(siteurl + "/" + indexPath(data.url))}">${escapeHtml(meta.title)}</a></h2>`
    + `<p class="meta">${details}</p>`
    + `<p class="excerpt"${lang}>${excerpt(pageText(data), query)}</p>`;
  return item;
}

/* The index is split in shards (one per quarter, newest first, listed in shards.json),
   each rebuilt only when its pages change; the browser merges them into one search. */
async function loadIndex(siteurl) {
  const base = new URL(`${siteurl}/pagefind/`, document.baseURI).href;
  const pagefind = await import(`${base}pagefind.js`);
  const { shards } = await (await fetch(`${base}shards.json`)).json();
  await pagefind.options({ basePath: `${base}${shards[0]}/` });
  for (const shard of shards.slice(1)) await pagefind.mergeIndex(`${base}${shard}/`);
  return pagefind;
}

async function run() {
  const form = document.querySelector("[data-search-form]");
  const input = form.querySelector("input[name=q]");
  const status = document.querySelector("[data-search-status]");
  const list = document.querySelector("[data-search-results]");
  const siteurl = list.dataset.siteurl;
  const query = (new URLSearchParams(window.location.search).get("q") || "").trim();
  input.value = query;
  if (!query) {
    status.textContent = "Nhập từ khóa rồi bấm Tìm kiếm.";
    return;
  }
  status.textContent = "Đang tìm…";
  try {
    const pagefind = await loadIndex(siteurl);
    const search = await pagefind.search(fold(query));
    const found = search.results.slice(0, RANKED);
    const pages = (await Promise.all(found.map((result) => result.data())))
      .map((data, order) => ({ data, order, tier: tier(data.meta, pageText(data), query) }))
      .sort((a, b) => b.tier - a.tier || a.order - b.order)
      .slice(0, MAX_RESULTS)
      .map((ranked) => ranked.data);
    list.replaceChildren(...pages.map((data) => renderResult(data, query, siteurl)));
    status.textContent = pages.length
      ? `Tìm thấy ${search.results.length} kết quả cho “${query}”${search.results.length > MAX_RESULTS ? `; hiện ${MAX_RESULTS} kết quả đầu` : ""}.`
      : `Không tìm thấy kết quả nào cho “${query}”. Hãy thử từ khóa khác hoặc ít từ hơn.`;
    document.title = `Tìm kiếm: ${query} — ${document.title.split(" — ").pop()}`;
  } catch (error) {
    status.textContent = "Không tải được chức năng tìm kiếm. Vui lòng thử lại sau.";
    throw error;
  }
}

run();
