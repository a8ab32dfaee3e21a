// The page's extract mode: send one image or PDF to POST extract, show each document's fields as a
// table beside its page (a field's row and its box highlight each other on hover), its checks as
// ticks and crosses under the page, and export the fields as CSV or the whole answer as JSON. Loaded after app.js,
// whose helpers it uses.
"use strict";

const extracted = { body: null };
const FIELD_CSV_COLUMNS = ["page", "index", "type", "valid", "key", "value", "source", "confidence", "corrected_from"];

// The pictures the boxes are drawn on, sized in their own pixels (the boxes' coordinates). An
// image is its own page; a PDF's documents carry their rendered pages (page_images=true), so one
// request reads the PDF once.
async function pagePictures(documents) {
  const pictures = documents.map(({ page, image }) => ({ page, image: image ?? state.fileUrl }));
  return Promise.all(pictures.map(async (picture) => {
    const img = new Image();
    img.src = picture.image;
    await img.decode();
    return { ...picture, width: img.naturalWidth, height: img.naturalHeight };
  }));
}

async function extractFields(file) {
  const form = new FormData();
  form.append("image", file);
  if (isPdf(file)) form.append("page_images", "true");
  const body = await post("extract", form);
  extracted.body = body;
  showDocuments(body.documents, await pagePictures(body.documents));
  const fields = body.documents.reduce((n, doc) => n + Object.keys(doc.fields).length, 0);
  return `${fields} fields in ${body.documents.length} document(s)`;
}

function showDocuments(documents, pictures) {
  const pagesEl = $("#extract-pages");
  const documentsEl = $("#documents");
  pagesEl.replaceChildren();
  documentsEl.replaceChildren();
  for (const doc of documents) {
    const { figure, svg } = pageView(pictures.find((p) => p.page === doc.page), documents.length > 1);
    figure.append(checkList(doc.checks));  // under the page, where the space is
    pagesEl.append(figure);
    documentsEl.append(documentCard(doc, svg));
  }
  $("#result").hidden = true;
  $("#extract-result").hidden = false;
}

// One document: its type and verdict, then a row per field (its box drawn into `svg`).
function documentCard(doc, svg) {
  const card = document.createElement("section");
  card.className = "document";
  const title = heading("h3", `Page ${doc.page} · ${doc.type} `);
  const verdict = document.createElement("span");
  verdict.className = `verdict ${doc.valid ? "ok" : "failed"}`;
  verdict.textContent = doc.valid ? "✓ valid" : "✗ not valid";
  title.append(verdict);
  card.append(title);

  const table = document.createElement("table");
  table.className = "fields";
  const head = table.createTHead().insertRow();
  for (const name of ["key", "value", "source"]) head.append(heading("th", name));
  const rows = table.createTBody();
  for (const [key, field] of Object.entries(doc.fields)) {
    const row = rows.insertRow();
    row.dataset.key = key;
    row.insertCell().textContent = key;
    const value = row.insertCell();
    value.className = "value";
    value.textContent = String(field.value);
    if (field.corrected_from !== undefined) {
      const corrected = document.createElement("small");
      corrected.className = "corrected";
      corrected.textContent = `corrected from ${field.corrected_from}`;
      value.append(corrected);
    }
    row.insertCell().textContent = field.source;
    if (field.bbox.length === 4) link(fieldBox(field.bbox, key, svg), row);
  }
  card.append(table);
  return card;
}

// Each check as a tick or a cross, with its name and message.
function checkList(checks) {
  const list = document.createElement("ul");
  list.className = "checks";
  for (const check of checks) {
    const item = document.createElement("li");
    item.className = check.ok ? "ok" : "failed";
    item.textContent = `${check.ok ? "✓" : "✗"} ${check.name}: ${check.message}`;
    list.append(item);
  }
  return list;
}

function fieldBox([x0, y0, x1, y1], key, svg) {
  const rect = document.createElementNS(SVG, "rect");
  rect.setAttribute("x", x0);
  rect.setAttribute("y", y0);
  rect.setAttribute("width", x1 - x0);
  rect.setAttribute("height", y1 - y0);
  rect.dataset.key = key;
  const title = document.createElementNS(SVG, "title");
  title.textContent = key;
  rect.append(title);
  svg.append(rect);
  return rect;
}

// A row per field, as the table shows them: a spreadsheet of what was read and where it came from.
function fieldsCsv(documents) {
  const rows = [FIELD_CSV_COLUMNS];
  for (const doc of documents) {
    for (const [key, field] of Object.entries(doc.fields)) {
      rows.push([doc.page, doc.index, doc.type, doc.valid, key, field.value, field.source, field.confidence,
        field.corrected_from ?? ""]);
    }
  }
  return rows.map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
}

function csvCell(value) {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

$("#export-fields-csv").addEventListener("click", () =>
  download("fields.csv", "text/csv", fieldsCsv(extracted.body.documents)));
$("#export-fields-json").addEventListener("click", () =>
  download("fields.json", "application/json", JSON.stringify(withoutPageImages(extracted.body), null, 2)));
