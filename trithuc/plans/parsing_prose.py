"""Tasks proposed from a plan written as prose, for a coordinator to confirm.

Two shapes are recognised:

- a lead-in naming the lead and coordinating agencies, then the tasks as bullets and a
  deadline sentence::

      Sở Nội vụ chủ trì, phối hợp với Sở Tài chính và UBND các xã, phường thực hiện:
      - Rà soát …;
      - Xây dựng …
      Thời gian thực hiện: Quý III/2025.

- a heading per agency, then its tasks (lettered items, bullets or a paragraph)::

      1. Sở Khoa học và Công nghệ:
      a) Chủ trì, phối hợp với Sở Nội vụ xây dựng …;
      b) …

and, outside those, a paragraph or item that starts with an agency and goes on with what it
does ("3. Sở Khoa học và Công nghệ là cơ quan thường trực, phối hợp với …"). Every task is
`proposed`, with a confidence, and says so in its warnings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from trithuc.core.text import fold, nfc

from .agencies import assign_roles, fold_aligned, split_agencies, starts_agency, strip_request
from .parsing_deadline import parse_deadline
from .parsing_types import KIND_NONE, Deadline, ParsedTask, PlanParse, Section, make_refs_unique

MAX_AGENCY_WORDS = 40

# Words that begin what an agency is asked to do, compared in lower case with accents (a
# capitalised word is part of a name: "Sở Xây dựng", "Viện Nghiên cứu"). Words common inside
# agencies' names in lower case ("phát triển", "quản lý", "hỗ trợ") are left out on purpose.
ACTION_WORDS = frozenset(
    """tham mưu|chủ trì|phối hợp|chủ động|là cơ quan|xây dựng|tổ chức|triển khai|thực hiện|
    rà soát|đề xuất|hướng dẫn|nghiên cứu|kiểm tra|theo dõi|tuyên truyền|cung cấp|định kỳ|
    ban hành|hoàn thiện|đánh giá|báo cáo|tập huấn|cập nhật|vận hành|chỉ đạo|đôn đốc|tổng hợp|
    khảo sát|điều tra|thu hút|kết nối|ứng dụng|đẩy mạnh|tăng cường|nâng cao|biên soạn|
    lựa chọn|công bố|chuẩn bị|giám sát|sơ kết|tổng kết|ký kết|phổ biến|quán triệt|soạn thảo|
    sửa đổi|bổ sung|căn cứ|bố trí|lãnh đạo|có trách nhiệm|chịu trách nhiệm|tiếp tục|
    khẩn trương|được giao|quản trị|duy trì|thẩm định|phê duyệt|vận động|bồi dưỡng|đào tạo|
    tích cực|tham gia""".replace("\n", "").split("|")
)
_ACTIONS_BY_LENGTH = {
    n: frozenset(" ".join(a.split()) for a in ACTION_WORDS if len(a.split()) == n)
    for n in (1, 2, 3)
}

_MD_HEADING = re.compile(r"^\s*#{1,6}\s*")
_MARKER = re.compile(
    r"^(?:(?P<bullet>[-+•*–])|(?P<letter>[a-zđ])\s?[).]|(?P<number>\d{1,2}(?:\.\d{1,2})?)[.)]"
    r"|(?P<roman>[IVX]{1,5})[.)])\s+(?P<body>\S.*)$"
)
_STOP = re.compile(r"^(?:noi nhan|tm\.|kt\.|phu luc)\b")
_DEADLINE_SENTENCE = re.compile(
    r"^(?:(?:thoi gian|thoi han|tien do)(?:\s+(?:thuc hien|hoan thanh|trien khai|trinh))?"
    r"(?:\s*/\s*\w+)?\s*:|(?:hoan thanh|thuc hien)\s+(?:trong|truoc|tu|vao|xong|nam|quy))"
)
_LEAD_IN = re.compile(
    r"^(?:giao\s+|de nghi\s+|yeu cau\s+)?(?P<lead>.+?)\s+chu tri\b\s*,?\s*"
    r"(?:(?:va\s+)?phoi hop\s+(?:voi|cung)\s+(?P<coord>.+?))?\s*,?\s*"
    r"(?:(?:to chuc\s+)?(?:thuc hien|trien khai(?:\s+thuc hien)?)"
    r"(?:\s+(?:cac|mot so)\s+(?:nhiem vu|noi dung)(?:\s+sau(?:\s+day)?)?)?)?\s*:\s*$"
)
_INLINE_LEAD = re.compile(r"^(?:giao\s+|de nghi\s+|yeu cau\s+)?(?P<lead>.+?)\s+chu tri\b\s*,?\s*")
_COORDINATE = re.compile(r"^(?:va\s+)?phoi hop\s+(?:voi|cung)\s+")
_LEADS_ITSELF = re.compile(r"^chu tri\b\s*(?:thuc hien\b)?\s*,?\s*")
_ONLY_COORDINATES = re.compile(r"^phoi hop\b")
_INLINE_DEADLINE = re.compile(
    r"(?:[,;.]\s*|\s+[-–]\s+|\s*\(\s*|\s+)(?P<phrase>(?:thoi gian(?:\s+(?:thuc hien|hoan thanh))?"
    r"|thoi han(?:\s+hoan thanh)?|tien do(?:\s+thuc hien)?|hoan thanh|thuc hien)\s*:?\s*"
    r"(?:trong|truoc|tu|vao|xong)?\s*(?:ngay|thang|quy|nam|giai doan|\d|hang|thuong xuyen"
    r"|dinh ky)[^;()]*?)\s*\)?\s*[.;]?\s*$"
)
_TRAILING_PERIOD = re.compile(
    r"(?:[,;]\s*|\s+)(?P<phrase>(?:trong|truoc|tu)\s+(?:ngay|thang|quy|nam)\b[^;,()]*?)"
    r"\s*[.;]?\s*$"
)
_PARENTHESIS = re.compile(r"\((?P<phrase>[^()]{1,80})\)\s*[.;]?\s*$")
_LEADING_RECURRENCE = re.compile(
    r"^(?:thuong xuyen|dinh ky hang (?:nam|quy)|hang (?:nam|quy)|dinh ky)\b"
)
_NOTE = re.compile(r"^\(?\s*(?:chi tiet|xem|kem theo)\b")


@dataclass
class _Paragraph:
    text: str
    line: int
    heading: bool = False
    bold: bool = False


def _paragraphs(text: str) -> list[_Paragraph]:
    """Lines as paragraphs: Markdown marks dropped, a line broken by a page break joined to
    the paragraph it continues (it starts with a lower-case letter)."""
    result: list[_Paragraph] = []
    joined_next = False
    for number, raw in enumerate(text.splitlines(), start=1):
        heading = bool(_MD_HEADING.match(raw))
        line = _MD_HEADING.sub("", raw)
        bold = line.strip().startswith("**")
        line = nfc(line.replace("**", "").replace("__", ""))
        line = re.sub(r"^\*(.+)\*$", r"\1", line).strip()
        if not line:
            continue
        continues = (
            result
            and not heading
            and not _MARKER.match(line)
            and (joined_next or (line[:1].islower() and not result[-1].heading))
        )
        if continues:
            result[-1].text = f"{result[-1].text} {line}"
        else:
            result.append(_Paragraph(line, number, heading, bold))
        joined_next = raw.endswith("  ")  # a Markdown line break inside one paragraph
    return result


def _is_agency(text: str) -> bool:
    name, _requested = strip_request(text)
    words = name.split()
    return bool(words) and len(words) <= MAX_AGENCY_WORDS and starts_agency(name)


def split_agency_and_action(text: str) -> tuple[str, str] | None:
    """("Sở Nội vụ, các sở, ngành liên quan", "xây dựng …") from the text after "phối hợp
    với", cut where what they do begins; None when no such word is found."""
    words = list(re.finditer(r"\S+", text))
    for i in range(1, len(words)):
        for n in (3, 2, 1):
            if i + n > len(words):
                continue
            phrase = " ".join(w.group(0).strip(",;:.()") for w in words[i : i + n])
            if phrase not in _ACTIONS_BY_LENGTH[n]:
                continue
            previous = words[i - 1].group(0)
            # "các cơ quan, tổ chức liên quan": "tổ chức" after a comma or "các" is a noun.
            if phrase == "tổ chức" and (previous.endswith(",") or fold(previous) in {"cac", "va"}):
                continue
            start = words[i].start()
            return text[:start].strip(" ,;:"), text[start:].strip()
    return None


