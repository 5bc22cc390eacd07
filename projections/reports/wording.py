"""What each finding of a reconciliation says, in English and in Vietnamese.

Every function returns ``(en, vi)``. The English text is the anomaly's
``detail`` (a stable field of the JSON, DESIGN.md "Reconciliation"): its
words and its ISO months and dates do not change. The Vietnamese one is its
``detail_vi``, written as Vietnamese pages write (GLOSSARY.md): months
``mm/yyyy``, dates ``dd/mm/yyyy``, money ``1.624.000 đ``.
"""

from __future__ import annotations

Said = tuple[str, str]

FOREVER = "9999-12"
STATUS_VI = {
    "poor": "hộ nghèo",
    "near_poor": "hộ cận nghèo",
    "not_poor": "hộ không nghèo",
}
STATE_VI = {"proposed": "đang đề nghị", "rejected": "bị từ chối", "ended": "đã thôi hưởng"}


def vnd(amount: int) -> str:
    """Money as Vietnamese pages write it: ``1.624.000 đ``."""
    return f"{amount:,} đ".replace(",", ".")


def month_vi(month: str) -> str:
    """``2022-04`` as ``04/2022``."""
    return f"{month[5:7]}/{month[:4]}" if len(month) == 7 else month


def date_vi(day: str | None) -> str:
    """``2022-04-10`` as ``10/04/2022``."""
    if day is None or len(day) != 10:
        return str(day)
    return f"{day[8:10]}/{day[5:7]}/{day[:4]}"


def months_vi(first: str, last: str) -> str:
    if last == FOREVER:
        return f"từ {month_vi(first)}"
    return month_vi(first) if first == last else f"{month_vi(first)} - {month_vi(last)}"


def unpaid(amount: int, month: str, on: str | None) -> Said:
    return (
        f"{vnd(amount)} due for {month}, nothing paid by {on}",
        f"Mức hưởng {vnd(amount)} của tháng {month_vi(month)} chưa được chi "
        f"(đến ngày {date_vi(on)})",
    )


def outside(month: str, start: str, end: str) -> Said:
    return (
        f"{month} is outside {start}..{end}",
        f"Chi cho tháng {month_vi(month)}, ngoài thời gian hưởng ({months_vi(start, end)})",
    )


def not_yet_due(month: str, on: str | None) -> Said:
    return (
        f"paid for {month}, which was not yet due on {on}",
        f"Chi cho tháng {month_vi(month)}, chưa đến kỳ hưởng vào ngày {date_vi(on)}",
    )


def wrong_amount(paid: int, month: str, due: int) -> Said:
    return (
        f"paid {vnd(paid)} for {month}, entitled to {vnd(due)}",
        f"Chi {vnd(paid)} cho tháng {month_vi(month)}, mức hưởng {vnd(due)}",
    )


def duplicate(month: str, first_id: str, first_index: int) -> Said:
    return (
        f"another payment for {month}; the first is {first_id}",
        f"Chi lần nữa cho tháng {month_vi(month)}; lần chi đầu ở bút toán số {first_index}",
    )


def approved_late(decision_date: str | None, paid_on: str) -> Said:
    return (
        f"benefit approved on {decision_date}, after paid_on {paid_on}",
        f"Chi ngày {date_vi(paid_on)}, trước khi chế độ được phê duyệt "
        f"(ngày {date_vi(decision_date)})",
    )


def not_approved(state: str) -> Said:
    return (
        f"benefit is {state} (not approved)",
        f"Chi khi chế độ chưa được phê duyệt ({STATE_VI.get(state, state)})",
    )


def after_death(household: bool, died: str, month: str) -> Said:
    who_en = "every household member" if household else "beneficiary"
    who_vi = "mọi nhân khẩu của hộ đã mất" if household else "đối tượng mất"
    return (
        f"{who_en} died in {died}; paid for {month}",
        f"Chi cho tháng {month_vi(month)} sau khi {who_vi} ({month_vi(died)})",
    )


def recipient_died(died_on: str, paid_on: str) -> Said:
    return (
        f"recipient died on {died_on}, before paid_on {paid_on}",
        f"Người nhận đã mất ngày {date_vi(died_on)}, trước ngày chi {date_vi(paid_on)}",
    )


def wrong_recipient(recipient: str, code: str) -> Said:
    return (
        f"paid to {recipient}, neither the beneficiary nor of their household",
        f"Người nhận ({code}) không phải đối tượng hưởng, không thuộc hộ của đối tượng "
        "và không được ủy quyền nhận thay",
    )


def not_poor(month: str, status: str | None) -> Said:
    return (
        f"a poverty program paid for {month}; the household's status: {status or 'none approved'}",
        f"Chương trình hộ nghèo chi cho tháng {month_vi(month)}; hộ khi đó là "
        f"{STATUS_VI.get(status or '', 'hộ chưa được phê duyệt tình trạng nghèo')}",
    )


def self_approved(holder: str, name: str) -> Said:
    return (
        f"{holder} approved the benefit and recorded its payment",
        f"{name} vừa phê duyệt chế độ vừa ghi chi trả",
    )


def overlap(first_id: str, lo: str, hi: str) -> Said:
    return (
        f"overlaps benefit {first_id} of the same program, {lo}..{hi}",
        f"Hưởng trùng với một chế độ khác của cùng chương trình ({months_vi(lo, hi)})",
    )


def second_gift(year: str, first_id: str) -> Said:
    return (
        f"a second Tết gift in {year}; the first is benefit {first_id}",
        f"Nhận quà Tết lần thứ hai trong năm {year}",
    )


