"""The console's words for one FORMATS 1.3 procedure.

Poverty review rounds: assessments, the village meeting, public posting,
objections, recognition (docs/formats.md 11.4).

Merged into :mod:`api.officer.labels` (same shapes as its tables). Fields
whose words would mean something else in another type (from, to, date,
kind) are labelled per type, so no other procedure's words are replaced.
"""

from __future__ import annotations

from api.officer.label import Label

L = Label
_ASSESSMENT = L(
    "Hộ được rà soát",
    "Assessment",
    "Phiếu rà soát của hộ trong đợt này.",
    "The household's assessment in this round.",
)
_ROUND = L("Đợt rà soát", "Review round")

TYPES: dict[str, Label] = {
    "review.opened": L(
        "Mở đợt rà soát hộ nghèo, cận nghèo",
        "Open a poverty review round",
        "Theo kế hoạch của chủ tịch UBND xã: định kỳ (1/9 - 14/12) hoặc thường xuyên.",
        "Per the chairman's plan: periodic (1 Sep - 14 Dec) or regular.",
    ),
    "household.assessed": L(
        "Ghi kết quả rà soát hộ",
        "Record a household's assessment",
        "Thu nhập bình quân và các chỉ số thiếu hụt theo phiếu khảo sát.",
        "Income per person and deprivations from the survey form.",
    ),
    "village.meeting.held": L(
        "Ghi hội nghị bình xét ở thôn",
        "Record the village meeting",
        "Trưởng thôn chủ trì, Mặt trận Tổ quốc giám sát; biên bản hai bản có chữ ký.",
        "Chaired by the village head, supervised by the Fatherland Front; minutes signed twice.",
    ),
    "assessment.voted": L(
        "Ghi kết quả biểu quyết của hộ",
        "Record the meeting's vote on a household",
        "Cần ít nhất 50% người dự đồng ý, nếu không thì rà soát lại.",
        "At least half of those present must agree, or the household is reviewed again.",
    ),
    "review.posted": L(
        "Niêm yết công khai kết quả",
        "Post the results publicly",
        "Nơi niêm yết và thời gian nhận khiếu nại, phản ánh.",
        "Where, and the window for objections.",
    ),
    "objection.lodged": L(
        "Ghi khiếu nại, phản ánh",
        "Record an objection",
        "Người dân có thể phản ánh không cần khóa; cán bộ ghi lại, không ghi tên vào sổ.",
        "A villager needs no key; an officer records it, without the name in the ledger.",
    ),
    "objection.answered": L("Trả lời khiếu nại, phản ánh", "Answer an objection"),
    "review.recognized": L(
        "Công nhận hộ nghèo, cận nghèo theo kết quả rà soát",
        "Recognise a household's review result",
        "Chủ tịch UBND xã quyết định sau khi hết thời gian niêm yết.",
        "The commune chairman decides once the posting window has closed.",
    ),
}
FIELDS: dict[str, Label] = {
    "round_id": _ROUND,
    "assessment_id": _ASSESSMENT,
    "meeting_id": L("Hội nghị thôn", "Village meeting"),
    "posting_id": L("Mã niêm yết", "Posting id"),
    "objection_id": L("Khiếu nại, phản ánh", "Objection"),
    "plan": L("Kế hoạch rà soát", "Review plan"),
    "plan.number": L("Số kế hoạch", "Plan no.", "Ví dụ 112/KH-UBND.", "e.g. 112/KH-UBND."),
    "plan.date": L("Ngày kế hoạch", "Plan date"),
    "request": L("Hộ đề nghị", "Household's request"),
    "area": L("Khu vực", "Area"),
    "income_per_capita_month": L(
        "Thu nhập bình quân đầu người/tháng", "Income per person a month", "đồng", "đồng"
    ),
    "deprivations": L(
        "Chỉ số thiếu hụt",
        "Deprivations",
        "Trong 12 chỉ số; bỏ trống nếu không thiếu hụt chỉ số nào.",
        "Of the 12 indicators; leave out if none.",
    ),
    "result": L("Kết quả rà soát", "Result"),
    "chair": L("Chủ trì (trưởng thôn)", "Chair (village head)"),
    "supervisor": L("Giám sát (Mặt trận Tổ quốc)", "Supervisor (Fatherland Front)"),
    "present": L("Số người dự họp", "Present"),
    "minutes_sha256": L(
        "Mã băm biên bản họp",
        "Minutes SHA-256",
        "Biên bản có chữ ký; chỉ mã băm được ghi vào sổ.",
        "The signed minutes; only the hash goes into the ledger.",
    ),
    "agree": L("Số người đồng ý", "Agreed"),
    "place": L("Nơi niêm yết", "Posted at"),
    "lodged_on": L("Ngày nhận khiếu nại", "Lodged on"),
    "objector": L(
        "Cam kết người phản ánh",
        "Objector commitment",
        "Bỏ trống nếu ẩn danh; chỉ mã băm được ghi vào sổ.",
        "Leave out if anonymous; only a hash goes into the ledger.",
    ),
    "summary": L("Nội dung", "Summary"),
    "answer": L("Nội dung trả lời", "Answer"),
    "answered_on": L("Ngày trả lời", "Answered on"),
}
BY_TYPE: dict[str, dict[str, Label]] = {
    "review.opened": {
        "kind": L("Loại rà soát", "Kind of review"),
        "from": L("Bắt đầu", "Starts"),
        "to": L("Kết thúc", "Ends"),
    },
    "village.meeting.held": {
        "village": L("Thôn, bản", "Village"),
        "date": L("Ngày họp", "Held on"),
    },
    "review.posted": {
        "village": L("Thôn, bản", "Village"),
        "from": L("Niêm yết từ ngày", "Posted from"),
        "to": L("Niêm yết đến hết ngày", "Posted until"),
    },
    "objection.answered": {"outcome": L("Kết luận", "Outcome")},
    "review.recognized": {
        "household_id": L(
            "Hộ được công nhận", "Household", "Hộ của phiếu rà soát.", "The assessment's household."
        ),
        "result": L("Công nhận là", "Recognised as"),
        "decision": L("Quyết định công nhận", "Recognition decision"),
        "decision.number": L("Số quyết định", "Decision no."),
        "decision.date": L("Ngày quyết định", "Decision date"),
    },
}
VALUES: dict[str, dict[str, tuple[str, str]]] = {
    "kind": {
        "periodic": ("Định kỳ hằng năm", "Periodic (yearly)"),
        "regular": ("Thường xuyên", "Regular (monthly)"),
    },
    "request": {
        "none": ("Trong danh sách đang quản lý", "On the current list"),
        "form_01": ("Giấy đề nghị rà soát (mẫu 01)", "Asked to be reviewed (form 01)"),
        "form_04": ("Giấy đề nghị thoát nghèo (mẫu 04)", "Asked to leave the list (form 04)"),
    },
    "area": {"rural": ("Nông thôn", "Rural"), "urban": ("Thành thị", "Urban")},
    "result": {
        "poor": ("Hộ nghèo", "Poor"),
        "near_poor": ("Hộ cận nghèo", "Near-poor"),
        "not_poor": ("Hộ không nghèo", "Not poor"),
    },
    "deprivations": {
        "employment": ("Việc làm", "Employment"),
        "dependants": ("Người phụ thuộc trong hộ", "Dependants"),
        "nutrition": ("Dinh dưỡng", "Nutrition"),
        "health_insurance": ("Bảo hiểm y tế", "Health insurance"),
        "adult_education": ("Trình độ giáo dục của người lớn", "Adult education"),
        "child_schooling": ("Tình trạng đi học của trẻ em", "Children's schooling"),
        "housing_quality": ("Chất lượng nhà ở", "Housing quality"),
        "housing_area": ("Diện tích nhà ở bình quân đầu người", "Housing area per person"),
        "drinking_water": ("Nguồn nước sinh hoạt", "Drinking water"),
        "sanitation": ("Nhà tiêu hợp vệ sinh", "Sanitation"),
        "telecom_use": ("Sử dụng dịch vụ viễn thông", "Telecom use"),
        "information_access": ("Phương tiện tiếp cận thông tin", "Information access"),
    },
    "outcome": {
        "upheld": ("Có cơ sở (rà soát lại)", "Upheld (reviewed again)"),
        "dismissed": ("Không có cơ sở", "Dismissed"),
    },
}
