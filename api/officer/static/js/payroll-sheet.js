/**
 * The monthly payroll sheet (danh sách chi trả) drawn as HTML, to print on A4 landscape,
 * have recipients sign or put their thumbprint, and bring back.
 *
 * `renderPayrollSheet(container, sheet, lang)` draws the JSON of
 * `GET /v1/payroll/sheet` (the console fetches it with the officer's token):
 * the commune and the national motto, the title with the month, the table
 * (its heading row repeated on every printed page: a `thead`), a heading and
 * a subtotal row per village (each row with its lookup code, "mã tra cứu", that
 * the beneficiary checks at `/xac-nhan/CODE`), the grand total, the total due in words, the
 * signature block, and what the sheet was drawn from (ledger, entries,
 * Merkle root), which is also put in every page's bottom margin. Styles:
 * `payroll-sheet.css`. Everything is written as text nodes, never as HTML.
 */

const TEXT = {
  vi: {
    motto: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    motto2: "Độc lập - Tự do - Hạnh phúc",
    title: (month) => `DANH SÁCH CHI TRẢ TRỢ CẤP THÁNG ${month}`,
    village: (v) => `Thôn/bản: ${v}`,
    program: (p) => `Chương trình: ${p}`,
    all: "Tất cả thôn/bản, tất cả chương trình",
    unit: "Đơn vị tính: đồng",
    subtotal: (v, n) => `Cộng ${v} (${n} người)`,
    total: (n) => `Tổng cộng (${n} người)`,
    words: (w) => `Bằng chữ: ${w}.`,
    place: (p) => `${p}, ngày ..... tháng ..... năm ........`,
    basis: (ledger, size, root, signed) =>
      `Lập từ sổ cái ${ledger}: ${size} bút toán, gốc Merkle ${root}` +
      (signed ? " (điểm kiểm chứng đã ký)" : ""),
    page: "Trang",
    erased: "(đã xóa)",
    empty: "Không có ai được chi trả trong tháng này.",
    methods: { cash: "Tiền mặt", post: "Bưu điện", bank: "Chuyển khoản" },
    signers: [
      ["Người lập biểu", "(Ký, ghi rõ họ tên)"],
      ["Kế toán", "(Ký, ghi rõ họ tên)"],
      ["Chủ tịch UBND xã", "(Ký tên, đóng dấu)"],
    ],
  },
  en: {
    motto: "SOCIALIST REPUBLIC OF VIET NAM",
    motto2: "Independence - Freedom - Happiness",
    title: (month) => `PAYROLL OF ALLOWANCES, MONTH ${month}`,
    village: (v) => `Village: ${v}`,
    program: (p) => `Program: ${p}`,
    all: "All villages, all programs",
    unit: "Amounts in dong",
    subtotal: (v, n) => `Subtotal ${v} (${n} rows)`,
    total: (n) => `Total (${n} rows)`,
    words: (w) => `In words: ${w}.`,
    place: (p) => `${p}, date ...................`,
    basis: (ledger, size, root, signed) =>
      `Drawn from ledger ${ledger}: ${size} entries, Merkle root ${root}` +
      (signed ? " (signed checkpoint)" : ""),
    page: "Page",
    erased: "(erased)",
    empty: "Nobody is to be paid this month.",
    methods: { cash: "Cash", post: "Post office", bank: "Bank transfer" },
    signers: [
      ["Prepared by", "(Signature, full name)"],
      ["Accountant", "(Signature, full name)"],
      ["Chairman of the Commune People's Committee", "(Signature and seal)"],
    ],
  },
};

// The columns, in the order of the sheet's `columns` headings.
const COLUMNS = [
  "no",
  "village",
  "household_code",
  "name",
  "program",
  "due",
  "paid",
  "paid_on",
  "method",
  "receipt",
  "recipient_id",
  "benefit_id",
  "receipt_code",
  "signature",
];
const MONEY = new Set(["due", "paid"]);
const PAGE_STYLE_ID = "payroll-sheet-page";

/** An element with a class and, optionally, text. */
function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

/** Đồng with thousands separators: 1.624.000 (vi), 1,624,000 (en); exact for big sums
 * the server sends as decimal strings. */
export function formatMoney(value, lang) {
  if (value === null || value === undefined || value === "") return "";
  const sep = lang === "en" ? "," : ".";
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, sep);
}

/** YYYY-MM-DD as dd/mm/yyyy. */
function formatDate(day) {
  const [y, m, d] = day.split("-");
  return `${d}/${m}/${y}`;
}

/** YYYY-MM as mm/yyyy. */
function formatMonth(month) {
  const [y, m] = month.split("-");
  return `${m}/${y}`;
}

/** A row's cells by column key: several payments give one line each. */
function cells(row, sheet, t) {
  const payments = row.payments || [];
  const erased = sheet.named !== false && row.person_id;
  // the CCCD where the vault gave it (what the recipient shows), else the person's id
  const recipients = (row.recipients || [row.recipient]).map((r) => r.national_id || r.person_id).filter(Boolean);
  return {
    no: row.no,
    village: row.village,
    household_code: row.household_code,
    name: row.name || (erased ? t.erased : ""),
    program: row.program_name,
    due: row.due,
    paid: payments.length ? row.paid : "",
    paid_on: payments.map((p) => formatDate(p.paid_on)).join("\n"),
    method: payments.map((p) => t.methods[p.method] || p.method).join("\n"),
    receipt: payments.map((p) => p.payment_id.slice(0, 8)).join("\n"),
    recipient_id: recipients.join("\n"),
    benefit_id: row.benefit_id,
    receipt_code: row.receipt_code || "",
    signature: "",
  };
}

