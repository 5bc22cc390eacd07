// i18n.js: the console's words, Vietnamese first (the glossary's terms), English
// with ?lang=en; and the labels of statement types, fields and values, which the
// server serves from api/officer/labels.py (/officer/labels.json).

const WORDS = {
  vi: {
    tab_key: "Khóa & đăng nhập", tab_record: "Ghi sổ", tab_inbox: "Chờ phê duyệt",
    tab_import: "Nhập từ bảng tính", tab_payroll: "Chi trả tháng",
    signed_in_as: "Đã đăng nhập", sign_out: "Đăng xuất", key_id: "Mã khóa", roles: "Vai trò",
    session_until: "Phiên làm việc đến",
    load_key: "Mở tệp khóa của bạn", key_file: "Tệp khóa (.key, .pem)",
    passphrase: "Mật khẩu của tệp khóa", sign_in: "Đăng nhập",
    key_stays: "Khóa bí mật chỉ nằm trong trang này, không bao giờ gửi lên máy chủ; tải lại trang là phải mở lại tệp khóa.",
    create_key: "Tạo khóa mới", your_name: "Họ tên của bạn", new_passphrase: "Đặt mật khẩu cho tệp khóa (ít nhất 8 ký tự)",
    new_passphrase2: "Nhập lại mật khẩu", create_and_download: "Tạo và tải về",
    created_key: "Đã tạo khóa {id}. Đã tải về tệp khóa (giữ kín) và tệp .pub: gửi tệp .pub cho quản trị để đăng ký vai trò, rồi đăng nhập bằng tệp khóa.",
    passphrases_differ: "Hai mật khẩu không giống nhau.", passphrase_short: "Mật khẩu cần ít nhất 8 ký tự.",
    choose_key_first: "Hãy chọn tệp khóa.",
    NOT_PEM: "Tệp này không phải tệp khóa (PEM). Hãy chọn tệp .key hoặc .pem do ansinh tạo.",
    NEEDS_PASSPHRASE: "Tệp khóa có mật khẩu: hãy nhập mật khẩu.",
    WRONG_PASSPHRASE: "Sai mật khẩu của tệp khóa.",
    NOT_ED25519: "Khóa này không phải khóa Ed25519.",
    UNSUPPORTED_ENCRYPTION: "Tệp khóa được mã hóa theo cách trang này không đọc được; hãy xuất lại bằng ansinh.",
    UNKNOWN_KEY: "Khóa này chưa được đăng ký trong sổ cái (mã {id}). Gửi tệp .pub cho quản trị.",
    signed_out: "Đã đăng xuất; khóa đã được xóa khỏi trang.",
    sign_in_first: "Hãy mở tệp khóa và đăng nhập trước.",
    what_to_record: "Loại nghiệp vụ", record_title: "Ghi sổ: lập và ký một bút toán",
    check: "Kiểm tra", checking: "Đang kiểm tra…", preview: "Xem trước nội dung sẽ ký",
    sign_submit: "Ký và ghi vào sổ", recorded_at: "Đã ghi vào sổ: bút toán số {index}.",
    already_recorded: "Bút toán này đã có trong sổ (số {index}).",
    fix_fields: "Cần sửa {n} chỗ trước khi ký:", all_good: "Đủ và đúng: có thể ký.",
    required: "Bắt buộc nhập.", not_a_date: "Ngày phải dạng dd/mm/yyyy.",
    not_a_month: "Tháng phải dạng mm/yyyy.", not_money: "Số tiền chỉ gồm chữ số.",
    not_integer: "Phải là số nguyên.", optional: "(không bắt buộc)",
    search: "Tìm", search_ph: "Mã hộ, thôn/bản hoặc họ tên", choose: "Chọn", change: "Đổi",
    nothing_found: "Không tìm thấy.", more_found: "Còn nữa: gõ thêm để thu hẹp.",
    all_villages: "Tất cả thôn, bản", none: "—",
    full_name: "Họ và tên", national_id: "Số định danh cá nhân (CCCD)", birth_date: "Ngày sinh",
    vault_note: "Họ tên, số định danh và ngày sinh chỉ lưu trong kho dữ liệu cá nhân; sổ cái chỉ ghi mã cam kết.",
    evidence_file: "Ảnh hoặc bản quét chứng từ", evidence_text: "hoặc số biên nhận",
    evidence_hash: "Mã băm sẽ ghi", new_id: "Mã mới (tự sinh)",
    exactly_one: "Chọn đúng một trong: {names}.",
    load_pub: "Mở tệp .pub", checkpoint_now: "Lấy điểm kiểm chứng mới nhất",
    inbox_title: "Đề nghị chờ phê duyệt", inbox_empty: "Không có đề nghị nào đang chờ.",
    proposed_by: "Người đề nghị", household: "Hộ", head: "Chủ hộ", beneficiary: "Người hưởng", basis: "Căn cứ",
    program: "Chương trình", amount: "Mức hưởng", from_month: "Từ tháng", to_month: "Đến tháng",
    status: "Diện hộ", effective: "Hiệu lực từ", history: "Lịch sử", entry: "bút toán số",
    approve: "Phê duyệt", reject: "Không phê duyệt", decision_number: "Số quyết định",
    decision_date: "Ngày quyết định", reason: "Lý do", own_proposal: "Đề nghị của bạn",
    own_cannot: "Bạn đã lập đề nghị này nên không thể tự phê duyệt (nguyên tắc hai người).",
    not_approver: "Chỉ người có vai trò phê duyệt mới phê duyệt được.",
    approved_ok: "Đã phê duyệt (bút toán số {index}).", rejected_ok: "Đã ghi không phê duyệt (bút toán số {index}).",
    per_person_month: "thu nhập {amount}/người/tháng", deprivations: "thiếu hụt {n} chỉ số",
    kind_household_status: "Công nhận diện hộ", kind_benefit: "Hưởng chế độ",
    import_title: "Nhập từ bảng tính (XLSX, CSV)", layout: "Mẫu bảng",
    layout_households: "Hộ gia đình", layout_persons: "Nhân khẩu", layout_benefits: "Đề nghị chế độ",
    layout_payroll: "Chi trả theo tháng", month: "Tháng", template: "Tải mẫu bảng tính",
    layout_deaths: "Khai tử (danh sách của hộ tịch)", notes_n: "{n} ghi chú",
    notes: "Ghi chú", errors_notes: "Lỗi, ghi chú",
    nothing_to_sign: "Không có gì để ghi: mọi dòng đều được bỏ qua.",
    deaths_matched: "Người mất có trong sổ ({n})", household_code: "Mã hộ", person_code: "Mã nhân khẩu",
    date_of_death: "Ngày mất", benefits_stopped: "Chế độ dừng",
    payable_until: "hưởng đến hết tháng {month}", paid_after_death: "đã chi sau khi mất",
    no_benefit: "không hưởng chế độ hằng tháng",
    file: "Tệp bảng tính", read_file: "Đọc và kiểm tra",
    rows: "{n} dòng", bad_rows: "{n} dòng lỗi", statements_n: "{n} bút toán",
    skipped: "{n} dòng bỏ qua", nothing_recorded: "Chưa ghi gì vào sổ: sửa các dòng lỗi trong tệp rồi đọc lại.",
    clean: "Không có lỗi. Ký tất cả và ghi vào sổ cùng một lần (hoặc ghi hết, hoặc không ghi gì).",
    sign_all: "Ký tất cả và ghi vào sổ", signing: "Đang ký {i}/{n}…", submitting: "Đang gửi {n} bút toán…",
    batch_recorded: "Đã ghi {n} bút toán vào sổ, từ số {first} đến số {last}.",
    row: "Dòng", errors: "Lỗi", cells: "Nội dung",
    payroll_title: "Danh sách chi trả tháng", village: "Thôn, bản", show: "Xem danh sách",
    print: "In danh sách", download_xlsx: "Tải XLSX", record_payments: "Ghi nhận chi trả",
    paid: "Đã nhận", method: "Hình thức", paid_on: "Ngày chi", receipt: "Chứng từ",
    receipt_no: "Số biên nhận", scan: "Ảnh chứng từ", due: "Phải trả", tick_paid: "Đánh dấu những người đã nhận tiền, rồi ký một lần cho tất cả.",
    none_ticked: "Chưa đánh dấu ai.", tick_all: "Đánh dấu tất cả", need_evidence: "Dòng {row}: cần số biên nhận hoặc ảnh chứng từ.",
    already_paid: "đã chi", program_all: "Tất cả chương trình",
    error: "Lỗi", server_error: "Máy chủ trả lỗi {code}: {message}", offline: "Không kết nối được máy chủ.",
    line_error: "Dòng {line}: {message}",
    tab_inspect: "Kiểm tra sổ", inspect_title: "Kiểm tra sổ cái: lọc bút toán, lấy bằng chứng",
    inspect_by: "Người ký (mã cán bộ hoặc mã khóa)", inspect_type: "Loại bút toán",
    inspect_entity: "Mã hộ hoặc mã đối tượng", inspect_from: "Ký từ ngày", inspect_to: "Đến ngày",
    all_types: "Tất cả các loại", filter: "Lọc", inspect_found: "{n} bút toán",
    inspect_more: "Còn nữa: xem tiếp", inspect_none: "Không có bút toán nào khớp.",
    index: "Số", signed_at: "Ký lúc", signed_by: "Người ký", recorded: "Ghi sổ lúc",
    evidence: "Tải bằng chứng (kèm chứng minh Merkle)",
    evidence_hint: "Tệp bằng chứng kiểm tra được khi không có mạng: ansinh verify TỆP --authority MÃ_KHÓA",
    evidence_saved: "Đã tải tệp bằng chứng {name}.",
    evidence_needs: "Hãy nhập mã hộ (hoặc mã đối tượng) để lấy bằng chứng, hoặc chọn các bút toán.",
    not_inspector: "Trang này dành cho thanh tra (vai trò inspector) hoặc quản trị.",
  },
  en: {
    tab_key: "Key & sign-in", tab_record: "Record", tab_inbox: "Inbox",
    tab_import: "Import spreadsheet", tab_payroll: "Monthly payroll",
    signed_in_as: "Signed in", sign_out: "Sign out", key_id: "Key id", roles: "Roles",
    session_until: "Session until",
    load_key: "Open your key file", key_file: "Key file (.key, .pem)",
    passphrase: "Key file passphrase", sign_in: "Sign in",
    key_stays: "The private key stays in this page and is never sent to the server; reloading the page forgets it.",
    create_key: "Create a new key", your_name: "Your name", new_passphrase: "Passphrase for the key file (8+ characters)",
    new_passphrase2: "Passphrase again", create_and_download: "Create and download",
    created_key: "Key {id} created. The key file (keep it secret) and the .pub file were downloaded: send the .pub to the admin to register your roles, then sign in with the key file.",
    passphrases_differ: "The two passphrases differ.", passphrase_short: "The passphrase needs 8 characters or more.",
    choose_key_first: "Choose a key file.",
    NOT_PEM: "This is not a key file (PEM). Choose the .key or .pem file ansinh made.",
    NEEDS_PASSPHRASE: "The key file has a passphrase: type it.",
    WRONG_PASSPHRASE: "Wrong passphrase for the key file.",
    NOT_ED25519: "This key is not an Ed25519 key.",
    UNSUPPORTED_ENCRYPTION: "This key file's encryption cannot be read here; export it again with ansinh.",
    UNKNOWN_KEY: "This key is not registered in the ledger (id {id}). Send the .pub file to the admin.",
    signed_out: "Signed out; the key was removed from the page.",
    sign_in_first: "Open your key file and sign in first.",
    what_to_record: "What to record", record_title: "Record: draw up and sign a statement",
    check: "Check", checking: "Checking…", preview: "Preview what will be signed",
    sign_submit: "Sign and record", recorded_at: "Recorded: entry {index}.",
    already_recorded: "Already in the ledger (entry {index}).",
    fix_fields: "Fix {n} things before signing:", all_good: "Complete and valid: ready to sign.",
    required: "Required.", not_a_date: "Dates are dd/mm/yyyy.", not_a_month: "Months are mm/yyyy.",
    not_money: "Digits only.", not_integer: "A whole number.", optional: "(optional)",
    search: "Search", search_ph: "Household code, village or name", choose: "Choose", change: "Change",
    nothing_found: "Nothing found.", more_found: "More matched: type more to narrow.",
    all_villages: "All villages", none: "—",
    full_name: "Full name", national_id: "National id number", birth_date: "Date of birth",
    vault_note: "Name, national id and birth date go to the personal-data vault only; the ledger records a commitment.",
    evidence_file: "Photo or scan of the receipt", evidence_text: "or the receipt number",
    evidence_hash: "Hash to record", new_id: "New id (generated)",
    exactly_one: "Choose exactly one of: {names}.",
    load_pub: "Open a .pub file", checkpoint_now: "Use the latest checkpoint",
    inbox_title: "Proposals waiting", inbox_empty: "No proposal is waiting.",
    proposed_by: "Proposed by", household: "Household", head: "Head", beneficiary: "Beneficiary", basis: "Basis",
    program: "Program", amount: "Amount", from_month: "From", to_month: "To",
    status: "Status", effective: "Effective", history: "History", entry: "entry",
    approve: "Approve", reject: "Reject", decision_number: "Decision no.",
    decision_date: "Decision date", reason: "Reason", own_proposal: "Your proposal",
    own_cannot: "You proposed this, so you cannot decide it (maker-checker).",
    not_approver: "Only an approver may decide.",
    approved_ok: "Approved (entry {index}).", rejected_ok: "Rejected (entry {index}).",
    per_person_month: "income {amount} a person a month", deprivations: "{n} deprivations",
    kind_household_status: "Household status", kind_benefit: "Benefit",
    import_title: "Import a spreadsheet (XLSX, CSV)", layout: "Layout",
    layout_households: "Households", layout_persons: "Persons", layout_benefits: "Benefit proposals",
    layout_payroll: "Monthly payments", month: "Month", template: "Download the template",
    layout_deaths: "Deaths (civil registry's list)", notes_n: "{n} notes",
    notes: "Notes", errors_notes: "Errors, notes",
    nothing_to_sign: "Nothing to record: every row is skipped.",
    deaths_matched: "Deaths of registered people ({n})", household_code: "Household code", person_code: "Person code",
    date_of_death: "Date of death", benefits_stopped: "Benefits stopped",
    payable_until: "payable through {month}", paid_after_death: "paid after the death",
    no_benefit: "no monthly benefit",
    file: "Spreadsheet file", read_file: "Read and check",
    rows: "{n} rows", bad_rows: "{n} bad rows", statements_n: "{n} statements",
    skipped: "{n} rows skipped", nothing_recorded: "Nothing recorded: fix the bad rows in the file and read it again.",
    clean: "No errors. Sign them all and record them at once (all or nothing).",
    sign_all: "Sign all and record", signing: "Signing {i}/{n}…", submitting: "Sending {n} statements…",
    batch_recorded: "Recorded {n} statements, entries {first} to {last}.",
    row: "Row", errors: "Errors", cells: "Cells",
    payroll_title: "Monthly payroll", village: "Village", show: "Show the list",
    print: "Print", download_xlsx: "Download XLSX", record_payments: "Record payments",
    paid: "Paid", method: "Method", paid_on: "Paid on", receipt: "Receipt",
    receipt_no: "Receipt no.", scan: "Scan", due: "Due", tick_paid: "Tick who was paid, then sign them all at once.",
    none_ticked: "Nobody is ticked.", tick_all: "Tick everyone", need_evidence: "Row {row}: a receipt number or a scan is needed.",
    already_paid: "paid", program_all: "All programs",
    error: "Error", server_error: "The server refused ({code}): {message}", offline: "Cannot reach the server.",
    line_error: "Line {line}: {message}",
    tab_inspect: "Inspect", inspect_title: "Inspecting the ledger: filter entries, take evidence",
    inspect_by: "Signed by (holder id or key id)", inspect_type: "Statement type",
    inspect_entity: "Household code or entity id", inspect_from: "Signed from", inspect_to: "To",
    all_types: "All types", filter: "Filter", inspect_found: "{n} entries",
    inspect_more: "More: show the next", inspect_none: "No entry matches.",
    index: "Index", signed_at: "Signed at", signed_by: "Signed by", recorded: "Recorded at",
    evidence: "Download evidence (with Merkle proofs)",
    evidence_hint: "An evidence file is checked offline: ansinh verify FILE --authority KEY_ID",
    evidence_saved: "Downloaded the evidence file {name}.",
    evidence_needs: "Give a household code (or entity id) to take evidence, or tick entries.",
    not_inspector: "This screen is for inspectors (role inspector) or the admin.",
  },
};

let labels = { types: {}, fields: {}, by_type: {}, values: {} };

/** The page's language: "vi" (default) or "en". */
export function lang() {
  return document.body.dataset.lang === "en" ? "en" : "vi";
}

/** A word of the console, with {name} filled from `vars`. */
export function t(key, vars = {}) {
  const text = WORDS[lang()][key] ?? WORDS.vi[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ""));
}

/** Load the labels of types, fields and values (once, at start). */
export async function loadLabels() {
  const answer = await fetch(`/officer/labels.json?lang=${lang()}`);
  if (answer.ok) labels = await answer.json();
}

/** The title of a statement type. */
export function typeLabel(type) {
  return labels.types[type]?.label ?? type;
}

/** A field's label and help: the type's own words first, then the common ones. */
export function fieldLabel(type, path) {
  return labels.by_type[type]?.[path] ?? labels.fields[path] ?? { label: path, help: "" };
}

/** An enum value's words ("poor" -> "Hộ nghèo"); by its field path, then its last part. */
export function valueLabel(path, value) {
  const table = labels.values[path] ?? labels.values[path.split(".").pop()] ?? {};
  return table[value] ?? value;
}