def overdrawn(paid: int, received: int, returned: int) -> Said:
    short = paid - received + returned
    return (
        f"paid {vnd(paid)} against {vnd(received)} received and "
        f"{vnd(returned)} returned: short by {vnd(short)}",
        f"Đã chi {vnd(paid)}, kinh phí nhận {vnd(received)}, nộp trả {vnd(returned)}: "
        f"chi vượt {vnd(short)}",
    )


def same_identity(first_id: str, first_code: str) -> Said:
    return (
        f"same national id as person {first_id}",
        f"Trùng số định danh với nhân khẩu {first_code}",
    )


def same_person_decided(first_id: str, first_code: str) -> Said:
    return (
        f"decided to be the same person as person {first_id} (identity.reviewed)",
        f"Đã kết luận là cùng một người với nhân khẩu {first_code}",
    )


def unresolved_duplicate(first_id: str, first_code: str) -> Said:
    return (
        f"same name, birth year and village as person {first_id}; not yet reviewed",
        f"Trùng họ tên, năm sinh và thôn/bản với nhân khẩu {first_code}; chưa kết luận",
    )


def while_suspended(month: str, since: str, decision: str | None) -> Said:
    """A payment for a month an approved suspension stops (FORMATS 1.3)."""
    number = decision or "?"
    return (
        f"suspended from {since} (decision {number}); paid for {month}",
        f"Chi cho tháng {month_vi(month)} trong thời gian tạm dừng trợ cấp "
        f"(từ tháng {month_vi(since)}, quyết định số {number})",
    )


def after_leaving(household: bool, left: str, to: str, month: str) -> Said:
    """A payment for a month after the beneficiary left the commune (FORMATS 1.3)."""
    who_en = "the last household member present" if household else "beneficiary"
    who_vi = "nhân khẩu cuối cùng của hộ" if household else "đối tượng"
    return (
        f"{who_en} left the commune in {left} (to {to}); paid for {month}",
        f"Chi cho tháng {month_vi(month)} sau khi {who_vi} chuyển đi nơi khác "
        f"(tháng {month_vi(left)}, đến {to})",
    )


# -- paying agents (projections.reports.agents, docs/formats.md 11.3) ---------------------
def list_late(sent_on: str, month: str, deadline: str) -> Said:
    return (
        f"list for {month} sent on {sent_on}, on or after {deadline}",
        f"Danh sách chi trả tháng {month_vi(month)} gửi ngày {date_vi(sent_on)}, "
        f"không trước ngày {date_vi(deadline)}",
    )


def agent_holds(agent: str, held: int, month: str, window_end: str) -> Said:
    return (
        f"{agent} holds {held} đồng of the list for {month} past {window_end}",
        f"Tổ chức chi trả {agent} còn giữ {vnd(held)} của danh sách tháng {month_vi(month)} "
        f"quá ngày {date_vi(window_end)} (chưa chi, chưa nộp lại)",
    )


_SETTLED = {None: "not settled", "not_paid": "settled not paid", "returned": "settled returned"}
_SETTLED_VI = {None: "chưa quyết toán", "not_paid": "báo chưa chi", "returned": "báo bị trả lại"}


def not_acknowledged(agent: str, month: str, outcome: str | None) -> Said:
    return (
        f"payment by post for {month}; {agent} {_SETTLED[outcome]} this line",
        f"Đã ghi chi qua bưu điện tháng {month_vi(month)} nhưng tổ chức chi trả "
        f"{agent} {_SETTLED_VI[outcome]} dòng này",
    )


# FORMATS 1.3 grievances and confirmations (docs/formats.md 11.5) -------------------------
SUBJECT_VI = {
    "list": "danh sách",
    "payment": "chi trả",
    "exclusion": "không được đưa vào danh sách",
    "benefit": "chế độ, mức hưởng",
    "other": "việc khác",
}
CONFIRMED_VI = {"not_received": "chưa nhận được tiền", "wrong_amount": "nhận không đủ tiền"}


def grievance_overdue(subject: str, lodged_on: str, due: str, on: str) -> Said:
    return (
        f"grievance about a {subject} lodged on {lodged_on}, due {due}: no answer by {on}",
        f"Khiếu nại về {SUBJECT_VI.get(subject, subject)} tiếp nhận ngày {date_vi(lodged_on)}, "
        f"hạn giải quyết {date_vi(due)}: đến ngày {date_vi(on)} chưa được trả lời",
    )


def payment_disputed(outcome: str, month: str, paid: int, said_on: str) -> Said:
    said = "not received" if outcome == "not_received" else "not the right amount"
    return (
        f"paid {paid:,} for {month}; the beneficiary said on {said_on}: {said}; not closed",
        f"Đã chi {vnd(paid)} tháng {month_vi(month)}, nhưng ngày {date_vi(said_on)} người hưởng "
        f"báo {CONFIRMED_VI.get(outcome, outcome)} (trang tra cứu); chưa kết thúc giải quyết",
    )


def skipped_review(status: str, decision_date: str | None) -> Said:
    return (
        f"status {status} approved on {decision_date} without a review round",
        f"Phê duyệt {STATUS_VI.get(status, status)} ngày {date_vi(decision_date)} "
        "không qua rà soát, bình xét và niêm yết công khai",
    )


def upheld_recognized(objection_id: str, status: str) -> Said:
    return (
        f"recognised as {status} although objection {objection_id} was upheld",
        f"Công nhận {STATUS_VI.get(status, status)} dù khiếu nại {objection_id[:8]} "
        "được kết luận là có cơ sở",
    )