def _capitalised(text: str) -> str:
    text = text.strip(" ,;:-–")
    return text[:1].upper() + text[1:] if text else text


def extract_deadline(text: str, document_year: int | None) -> tuple[str, Deadline | None]:
    """Split a trailing deadline off a task's text: "…, hoàn thành trong Quý III/2025."."""
    folded = fold_aligned(text)
    for pattern in (_INLINE_DEADLINE, _TRAILING_PERIOD, _PARENTHESIS):
        match = pattern.search(folded)
        if not match:
            continue
        phrase = text[match.start("phrase") : match.end("phrase")].strip(" .;")
        deadline = parse_deadline(phrase, document_year=document_year)
        if deadline.kind != KIND_NONE:
            return text[: match.start()].rstrip(" ,;.-–("), deadline
    return text, None


@dataclass
class _Block:
    """A lead-in or an agency heading and the tasks that follow it."""

    lead: str
    coordinators: list[str]
    label: str = ""
    requested: bool = False
    directed_by: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    deadline: Deadline | None = None
    tasks: list[ParsedTask] = field(default_factory=list)
    intro_coordinators: list[str] = field(default_factory=list)
    intro_marker: str = ""
    item_kinds: set[str] = field(default_factory=set)


class _ProseReader:
    def __init__(self, document_year: int | None):
        self.document_year = document_year
        self.tasks: list[ParsedTask] = []
        self.sections: list[Section] = []
        self.section = ""
        self.section_title = ""
        self.major = ""
        # Tasks whose deadline was only read from their first words ("Định kỳ …"): a deadline
        # sentence of their block replaces it.
        self.inferred: set[int] = set()
        self.block: _Block | None = None

    # -- tasks --

    def task(
        self,
        text: str,
        *,
        lead: str,
        coordinators: list[str],
        label: str,
        line: int,
        block: _Block | None,
        confidence: float,
        warnings: list[str] | None = None,
    ) -> ParsedTask | None:
        body, deadline = extract_deadline(text.strip().rstrip(";."), self.document_year)
        inferred = False
        own: list[str] = []
        more: list[str] = []
        folded = fold_aligned(body)
        leads_itself = _LEADS_ITSELF.match(folded)
        if leads_itself:
            body = body[leads_itself.end() :]
            folded = fold_aligned(body)
        coordinate = _COORDINATE.match(folded)
        if coordinate:
            split = split_agency_and_action(body[coordinate.end() :])
            if split:
                own = split_agencies(split[0])
                body = split[1]
            else:
                confidence -= 0.2
                more.append(_("Không tách được cơ quan phối hợp khỏi nội dung; hãy kiểm tra."))
            if not leads_itself and block is not None:
                # "Phối hợp với Sở X đề xuất …": the agency works with X, which may lead.
                more.append(
                    _(
                        "Cơ quan “%(lead)s” được giao phối hợp với %(others)s; hãy xác định cơ "
                        "quan chủ trì."
                    )
                    % {"lead": lead, "others": ", ".join(f"“{name}”" for name in own)}
                )
                confidence -= 0.1
        elif not leads_itself and _ONLY_COORDINATES.match(folded) and block is not None:
            more.append(
                _("Cơ quan “%(lead)s” được giao phối hợp; hãy xác định cơ quan chủ trì.")
                % {"lead": lead}
            )
            confidence -= 0.1
        content = _capitalised(body)
        if not content or _NOTE.match(fold(content)):
            return None
        if deadline is None and block is not None and block.deadline is not None:
            deadline = block.deadline
        if deadline is None:
            # "Hàng năm kiểm tra, đánh giá …", "Định kỳ tổ chức …": the task says how often.
            leading = _LEADING_RECURRENCE.match(fold_aligned(content))
            if leading:
                deadline = parse_deadline(content[: leading.end()], document_year=None)
                inferred = True
        if deadline is None:
            deadline = Deadline()
            more.append(_("Không thấy thời hạn cho nhiệm vụ này; hãy nhập thời hạn."))
            confidence -= 0.15
        all_coordinators = [*(block.intro_coordinators if block else []), *coordinators]
        for name in own:
            if name not in all_coordinators and name != lead:
                all_coordinators.append(name)
        number = label if label not in {"", "-", "+", "•", "*", "–"} else ""
        if block is not None and block.label:
            position = len(block.tasks) + 1
        else:
            position = sum(1 for t in self.tasks if t.section == self.section) + 1
        parts = [self.section, block.label if block else "", number.rstrip(".)") or str(position)]
        task = ParsedTask(
            number=number,
            section=self.section,
            section_title=self.section_title,
            content=content,
            lead=lead,
            coordinators=all_coordinators,
            deadline=deadline,
            warnings=[
                _("Nhiệm vụ được đề xuất từ lời văn của kế hoạch; người điều phối cần xác nhận."),
                *(warnings or []),
                *(block.warnings if block else []),
                *deadline.warnings,
                *more,
            ],
            source_line=line,
            directed_by=list(block.directed_by) if block else [],
            requested=block.requested if block else False,
            proposed=True,
            confidence=max(0.1, min(confidence, 0.9)),
            ref=".".join(part for part in parts if part),
        )
        if not lead:
            task.warnings.append(_("Thiếu cơ quan chủ trì; hãy chọn cơ quan chủ trì."))
        self.tasks.append(task)
        if inferred:
            self.inferred.add(id(task))
        if block is not None:
            block.tasks.append(task)
        return task

    # -- paragraphs --

    def numbered(self, label: str) -> str:
        """The section of a numbered heading: "1." under "II." is "II.1"."""
        number = label.rstrip(".)")
        return f"{self.major}.{number}" if self.major else number

    def set_section(self, number: str, title: str, line: int) -> None:
        self.section = number
        self.section_title = title.strip(" :")
        self.sections.append(Section(self.section, self.section_title, line))

    def close(self) -> None:
        self.block = None

    def open_agency(self, header: str, label: str) -> None:
        roles = assign_roles(header)
        self.block = _Block(
            lead=roles.lead,
            coordinators=roles.coordinators,
            label=label.rstrip(".)") if label and label[0].isalnum() else "",
            requested=roles.requested,
            directed_by=roles.directed_by,
            warnings=roles.warnings,
        )

    def feed(self, paragraph: _Paragraph) -> bool:
        """Read one paragraph; False at the end of the plan's body (the recipients list)."""
        text = paragraph.text
        if _STOP.match(fold(text)):
            return False
        marker = _MARKER.match(text)
        label = ""
        body = text
        kind = ""
        if marker:
            body = marker.group("body")
            kind = next(k for k in ("bullet", "letter", "number", "roman") if marker.group(k))
            label = text[: marker.start("body")].strip()
        folded = fold(body)

        if kind == "roman" or (paragraph.heading and not body.rstrip().endswith(":")
                               and not _is_agency(body)):  # fmt: skip
            self.close()
            if kind == "roman":
                self.major = label.rstrip(".)")
                self.set_section(self.major, body, paragraph.line)
            elif kind == "number":
                self.set_section(self.numbered(label), body, paragraph.line)
            return True

        if _DEADLINE_SENTENCE.match(folded) and len(body.split()) <= 25:
            deadline = parse_deadline(body, document_year=self.document_year)
            if deadline.kind != KIND_NONE:
                self.apply_deadline(deadline)
                return True

        lead_in = _LEAD_IN.match(fold_aligned(body))
        if lead_in and _is_agency(body[: lead_in.end("lead")]):
            lead_text = body[lead_in.start("lead") : lead_in.end("lead")]
            self.open_agency(lead_text, label)
            if lead_in.group("coord") and self.block is not None:
                coord = body[lead_in.start("coord") : lead_in.end("coord")]
                # "… phối hợp với Sở Tài chính tham mưu UBND tỉnh các nội dung sau:"
                split = split_agency_and_action(coord)
                self.block.coordinators.extend(split_agencies(split[0] if split else coord))
            return True

        if body.rstrip().endswith(":") and _is_agency(body.rstrip()[:-1]):
            self.open_agency(body.rstrip()[:-1], label)
            return True
        if (paragraph.heading or paragraph.bold) and _is_agency(body) and len(body) < 300:
            self.open_agency(body, label)
            return True

        if kind == "number" and self.is_heading(body):
            # A numbered heading of the plan ("1. Mục đích", "2. Thu hút, trọng dụng trí thức").
            self.close()
            self.set_section(self.numbered(label), body, paragraph.line)
            return True

        inline = self.inline_task(body, label, paragraph.line)
        if inline:
            return True

        if self.block is not None and kind != "letter":
            # Inside a block, a paragraph or item naming its own agency is that agency's task:
            # "Sở Tài chính bố trí kinh phí thực hiện."
            split = split_agency_and_action(body)
            if split and _is_agency(split[0]) and fold(split[0]) != fold(self.block.lead):
                roles = assign_roles(split[0])
                if not kind:
                    self.close()
                self.task(split[1], lead=roles.lead, coordinators=roles.coordinators,
                          label=label, line=paragraph.line, block=None, confidence=0.6,
                          warnings=roles.warnings)  # fmt: skip
                return True

        if self.block is not None:
            block = self.block
            if kind:
                block.item_kinds.add(kind)
            if block.intro_marker and kind and kind == block.intro_marker:
                block.intro_coordinators = []
                block.intro_marker = ""
            if body.rstrip().endswith(":"):
                # An item introducing sub-items: its coordinators apply to them.
                intro = fold_aligned(body)
                start = _LEADS_ITSELF.match(intro)
                rest = body[start.end() :] if start else body
                coordinate = _COORDINATE.match(fold_aligned(rest))
                if coordinate:
                    split = split_agency_and_action(rest[coordinate.end() :])
                    if split:
                        block.intro_coordinators = split_agencies(split[0])
                block.intro_marker = kind
                return True
            self.task(body, lead=block.lead, coordinators=block.coordinators, label=label,
                      line=paragraph.line, block=block, confidence=0.85)  # fmt: skip
            return True

        # Outside any block: "3. Sở Khoa học và Công nghệ là cơ quan thường trực, …".
        if kind in {"number", "letter"} or _starts_with_strong_role(body):
            split = split_agency_and_action(body)
            if split and _is_agency(split[0]):
                roles = assign_roles(split[0])
                self.task(split[1], lead=roles.lead, coordinators=roles.coordinators,
                          label=label, line=paragraph.line, block=None, confidence=0.6,
                          warnings=roles.warnings)  # fmt: skip
        return True

    def is_heading(self, body: str) -> bool:
        text = body.strip()
        if self.block is not None and "number" in self.block.item_kinds:
            return False  # the block's own numbered items
        if self.block is None:
            short = len(text.split()) <= 25 and not text.endswith(":")
        else:
            short = len(text.split()) <= 20 and not text.endswith((".", ";", ":", ","))
        return short and not starts_agency(text) and _INLINE_LEAD.match(fold(text)) is None

    def inline_task(self, body: str, label: str, line: int) -> bool:
        """One task from "Sở Nội vụ chủ trì, phối hợp với … xây dựng …" (no colon)."""
        folded = fold_aligned(body)
        match = _INLINE_LEAD.match(folded)
        if match:
            lead_text = body[match.start("lead") : match.end("lead")]
            if not _is_agency(lead_text) or len(lead_text.split()) > MAX_AGENCY_WORDS:
                return False
            roles = assign_roles(lead_text)
            rest = body[match.end() :]
            self.close()
            self.task(rest, lead=roles.lead, coordinators=roles.coordinators, label=label,
                      line=line, block=None, confidence=0.8,
                      warnings=roles.warnings)  # fmt: skip
            return True
        # "Đảng ủy …, Đảng ủy …: chỉ đạo xây dựng …" — agencies, a colon, then the task.
        head, colon, rest = body.partition(":")
        agency_only = _is_agency(head) and len(head.split()) <= 25
        if colon and rest.strip() and agency_only and split_agency_and_action(head) is None:
            roles = assign_roles(head)
            self.close()
            self.task(rest, lead=roles.lead, coordinators=roles.coordinators, label=label,
                      line=line, block=None, confidence=0.7, warnings=roles.warnings)  # fmt: skip
            return True
        return False

    def apply_deadline(self, deadline: Deadline) -> None:
        """A deadline sentence: it applies to the tasks of the block that have none."""
        targets = self.block.tasks if self.block is not None else self.tasks[-1:]
        if self.block is not None:
            self.block.deadline = deadline
        missing = _("Không thấy thời hạn cho nhiệm vụ này; hãy nhập thời hạn.")
        for task in targets:
            if task.deadline.kind == KIND_NONE or id(task) in self.inferred:
                task.deadline = deadline
                if missing in task.warnings:
                    task.warnings.remove(missing)
                    task.confidence = min(0.9, task.confidence + 0.15)
                task.warnings.extend(deadline.warnings)


def _starts_with_strong_role(text: str) -> bool:
    folded = fold(text)
    return bool(
        re.search(r"\b(?:la co quan (?:thuong truc|chu tri|dau moi)|co trach nhiem|chiu trach"
                  r" nhiem)\b", folded[:300])
    )  # fmt: skip


def parse_prose(text: str, *, document_year: int | None = None, filename: str = "") -> PlanParse:
    """Propose tasks from a plan written as prose; every task is `proposed`."""
    reader = _ProseReader(document_year)
    for paragraph in _paragraphs(text):
        if not reader.feed(paragraph):
            break
    warnings = []
    if reader.tasks:
        warnings.append(
            _(
                "Văn bản không có bảng phụ lục nhiệm vụ: %(n)s nhiệm vụ dưới đây được đề xuất từ "
                "lời văn và cần người điều phối xác nhận trước khi ghi."
            )
            % {"n": len(reader.tasks)}
        )
    make_refs_unique(reader.tasks)
    used = {task.section for task in reader.tasks}
    sections = [s for s in reader.sections if s.number in used]
    return PlanParse(tasks=reader.tasks, sections=sections, warnings=warnings,
                     source_kind="prose", document_year=document_year,
                     filename=filename)  # fmt: skip
