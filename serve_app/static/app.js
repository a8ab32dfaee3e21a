// The OCR page: send one image or PDF to POST ocr, draw every box over its page, list the lines,
// link a line and its box on hover/click, copy and export. Plain DOM, no dependencies.
// The extract mode (extract.js) reuses the helpers here: post, pageView, link, heading, download.
"use strict";

const $ = (selector) => document.querySelector(selector);
const SVG = "http://www.w3.org/2000/svg";
const state = { file: null, fileUrl: null, body: null, pages: [] };

function isPdf(file) {
  return file.type === "application/pdf" || /\.pdf$/i.test(file.name);
}

function setStatus(text, isError = false) {
  $("#status").textContent = text;
  $("#status").classList.toggle("error", isError);
}

function choose(file) {
  if (!file) return;
  state.file = file;
  if (state.fileUrl) URL.revokeObjectURL(state.fileUrl);
  state.fileUrl = URL.createObjectURL(file);
  $("#drop-text").textContent = `${file.name} (${Math.ceil(file.size / 1024)} KiB)`;
  $("#recognise").disabled = false;
  setStatus("");
}

// Every response as a list of pages: a PDF answers with pages, an image is one page.
function pagesOf(body) {
  if (body.pages) return body.pages;
  return [{ page: 1, width: body.image.width, height: body.image.height, results: body.results, image: state.fileUrl }];
}

function extractMode() {
  return $("#mode-extract").checked;
}

// One POST; the answer's JSON, or an Error carrying the service's error code and message.
// With API keys configured the API answers 401: ask for a key once, keep it for this tab only.
function authHeaders() {
  const key = sessionStorage.getItem("ocr-api-key");
  return key ? { Authorization: `Bearer ${key}` } : {};
}

async function post(route, form) {
  let response = await fetch(route, { method: "POST", body: form, headers: authHeaders() });
  if (response.status === 401) {
    const key = window.prompt("This service needs an API key / 需要 API 密钥:");
    if (key) {
      sessionStorage.setItem("ocr-api-key", key.trim());
      response = await fetch(route, { method: "POST", body: form, headers: authHeaders() });
    }
  }
  const body = await response.json().catch(() => null);
  if (!response.ok || !body || body.success === false) {
    throw new Error(body && body.error ? `${body.error.code}: ${body.error.message}` : `HTTP ${response.status}`);
  }
  return body;
}

// The button runs the chosen mode; each mode answers with a one-line summary for the status.
async function submit() {
  $("#recognise").disabled = true;
  setStatus(extractMode() ? "提取中… / extracting…" : "识别中… / recognising…");
  const started = performance.now();
  try {
    const summary = await (extractMode() ? extractFields(state.file) : recognise(state.file));
    setStatus(`${summary} in ${((performance.now() - started) / 1000).toFixed(2)} s`);
  } catch (error) {
    setStatus(`失败 / failed — ${error.message}`, true);
  } finally {
    $("#recognise").disabled = false;
  }
}

async function recognise(file) {
  const form = new FormData();
  form.append("image", file);
  form.append("cls", $("#cls").checked ? "true" : "false");
  if (isPdf(file)) form.append("page_images", "true");
  state.body = await post("ocr", form);
  state.pages = pagesOf(state.body);
  show();
  const lines = state.pages.reduce((n, page) => n + page.results.length, 0);
  return `${lines} lines on ${state.pages.length} page(s)`;
}

