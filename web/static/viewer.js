// The report viewer (web/viewer.py): a PDF's pages drawn by pdf.js with their text layer, the quote marked in it;
// or a text report, whose quote the server has marked already. Every text shown comes from the report or the server.

const data = JSON.parse(document.getElementById("viewer-data")?.textContent || "null");
const status = document.getElementById("viewer-status");
const toQuote = document.getElementById("viewer-to-quote");

function goToQuote(focus) {
  const mark = document.getElementById("viewer-first-mark");
  if (!mark) return false;
  mark.scrollIntoView({ block: "center" });
  if (focus) mark.focus({ preventScroll: true });
  return true;
}

if (!data) {
  // A text report: the server marked the quote.
  toQuote.addEventListener("click", () => goToQuote(true));
  if (!goToQuote(false)) toQuote.hidden = true;
} else {
  viewPdf(data);
}

// Letters and digits only, lower case, without accents: a PDF's text layer and the index's text differ in spaces,
// line-end hyphens, ligatures and quotation marks, never in these. `at[k]`/`end[k]`: where key unit k came from.
// With `lettersOnly`, digits are left out too: the index leaves out footnote markers ("rule¹"), which the layer has.
function key(text, lettersOnly = false) {
  const kept = lettersOnly ? /\p{L}/u : /[\p{L}\p{N}]/u;
  let out = "";
  const at = [], end = [];
  for (let i = 0; i < text.length;) {
    const ch = String.fromCodePoint(text.codePointAt(i));
    for (const c of ch.normalize("NFKD").toLowerCase()) {
      if (kept.test(c)) {
        out += c;
        for (let u = 0; u < c.length; u++) { at.push(i); end.push(i + ch.length); }
      }
    }
    i += ch.length;
  }
  return { text: out, at, end };
}

// The key of a page's text layer, each unit knowing its text node and offsets.
function pageKey(layer, lettersOnly = false) {
  const walker = document.createTreeWalker(layer, NodeFilter.SHOW_TEXT);
  let text = "";
  const nodes = [], starts = [], ends = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const k = key(node.data, lettersOnly);
    text += k.text;
    for (let u = 0; u < k.at.length; u++) { nodes.push(node); starts.push(k.at[u]); ends.push(k.end[u]); }
  }
  return { text, nodes, starts, ends };
}

// Where a quote's key lies in the page keys: the whole of it on its page; else its longest beginning found on its
// page and the rest on the next (a sentence that runs over the page break). Ranges are [page, from, to).
function locate(partKey, keys, page) {
  const here = keys.get(page);
  if (!here || !partKey) return [];
  const at = here.text.indexOf(partKey);
  if (at >= 0) return [[page, at, at + partKey.length]];
  const next = keys.get(page + 1);
  if (!next) return [];
  let lo = 0, hi = partKey.length;  // the longest prefix found on the page: a prefix of a found one is found too
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (here.text.includes(partKey.slice(0, mid))) lo = mid; else hi = mid - 1;
  }
  const rest = partKey.slice(lo);
  const restAt = next.text.indexOf(rest);
  if (lo === 0 || restAt < 0) return [];
  const headAt = here.text.lastIndexOf(partKey.slice(0, lo));
  return [[page, headAt, headAt + lo], [page + 1, restAt, restAt + rest.length]];
}

// Wrap key units [from, to) of a page in <mark>s, one per text node touched, with the quote's own punctuation
// before its first letter and after its last (``lead``, ``trail``: how many such characters it has there).
function markRange(pk, from, to, lead, trail) {
  const pieces = [];
  for (let k = from; k < to; k++) {
    const node = pk.nodes[k];
    const last = pieces[pieces.length - 1];
    if (last && last.node === node) {
      last.end = pk.ends[k];
    } else {
      // What lies between two of the quote's letters is the quote's too: a node's punctuation after the last.
      if (last) last.end = last.node.data.length;
      pieces.push({ node, start: last ? 0 : pk.starts[k], end: pk.ends[k] });
    }
  }
  const punctuation = /[^\p{L}\p{N}\s]/u;
  const first = pieces[0], final = pieces[pieces.length - 1];
  for (let n = 0; n < lead && first.start > 0 && punctuation.test(first.node.data[first.start - 1]); n++) first.start--;
  for (let n = 0; n < trail && punctuation.test(final.node.data[final.end] || ""); n++) final.end++;
  for (const piece of pieces.reverse()) {  // from the end, so that splitting a node keeps earlier offsets valid
    const middle = piece.node.splitText(piece.start);
    middle.splitText(piece.end - piece.start);
    const mark = document.createElement("mark");
    middle.replaceWith(mark);
    mark.append(middle);
  }
}