function dataRow(row, sheet, t, lang) {
  const tr = el("tr", `ps-row ps-${row.status}`);
  const values = cells(row, sheet, t);
  for (const key of COLUMNS) {
    const value = MONEY.has(key) ? formatMoney(values[key], lang) : values[key];
    tr.append(el("td", `ps-${key.replace(/_/g, "-")}`, value));
  }
  return tr;
}

function sumRow(className, label, sums, lang) {
  const tr = el("tr", className);
  const head = el("td", "ps-sum-label", label);
  head.colSpan = 5;
  tr.append(head, el("td", "ps-due", formatMoney(sums.due, lang)));
  tr.append(el("td", "ps-paid", formatMoney(sums.paid, lang)));
  const rest = el("td", "ps-sum-rest");
  rest.colSpan = COLUMNS.length - 7;
  tr.append(rest);
  return tr;
}

function header(sheet, t) {
  const head = el("header", "ps-head");
  const commune = el("div", "ps-commune");
  commune.append(el("strong", null, sheet.commune.toUpperCase()), el("span", "ps-rule"));
  const motto = el("div", "ps-motto");
  motto.append(el("strong", null, t.motto), el("strong", "ps-motto2", t.motto2));
  motto.append(el("span", "ps-rule"));
  head.append(commune, motto);
  const scope = [];
  if (sheet.village) scope.push(t.village(sheet.village));
  if (sheet.program) scope.push(t.program(sheet.program));
  return [
    head,
    el("h1", "ps-title", t.title(formatMonth(sheet.month))),
    el("p", "ps-scope", scope.join("; ") || t.all),
    el("p", "ps-unit", t.unit),
  ];
}

function table(sheet, t, lang, basis) {
  const tableNode = el("table", "ps-table");
  const colgroup = el("colgroup");
  for (const key of COLUMNS) colgroup.append(el("col", `ps-col-${key.replace(/_/g, "-")}`));
  const thead = el("thead");
  const headRow = el("tr");
  sheet.columns.forEach((heading, i) => {
    const th = el("th", `ps-${COLUMNS[i].replace(/_/g, "-")}`, heading);
    th.scope = "col";
    headRow.append(th);
  });
  thead.append(headRow);
  const tbody = el("tbody");
  for (const group of sheet.villages) {
    const title = el("tr", "ps-village-head");
    const cell = el("td", null, t.village(group.village));
    cell.colSpan = COLUMNS.length;
    title.append(cell);
    tbody.append(title);
    for (const row of group.rows) tbody.append(dataRow(row, sheet, t, lang));
    const label = t.subtotal(group.village, group.subtotal.rows);
    tbody.append(sumRow("ps-subtotal", label, group.subtotal, lang));
  }
  if (!sheet.villages.length) {
    const none = el("tr", "ps-empty");
    const cell = el("td", null, t.empty);
    cell.colSpan = COLUMNS.length;
    none.append(cell);
    tbody.append(none);
  }
  tbody.append(sumRow("ps-total", t.total(sheet.total.rows), sheet.total, lang));
  tableNode.append(colgroup, thead, tbody, closing(sheet, t, basis));
  return tableNode;
}

/** The words, the signatures and the basis, as the table's last row: a page that holds
 * only them still carries the heading row, and they are never split from each other. */
function closing(sheet, t, basis) {
  const tbody = el("tbody", "ps-closing");
  const tr = el("tr");
  const cell = el("td");
  cell.colSpan = COLUMNS.length;
  cell.append(el("p", "ps-words", t.words(sheet.total_words)), signatures(sheet, t));
  cell.append(el("p", "ps-basis", basis));
  tr.append(cell);
  tbody.append(tr);
  return tbody;
}

function signatures(sheet, t) {
  const block = el("section", "ps-signatures");
  block.append(el("p", "ps-place", t.place(sheet.place || sheet.commune)));
  const row = el("div", "ps-signers");
  for (const [title, hint] of t.signers) {
    const who = el("div", "ps-signer");
    who.append(el("strong", null, title), el("em", null, hint));
    row.append(who);
  }
  block.append(row);
  return block;
}

/** A CSS string's content: quotes and backslashes escaped, on one line. */
function cssString(text) {
  return text.replace(/[\\"]/g, "\\$&").replace(/\s+/g, " ");
}

/** Every printed page's bottom margin: what the sheet was drawn from, and the page number. */
function pageMargins(basis, t) {
  let style = document.getElementById(PAGE_STYLE_ID);
  if (!style) {
    style = el("style");
    style.id = PAGE_STYLE_ID;
    document.head.append(style);
  }
  style.textContent =
    `@page { @bottom-left { content: "${cssString(basis)}"; } ` +
    `@bottom-right { content: "${t.page} " counter(page) "/" counter(pages); } }`;
}

/**
 * Draw `sheet` (the JSON of GET /v1/payroll/sheet) into `container`, replacing what
 * was there; `lang` "vi" (default) or "en" for the sheet's own words (the headings
 * are the sheet's `columns`, in the language it was asked in).
 */
export function renderPayrollSheet(container, sheet, lang = "vi") {
  const t = TEXT[lang] || TEXT.vi;
  const checkpoint = sheet.checkpoint || {};
  const basis = t.basis(
    sheet.ledger.id,
    sheet.as_of.entries,
    checkpoint.root || "-",
    Boolean(checkpoint.signed),
  );
  const article = el("article", "payroll-sheet");
  article.lang = lang === "en" ? "en" : "vi";
  article.append(...header(sheet, t), table(sheet, t, lang, basis));
  container.replaceChildren(article);
  pageMargins(basis, t);
  return article;
}