// A page's picture with an SVG over it in the page's pixel coordinates, for boxes to be drawn in.
function pageView(page, titled) {
  const figure = document.createElement("figure");
  figure.className = "page";
  figure.style.margin = "0";
  if (titled) figure.append(heading("h2", `Page ${page.page}`));
  const view = document.createElement("div");
  view.className = "page-view";
  const img = document.createElement("img");
  img.src = page.image;
  img.alt = `page ${page.page}`;
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${page.width} ${page.height}`);
  svg.setAttribute("preserveAspectRatio", "none");
  view.append(img, svg);
  figure.append(view);
  return { figure, svg };
}

function show() {
  const pagesEl = $("#pages");
  const linesEl = $("#lines");
  pagesEl.replaceChildren();
  linesEl.replaceChildren();
  for (const page of state.pages) {
    const { figure, svg } = pageView(page, state.pages.length > 1);
    pagesEl.append(figure);

    if (state.pages.length > 1) linesEl.append(heading("h3", `Page ${page.page}`));
    const list = document.createElement("ol");
    page.results.forEach((line, index) => {
      const id = `${page.page}-${index}`;
      const polygon = document.createElementNS(SVG, "polygon");
      polygon.setAttribute("points", line.polygon.map((p) => p.join(",")).join(" "));
      polygon.dataset.line = id;
      const title = document.createElementNS(SVG, "title");
      title.textContent = line.text;
      polygon.append(title);
      svg.append(polygon);

      const item = document.createElement("li");
      item.dataset.line = id;
      const text = document.createElement("span");
      text.className = "text";
      text.textContent = line.text;
      item.append(text);
      if (line.confidence !== undefined) {
        const confidence = document.createElement("span");
        confidence.className = "confidence";
        confidence.textContent = line.confidence.toFixed(3);
        item.prepend(confidence);
      }
      list.append(item);
      link(polygon, item);
    });
    linesEl.append(list);
  }
  $("#extract-result").hidden = true;
  $("#result").hidden = false;
}

function heading(tag, text) {
  const el = document.createElement(tag);
  el.textContent = text;
  return el;
}

// Hovering either the box or its line (or field row) highlights both; clicking one scrolls the other into view.
function link(box, item) {
  const on = () => { box.classList.add("active"); item.classList.add("active"); };
  const off = () => { box.classList.remove("active"); item.classList.remove("active"); };
  for (const el of [box, item]) {
    el.addEventListener("mouseenter", on);
    el.addEventListener("mouseleave", off);
  }
  box.addEventListener("click", () => item.scrollIntoView({ block: "nearest", behavior: "smooth" }));
  item.addEventListener("click", () => box.closest(".page-view").scrollIntoView({ block: "nearest", behavior: "smooth" }));
}

function allText() {
  const texts = state.pages.map((page) => page.results.map((line) => line.text).join("\n"));
  return state.pages.length > 1 ? texts.map((t, i) => `--- page ${i + 1} ---\n${t}`).join("\n\n") : texts[0];
}

async function copyAll() {
  const text = allText();
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const area = document.createElement("textarea");
    area.value = text;
    document.body.append(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }
  setStatus("已复制 / copied");
}

function download(suffix, type, content) {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(new Blob([content], { type }));
  a.download = `${state.file.name.replace(/\.[^.]+$/, "")}.${suffix}`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

// An answer as exported: a PDF's page pictures (/ocr pages, /extract documents) left out.
function withoutPageImages(body) {
  const strip = (list) => list.map(({ image, ...rest }) => rest);
  return { ...body, ...(body.pages && { pages: strip(body.pages) }), ...(body.documents && { documents: strip(body.documents) }) };
}

$("#file").addEventListener("change", (event) => choose(event.target.files[0]));
$("#recognise").addEventListener("click", submit);
for (const radio of document.querySelectorAll("input[name=mode]")) {
  radio.addEventListener("change", () => {
    $("#recognise").textContent = extractMode() ? "提取字段 / Extract" : "开始高精度识别 / Recognise";
    $("#cls").disabled = extractMode();  // /extract turns pages and lines upright itself
  });
}
$("#copy").addEventListener("click", copyAll);
$("#export-txt").addEventListener("click", () => download("txt", "text/plain", allText() + "\n"));
$("#export-json").addEventListener("click", () =>
  download("json", "application/json", JSON.stringify(withoutPageImages(state.body), null, 2)));
const drop = $("#drop");
for (const name of ["dragenter", "dragover"]) {
  drop.addEventListener(name, (event) => { event.preventDefault(); drop.classList.add("over"); });
}
for (const name of ["dragleave", "drop"]) {
  drop.addEventListener(name, (event) => { event.preventDefault(); drop.classList.remove("over"); });
}
drop.addEventListener("drop", (event) => choose(event.dataTransfer.files[0]));