async function viewPdf(data) {
  const pdfjs = await import("./pdf.min.mjs");
  pdfjs.GlobalWorkerOptions.workerSrc = new URL("pdf.worker.min.mjs", import.meta.url).href;
  const pagesView = document.getElementById("viewer-pages");
  const pageInput = document.getElementById("viewer-page");
  const previous = document.getElementById("viewer-previous");
  const next = document.getElementById("viewer-next");
  let pdf;
  try {
    // No scripting: pdf.js runs a report's JavaScript only through its scripting sandbox, which is not loaded here,
    // and nothing it draws is a link or form. No WebAssembly is made from a report's functions either.
    pdf = await pdfjs.getDocument({ url: data.file, enableXfa: false, useWasm: false, stopAtErrors: false }).promise;
  } catch (error) {
    status.textContent = "The report could not be shown here. Download the original instead.";
    return;
  }
  const count = pdf.numPages;
  pageInput.max = count;
  document.getElementById("viewer-count").textContent = `of ${count}`;
  const quotePages = data.parts.map((p) => p.page);
  let shown = { from: data.page, to: data.page };
  let rendering = null;

  async function drawPage(number) {
    const page = await pdf.getPage(number);
    const unscaled = page.getViewport({ scale: 1 });
    const width = Math.max(pagesView.clientWidth - 16, 200);
    const viewport = page.getViewport({ scale: Math.min(width / unscaled.width, 1.5) });
    const section = document.createElement("section");
    section.className = "viewer-page";
    section.setAttribute("aria-label", `Page ${number} of ${count}`);
    section.dataset.page = number;
    section.style.setProperty("--total-scale-factor", viewport.scale);
    section.style.width = `${Math.floor(viewport.width)}px`;
    section.style.height = `${Math.floor(viewport.height)}px`;
    const canvas = document.createElement("canvas");
    canvas.setAttribute("aria-hidden", "true");  // the text layer above it is what assistive technology reads
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.floor(viewport.width * ratio);
    canvas.height = Math.floor(viewport.height * ratio);
    canvas.style.width = `${Math.floor(viewport.width)}px`;
    canvas.style.height = `${Math.floor(viewport.height)}px`;
    const layer = document.createElement("div");
    layer.className = "textLayer";
    section.append(canvas, layer);
    await Promise.all([
      page.render({ canvasContext: canvas.getContext("2d"), viewport,
                    transform: ratio === 1 ? null : [ratio, 0, 0, ratio, 0, 0] }).promise,
      new pdfjs.TextLayer({ textContentSource: page.streamTextContent(), container: layer, viewport }).render(),
    ]);
    return section;
  }

  async function show(from, to, focusQuote) {
    from = Math.min(Math.max(from, 1), count);
    to = Math.min(Math.max(to, from), count);
    shown = { from, to };
    pageInput.value = from;
    previous.disabled = from <= 1;
    next.disabled = to >= count;
    status.textContent = `Loading page ${from}…`;
    const task = (rendering = Promise.all(Array.from({ length: to - from + 1 }, (_, i) => drawPage(from + i))));
    let sections;
    try {
      sections = await task;
    } catch (error) {
      if (task === rendering) status.textContent = "This page could not be shown. Download the original instead.";
      return;
    }
    if (task !== rendering) return;  // the reader moved on meanwhile
    pagesView.replaceChildren(...sections);
    const found = highlight(sections);
    const url = new URL(location.href);
    url.searchParams.set("page", from);
    history.replaceState(null, "", url);
    const pages = from === to ? `Page ${from} of ${count}` : `Pages ${from} to ${to} of ${count}`;
    status.textContent = pages + (found ? ". The quote is highlighted." : data.parts.length && quotePages.some((p) => p >= from && p <= to)
      ? ". The quote could not be found in this page's text; it is shown above." : ".");
    toQuote.disabled = !data.parts.length;
    if (found) goToQuote(focusQuote);
    else pagesView.scrollIntoView({ block: "start" });
  }

  function highlight(sections) {
    // A quote not found letter and digit for letter and digit is looked for by its letters alone: the index leaves
    // out footnote markers that the layer has. Every range is located before any is marked, and marked from the
    // last: marking splits the text nodes that the page keys point at, which leaves the offsets before the split.
    const locateAll = (lettersOnly) => {
      const keys = new Map(sections.map((s) => [Number(s.dataset.page), pageKey(s.querySelector(".textLayer"), lettersOnly)]));
      const found = data.parts.map((part) => locate(key(part.text, lettersOnly).text, keys, part.page));
      return { keys, found };
    };
    let { keys, found } = locateAll(false);
    if (found.some((ranges) => !ranges.length)) {
      const letters = locateAll(true);
      if (letters.found.filter((r) => r.length).length > found.filter((r) => r.length).length) ({ keys, found } = letters);
    }
    const ranges = data.parts.flatMap((part, n) => {
      const [lead, trail] = [/^[^\p{L}\p{N}]*/u, /[^\p{L}\p{N}]*$/u].map((edge) => part.text.match(edge)[0].trim().length);
      return found[n].map(([page, from, to], i) => [page, from, to, i === 0 ? lead : 0, i === found[n].length - 1 ? trail : 0]);
    }).sort((a, b) => b[0] - a[0] || b[1] - a[1]);
    let before = null;
    for (const [page, from, to, lead, trail] of ranges) {
      if (before && before[0] === page && to > before[1]) continue;  // overlaps one marked already
      markRange(keys.get(page), from, to, lead, trail);
      before = [page, from];
    }
    const first = pagesView.querySelector("mark");
    if (!first) return false;
    first.id = "viewer-first-mark";
    first.tabIndex = -1;
    return true;
  }

  previous.addEventListener("click", () => show(shown.from - 1, shown.from - 1));
  next.addEventListener("click", () => show(shown.to + 1, shown.to + 1));
  document.getElementById("viewer-goto").addEventListener("submit", (event) => {
    event.preventDefault();
    const wanted = Number.parseInt(pageInput.value, 10);
    if (Number.isInteger(wanted)) show(wanted, wanted);
  });
  const quoteFrom = Math.min(data.page, ...quotePages), quoteTo = Math.max(data.page, ...quotePages);
  const quoteView = quoteTo - quoteFrom <= 2 ? [quoteFrom, quoteTo] : [data.page, data.page];
  toQuote.addEventListener("click", () => {
    if (!goToQuote(true)) show(...quoteView, true);
  });
  await show(...quoteView, false);
}
