"""The lookup page's words for confirmations (:mod:`api.pages.confirm`), Vietnamese and English.

Merged into :data:`api.pages.text.TEXT`.
"""

from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    "confirm_heading": ("Xác nhận đã nhận tiền", "Confirm you received it"),
    "confirm_ask": (
        "Bạn đã nhận được khoản tiền này chưa? Bấm một nút; không cần ghi tên.",
        "Did you receive this money? Press one button; no name is asked.",
    ),
    "confirm_received": ("Tôi đã nhận đủ", "I received it in full"),
    "confirm_not_heading": ("Tôi chưa nhận / nhận không đủ:", "I did not, or not in full:"),
    "confirm_not_received": ("Tôi chưa nhận", "I received nothing"),
    "confirm_wrong_amount": ("Tôi nhận không đủ", "I received less"),
    "confirm_how": (
        "Lời xác nhận được ghi vào sổ cái có chữ ký: chỉ mã tra cứu, điều bạn chọn và ngày; "
        "không ghi tên, số điện thoại hay địa chỉ của bạn. Nếu chưa nhận hoặc nhận không đủ, "
        "Ủy ban nhân dân xã phải trả lời trong 30 ngày (Luật Khiếu nại 2011, Điều 28).",
        "What you press is recorded in the signed ledger: only the lookup code, your choice "
        "and the day; never your name, phone or address. If you did not receive it all, the "
        "commune People's Committee must answer within 30 days (Law on Complaints 2011, "
        "Article 28).",
    ),
    "confirm_office": (
        "Trang này chưa nhận xác nhận trực tuyến: nếu bạn chưa nhận đủ tiền, hãy báo tại Ủy "
        "ban nhân dân xã.",
        "This page does not take confirmations: if you did not receive it all, tell the "
        "commune People's Committee office.",
    ),
    "confirm_sent_received": (
        "Cảm ơn bạn. Đã ghi: bạn đã nhận đủ.",
        "Thank you. Recorded: you received it in full.",
    ),
    "confirm_sent_not_received": (
        "Đã ghi phản ánh: bạn chưa nhận được tiền. Xã phải trả lời trong 30 ngày; hãy giữ giấy "
        "có mã tra cứu này.",
        "Recorded: you received nothing. The commune must answer within 30 days; keep the "
        "paper with this code.",
    ),
    "confirm_sent_wrong_amount": (
        "Đã ghi phản ánh: bạn nhận không đủ. Xã phải trả lời trong 30 ngày; hãy giữ giấy có mã "
        "tra cứu này.",
        "Recorded: you received less. The commune must answer within 30 days; keep the paper "
        "with this code.",
    ),
    "confirm_so_far": ("Khoản này đã có: {counts}.", "So far for this line: {counts}."),
    "confirm_count_received": ("{n} lần xác nhận đã nhận đủ", "{n} confirmed in full"),
    "confirm_count_not_received": ("{n} lần báo chưa nhận", "{n} said nothing received"),
    "confirm_count_wrong_amount": ("{n} lần báo nhận không đủ", "{n} said less received"),
    "confirm_refused": ("Chưa ghi được", "Not recorded"),
    "confirm_other_site": (
        "Chỉ nhận xác nhận gửi từ chính trang tra cứu này.",
        "Confirmations are taken only from this lookup page itself.",
    ),
    "confirm_closed": (
        "Trang này chưa nhận xác nhận trực tuyến; hãy báo tại Ủy ban nhân dân xã.",
        "This page does not take confirmations; tell the commune People's Committee office.",
    ),
    "confirm_too_many": (
        "Có quá nhiều lần bấm từ cùng một máy trong ít phút; hãy thử lại sau.",
        "Too many presses from one device in a few minutes; try again later.",
    ),
    "confirm_bad_form": ("Hãy bấm một trong các nút.", "Press one of the buttons."),
    "confirm_unknown": ("Không có khoản chi trả nào mang mã này.", "No payment has this code."),
    # /khieu-nai (api.pages.complaints)
    "grievances_link": (
        "Khiếu nại, phản ánh: số lượng và thời hạn",
        "Grievances: numbers and deadlines",
    ),
    "grievances_title": ("Khiếu nại, phản ánh", "Grievances"),
    "grievances_intro": (
        "Số khiếu nại, phản ánh về danh sách, chi trả và chế độ mà Ủy ban nhân dân xã đã tiếp "
        "nhận, và thời hạn giải quyết của những việc chưa kết thúc (Luật Khiếu nại 2011: 30 "
        "ngày, việc phức tạp 45 ngày).",
        "The grievances about lists, payments and benefits the commune received, and the due "
        "dates of those still open (Law on Complaints 2011: 30 days, 45 for complex cases).",
    ),
    "grievances_open": ("Đang giải quyết", "Open"),
    "grievances_none_open": ("Không có khiếu nại nào đang chờ.", "No grievance is open."),
    "grievances_by_month": ("Số khiếu nại theo tháng tiếp nhận", "Grievances by month lodged"),
    "grievances_closed": ("Đã kết thúc: {closed}.", "Closed: {closed}."),
    "grievances_confirmed": (
        "Trên trang tra cứu: {confirmed}.",
        "On the lookup page: {confirmed}.",
    ),
    "grievances_privacy": (
        "Trang này không hiện tên, mã hộ, thôn, bản hay nội dung khiếu nại của ai.",
        "This page never shows anyone's name, household, village or what they said.",
    ),
    "grievance_about": ("Về", "About"),
    "grievance_lodged_on": ("Ngày tiếp nhận", "Lodged on"),
    "grievance_due": ("Hạn giải quyết", "Due"),
    "grievance_state": ("Tình trạng", "State"),
    "grievance_overdue": ("Quá hạn, chưa trả lời", "Overdue, no answer"),
    "grievance_answered": ("Đã trả lời, chưa kết thúc", "Answered, not closed"),
    "grievance_waiting": ("Đang chờ trả lời", "Waiting for an answer"),
    "grievance_subject_payment": ("Chi trả", "Payment"),
    "grievance_subject_list": ("Danh sách", "List"),
    "grievance_subject_exclusion": ("Không được đưa vào danh sách", "Exclusion"),
    "grievance_subject_benefit": ("Chế độ, mức hưởng", "Benefit"),
    "grievance_subject_other": ("Việc khác", "Other"),
    "grievance_closed_resolved": ("{n} đã giải quyết", "{n} resolved"),
    "grievance_closed_unfounded": ("{n} không có cơ sở", "{n} unfounded"),
    "grievance_closed_withdrawn": ("{n} rút khiếu nại", "{n} withdrawn"),
}
