"""Agency names in plans: splitting a cell into agencies, and matching them to organisations.

A plan names its agencies the way people write them: "Sở KH&CN", "UBND các quận, huyện, thị
xã", "Ban Tuyên giáo Thành ủy chỉ đạo, Sở Thông tin và Truyền thông chủ trì". This module

- splits a cell into agencies without cutting group phrases ("Các Sở, ngành, đơn vị liên
  quan" is one) or names with a comma inside ("Sở Lao động, Thương binh và Xã hội"):
  :func:`split_agencies`;
- reads the roles written next to the names (chủ trì, chỉ đạo, phối hợp):
  :func:`assign_roles`;
- recognises group phrases ("các sở, ban, ngành" → all departments): :func:`group_kinds`;
- matches a name to an organisation, accent-insensitively, with abbreviations expanded and
  the locality suffix tolerated, or proposes candidates for a person to choose from:
  :class:`AgencyMatcher`.

Pure Python: the matcher is built from plain tuples or Organization rows, so the parser and
a dry run never need to write anything. The abbreviation and successor tables are data;
correct them here, not in the logic.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cache
from typing import Any

from django.utils.translation import gettext as _

from trithuc.core.text import canonical_tones, fold, nfc

# ---- data -----------------------------------------------------------------------------------

# Abbreviations and their expansions, compared folded (no accents, lower case). A variant is
# expanded only where the text writes it in capitals ("KH&CN", "TU"), except the few that are
# never an ordinary word (listed in ANY_CASE), so "tư pháp" is not read as "Thành ủy pháp".
ABBREVIATIONS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("ubnd",), "uy ban nhan dan"),
    (("hdnd",), "hoi dong nhan dan"),
    (("ubmttq",), "uy ban mat tran to quoc"),
    (("mttq",), "mat tran to quoc"),
    (("tp", "t.p", "tp."), "thanh pho"),
    (("kh&cn", "khcn", "kh-cn"), "khoa hoc va cong nghe"),
    (("tt&tt", "tttt", "tt-tt"), "thong tin va truyen thong"),
    (("kh&dt", "khdt", "kh-dt"), "ke hoach va dau tu"),
    (("gd&dt", "gddt", "gd-dt"), "giao duc va dao tao"),
    (("ldtb&xh", "ld-tb&xh", "ldtbxh", "ld-tbxh", "ld,tb&xh"), "lao dong thuong binh va xa hoi"),
    (("vh&tt", "vhtt", "vh-tt"), "van hoa va the thao"),
    (("vh,tt&dl", "vhtt&dl", "vhttdl"), "van hoa the thao va du lich"),
    (("tn&mt", "tnmt", "tn-mt"), "tai nguyen va moi truong"),
    (("nn&ptnt", "nnptnt", "nn-ptnt"), "nong nghiep va phat trien nong thon"),
    (("nn&mt", "nnmt"), "nong nghiep va moi truong"),
    (("gtvt",), "giao thong van tai"),
    (("lhhkh&kt", "lhhkhkt", "lhh"), "lien hiep cac hoi khoa hoc va ky thuat"),
    (("kh&kt", "khkt"), "khoa hoc va ky thuat"),
    (("lhvhnt",), "lien hiep van hoc nghe thuat"),
    (("vhnt",), "van hoc nghe thuat"),
    (("lh",), "lien hiep"),
    (("dhqg",), "dai hoc quoc gia"),
    (("btg",), "ban tuyen giao"),
    (("tu",), "thanh uy"),
    (("vp",), "van phong"),
    (("bql",), "ban quan ly"),
    (("kcnc",), "khu cong nghe cao"),
    (("kcn",), "khu cong nghiep"),
    (("nhnn",), "ngan hang nha nuoc"),
    (("ldld",), "lien doan lao dong"),
    (("bchqs",), "bo chi huy quan su"),
    (("bch",), "bo chi huy"),
    (("bhxh",), "bao hiem xa hoi"),
    (("ct-xh", "ctxh"), "chinh tri xa hoi"),
    (("kt-xh", "ktxh"), "kinh te xa hoi"),
    (("cntt",), "cong nghe thong tin"),
    (("dbqh",), "dai bieu quoc hoi"),
    (("bcs",), "ban can su"),
)
ANY_CASE = frozenset({"ubnd", "hdnd", "ubmttq", "mttq", "tp", "tp.", "kh&cn", "tt&tt", "kh&dt"})

# Agencies merged away in the 2025 reorganisation, and the one that took over their work
# (unverified for every province: most followed the ministries' mergers of 1/3/2025). A name
# matched this way is proposed, never taken silently.
SUCCESSORS: tuple[tuple[str, str], ...] = (
    ("Sở Thông tin và Truyền thông", "Sở Khoa học và Công nghệ"),
    ("Sở Kế hoạch và Đầu tư", "Sở Tài chính"),
    ("Sở Tài nguyên và Môi trường", "Sở Nông nghiệp và Môi trường"),
    ("Sở Nông nghiệp và Phát triển nông thôn", "Sở Nông nghiệp và Môi trường"),
    ("Sở Lao động - Thương binh và Xã hội", "Sở Nội vụ"),
    ("Sở Giao thông vận tải", "Sở Xây dựng"),
    ("Ban Dân tộc", "Sở Dân tộc và Tôn giáo"),
    ("Ban Tuyên giáo Thành ủy", "Ban Tuyên giáo và Dân vận Thành ủy"),
    ("Ban Dân vận Thành ủy", "Ban Tuyên giáo và Dân vận Thành ủy"),
    ("Ban Tuyên giáo Tỉnh ủy", "Ban Tuyên giáo và Dân vận Tỉnh ủy"),
    ("Ban Dân vận Tỉnh ủy", "Ban Tuyên giáo và Dân vận Tỉnh ủy"),
)

# Words that begin an agency's name (compared with canonical tones, lower case; one, two or
# three words). A comma fragment or a "và" that starts with one of these starts a new agency.
AGENCY_HEADS = frozenset(
    {
        "sở", "ban", "bộ", "ủy ban", "hội đồng", "viện", "trường", "học viện", "đại học",
        "hội", "liên hiệp", "liên đoàn", "đoàn", "thành đoàn", "tỉnh đoàn", "công an",
        "bộ chỉ huy", "cảnh sát", "cục", "chi cục", "tổng cục", "văn phòng", "thanh tra",
        "kho bạc", "ngân hàng", "đài", "báo", "tạp chí", "bảo hiểm", "trung tâm", "mặt trận",
        "đảng ủy", "đảng đoàn", "ban cán sự", "thành ủy", "tỉnh ủy", "quận ủy", "huyện ủy",
        "thường trực", "quỹ", "tổng công ty", "công ty", "bệnh viện", "tòa án",
        "viện kiểm sát", "cơ quan", "phòng", "hiệp hội", "câu lạc bộ", "nhà xuất bản",
        "thư viện", "bảo tàng", "khu", "chi nhánh", "doanh nghiệp", "cấp ủy", "ủy ban nhân dân",
    }
)  # fmt: skip
GROUP_STARTERS = frozenset({"các", "những", "tất cả", "toàn thể", "mọi"})

# Words of group phrases: a fragment made only of these ("ngành", "đơn vị liên quan",
# "huyện", "thị xã") continues the group before it instead of naming an agency.
GENERIC_WORDS = frozenset(
    [
        "ban", "sở", "ngành", "đơn", "vị", "địa", "phương", "liên", "quan", "có", "quận", "huyện",
        "thị", "xã", "phường", "trấn", "đặc", "khu", "cơ", "tổ", "chức", "đoàn", "thể", "hội",
        "doanh", "nghiệp", "trực", "thuộc", "thành", "phố", "tỉnh", "trên", "bàn", "khác", "các",
        "và", "cấp", "chính", "trị", "-", "cùng", "chuyên", "môn", "hữu",
    ]
)  # fmt: skip

# Roles written next to a name, as folded phrases.
ROLE_LEAD = "lead"
ROLE_DIRECTS = "directs"
ROLE_COORDINATES = "coordinates"
_ROLE_WORDS = (
    ("chu tri thuc hien", ROLE_LEAD),
    ("chu tri", ROLE_LEAD),
    ("dau moi", ROLE_LEAD),
    ("thuong truc", ROLE_LEAD),
    ("chi dao", ROLE_DIRECTS),
    ("lanh dao", ROLE_DIRECTS),
    ("phoi hop thuc hien", ROLE_COORDINATES),
    ("phoi hop", ROLE_COORDINATES),
    ("thuc hien", ""),
    ("tham muu", ""),
)

GROUP_DEPARTMENTS = "all_departments"
GROUP_LOCALITIES = "all_localities"
GROUP_RELATED = "all_related"

MATCHED = "matched"
GROUP = "group"
UNMATCHED = "unmatched"

# A match below this score is shown for review even when it is the only candidate.
REVIEW_BELOW = 0.9
FUZZY_ACCEPT = 0.92
FUZZY_MARGIN = 0.05
CANDIDATE_FLOOR = 0.5
MAX_CANDIDATES = 3


# ---- words ----------------------------------------------------------------------------------


def _word_key(word: str) -> str:
    """A word compared with its accents but old/new tone placement alike ("ủy" = "uỷ")."""
    return canonical_tones(word).lower()


def _is_ascii(text: str) -> bool:
    return all(ord(ch) < 128 for ch in text)


@cache
def _heads_by_length() -> dict[int, tuple[frozenset[str], frozenset[str]]]:
    """Heads keyed by word count: (accented keys, folded keys)."""
    result: dict[int, tuple[set[str], set[str]]] = {}
    for head in AGENCY_HEADS | GROUP_STARTERS:
        words = head.split()
        accented, folded = result.setdefault(len(words), (set(), set()))
        accented.add(" ".join(_word_key(w) for w in words))
        folded.add(fold(head))
    return {n: (frozenset(a), frozenset(f)) for n, (a, f) in result.items()}


def _is_abbreviation(word: str) -> bool:
    """Whether a word is an abbreviation: "UBND", "HĐND", "KH&CN", "SKHCN".

    Capitals (and & or -), two letters or more.

    A word in capitals with vowel marks ("CHƯƠNG", "HÀNH") is a title in capitals, and a
    long one without "&" is a word too.
    """
    letters = [ch for ch in word if ch.isalpha()]
    if len(letters) < 2 or not all(ch.isupper() for ch in letters):
        return False
    if any(fold(ch) != ch.lower() for ch in letters if ch not in "Đđ"):
        return False
    return "&" in word or len(letters) <= 8


def _head_length(words: list[str]) -> int:
    """How many of the first words form an agency head or group starter (0 when none)."""
    ascii_only = _is_ascii(" ".join(words[:3]))
    heads = _heads_by_length()
    for n in (3, 2, 1):
        if len(words) < n or n not in heads:
            continue
        accented, folded = heads[n]
        phrase = " ".join(words[:n])
        if " ".join(_word_key(w) for w in words[:n]) in accented:
            return n
        if ascii_only and fold(phrase) in folded:
            return n
    return 0


def _clean_word(word: str) -> str:
    return word.strip("()[]\"'“”‘’.,;:*")


def starts_agency(text: str) -> bool:
    """Whether `text` begins like an agency name or a group ("Sở …", "UBND …", "các …")."""
    words = [_clean_word(w) for w in nfc(text).split()]
    words = [w for w in words if w]
    if not words:
        return False
    if _is_abbreviation(words[0]):
        return True
    n = _head_length(words)
    if not n:
        return False
    if " ".join(_word_key(w) for w in words[:n]) in {_word_key(s) for s in GROUP_STARTERS}:
        return True
    rest = words[n:]
    if not all(_word_key(w) in GENERIC_WORDS for w in words[:n]):
        return True  # "Bảo hiểm xã hội tỉnh", "Công an tỉnh"
    # A bare head or a head with group words only ("Ban", "Sở, ngành") continues a group.
    return bool(rest) and not all(_word_key(w) in GENERIC_WORDS for w in rest)


def _is_group_start(text: str) -> bool:
    words = [_clean_word(w) for w in nfc(text).split()]
    words = [w for w in words if w]
    if not words:
        return False
    starters = {_word_key(s) for s in GROUP_STARTERS}
    return any(
        " ".join(_word_key(w) for w in words[:n]) in starters for n in (1, 2) if len(words) >= n
    )


# ---- splitting a cell -------------------------------------------------------------------------

_ITEM_SEPARATORS = re.compile(r"\s*(?:[;\n\r]|,(?!\d))\s*")
_BULLET = re.compile(r"^\s*(?:[-+•*–]|\d+[.)]|[a-zđ]\))\s+")
_REQUEST = re.compile(r"^(?:kinh\s+)?de\s+nghi\s+", re.IGNORECASE)
_AND = re.compile(r"\s+(?:và|va)\s+", re.IGNORECASE)


def fold_aligned(text: str) -> str:
    """`fold` character by character, so that indexes in the result are indexes in `text`."""
    out = []
    for ch in text:
        folded = fold(ch)
        out.append(folded[:1] if folded else (" " if ch.isspace() else ch))
    return "".join(out)


def strip_request(text: str) -> tuple[str, bool]:
    """Drop a leading "Đề nghị" ("we ask", to a body outside the committee's authority)."""
    text = nfc(text)
    match = _REQUEST.match(fold_aligned(text))
    if match:
        return text[match.end() :].strip(), True
    return text, False


def split_agencies(text: str) -> list[str]:
    """Split a cell into agencies: "Sở Tài chính, Sở Khoa học và Công nghệ" gives two.

    Group phrases stay whole ("Các Sở, ngành, đơn vị liên quan", "UBND các quận, huyện, thị
    xã"), a comma inside a name is kept ("Sở Lao động, Thương binh và Xã hội"), and "và"
    splits only where an agency follows it ("Sở Nội vụ và UBND các xã, phường").
    """
    items: list[str] = []
    for raw in _ITEM_SEPARATORS.split(text or ""):
        fragment = nfc(_BULLET.sub("", raw)).strip(" .:-–")
        if not fragment:
            continue
        if items and fold(fragment).startswith("va "):
            fragment = fragment[3:].strip()
            items.append(fragment)
            continue
        if items and not starts_agency(fragment):
            items[-1] = f"{items[-1]}, {fragment}"
        else:
            items.append(fragment)
    result: list[str] = []
    for item in items:
        result.extend(_split_on_and(item))
    return [item for item in result if item]


def _split_on_and(item: str) -> list[str]:
    """Split "A và B" where B starts an agency and A is one: not "Sở Khoa học và Công nghệ"."""
    if not starts_agency(item):
        return [item]
    parts: list[str] = []
    start = 0
    for match in _AND.finditer(item):
        right = item[match.end() :]
        left = item[start : match.start()]
        if starts_agency(right) and starts_agency(left):
            parts.append(left.strip())
            start = match.end()
    parts.append(item[start:].strip())
    return parts


def _role_of(item: str) -> tuple[str, str]:
    """("Sở Nội vụ", "lead") from "Sở Nội vụ chủ trì" / "Sở Nội vụ (chủ trì)" / "Chủ trì: …"."""
    text = nfc(item)
    folded = fold_aligned(text)
    for words, role in _ROLE_WORDS:
        trailing = re.search(rf"\s*[(\[–-]?\s*\b{words}\b\s*[)\]]?\s*$", folded)
        if trailing and trailing.start() > 0:
            return text[: trailing.start()].strip(" ,;:-–"), role
        leading = re.match(rf"^\s*[(\[]?{words}\s*[)\]]?\s*:\s*", folded)
        if leading:
            return text[leading.end() :].strip(" ,;:-–"), role
    return text, ""


_ROLE_LABEL = re.compile(
    r"(?:^|(?<=[\n;.,])|(?<=\s))\s*[-+•]?\s*(chu tri|phoi hop|chi dao)(?:\s+thuc hien)?\s*:\s*"
)
_LABEL_ROLES = {"chu tri": ROLE_LEAD, "phoi hop": ROLE_COORDINATES, "chi dao": ROLE_DIRECTS}


def _labelled_segments(text: str) -> list[tuple[str, str]]:
    """A cell written "Chủ trì: Sở Nội vụ; Phối hợp: Sở Tài chính, …" as (text, role) parts;
    a cell without such labels is one part with no role."""
    folded = fold_aligned(text)
    labels = list(_ROLE_LABEL.finditer(folded))
    if not labels:
        return [(text, "")]
    parts = [(text[: labels[0].start()], "")] if text[: labels[0].start()].strip() else []
    for label, following in zip(labels, [*labels[1:], None], strict=True):
        end = following.start() if following is not None else len(text)
        parts.append((text[label.end() : end], _LABEL_ROLES[label.group(1)]))
    return parts


@dataclass
class AgencyRoles:
    """Who leads, who coordinates and who directs, read from the agency cells of one task."""

    lead: str = ""
    coordinators: list[str] = field(default_factory=list)
    directed_by: list[str] = field(default_factory=list)
    requested: bool = False
    warnings: list[str] = field(default_factory=list)


def assign_roles(lead_cell: str, coordinator_cell: str = "") -> AgencyRoles:
    """Read the lead and coordinator cells of a task.

    In "Ban Tuyên giáo Thành ủy chỉ đạo, Sở Thông tin và Truyền thông chủ trì" the lead is the
    one that "chủ trì"; the directing body is kept in `directed_by`. When a lead cell names
    several agencies without saying which leads, the first leads and the others are moved to
    the coordinators, with a warning.
    """
    roles = AgencyRoles()
    lead_text, roles.requested = strip_request(lead_cell)
    named: list[tuple[str, str]] = []
    for segment, label in _labelled_segments(lead_text):
        for item in split_agencies(segment):
            name, role = _role_of(item)
            name, requested = strip_request(name)
            roles.requested = roles.requested or requested
            if name:
                named.append((name, label or role))
    leads = [name for name, role in named if role == ROLE_LEAD]
    roles.directed_by = [name for name, role in named if role == ROLE_DIRECTS]
    marked = [name for name, role in named if role == ROLE_COORDINATES]
    unmarked = [name for name, role in named if role == ""]
    if not leads and len(unmarked) > 1 and all(group_kinds(name) for name in unmarked):
        # "Các sở, ban, ngành, UBND các quận, huyện, thị xã": together, one (wider) group.
        whole, _role = _role_of(lead_text)
        roles.lead = whole.strip(" ,;.") or ", ".join(unmarked)
        moved = []
    elif leads:
        roles.lead = leads[0]
        moved = [*leads[1:], *unmarked]
    else:
        pool = unmarked or marked
        roles.lead = pool[0] if pool else ""
        moved = pool[1:]
        marked = [] if pool is marked else marked
    if not roles.lead and roles.directed_by:
        roles.warnings.append(
            _("Chỉ có cơ quan chỉ đạo (%(who)s), không có cơ quan chủ trì.")
            % {"who": ", ".join(roles.directed_by)}
        )
    if moved:
        roles.warnings.append(
            _(
                "Ô cơ quan chủ trì có nhiều cơ quan; “%(lead)s” được lấy làm cơ quan chủ trì, "
                "%(others)s được xếp vào cơ quan phối hợp. Hãy kiểm tra lại."
            )
            % {"lead": roles.lead, "others": ", ".join(f"“{name}”" for name in moved)}
        )
    for name in [*moved, *marked]:
        if name not in roles.coordinators and name != roles.lead:
            roles.coordinators.append(name)
    for item in split_agencies(coordinator_cell):
        name, _role = _role_of(item)
        name, _requested = strip_request(name)
        if name and name not in roles.coordinators and name != roles.lead:
            roles.coordinators.append(name)
    return roles


# ---- groups -----------------------------------------------------------------------------------

_GROUP_NOISE = re.compile(
    r"\b(?:chinh tri\s*-?\s*xa hoi|xa hoi|co quan chuyen mon|lien quan|co quan|co so)\b"
)


def group_kinds(text: str) -> tuple[str, ...]:
    """The groups a phrase stands for, or () when it names one agency.

    "Các Sở, ngành" → all departments; "UBND các quận, huyện, thị xã", "các xã, phường",
    "các địa phương" → all localities; "các đơn vị liên quan" → all related; a phrase can
    stand for several ("Các Sở, ngành, địa phương" → departments and localities).
    """
    name, _requested = strip_request(text)
    words = [_clean_word(w) for w in name.split()]
    words = [w for w in words if w]
    if not words:
        return ()
    folded = " ".join(re.sub(r"[^0-9a-z&\- ]+", " ", fold(name)).split())
    plural = (
        _is_group_start(name)
        or re.match(r"^(?:ubnd|uy ban nhan dan|thu truong)\s+(?:cac|cap|nhung)\b", folded)
        or all(_word_key(w) in GENERIC_WORDS for w in words)
        or re.match(r"^(?:so|ban)\s*,?\s*(?:ban\s*,?\s*)?nganh\b", folded)
    )
    if not plural:
        return ()
    kinds: list[str] = []
    if re.search(r"\b(?:so|nganh|co quan chuyen mon)\b", re.sub(r"\bco so\b", " ", folded)):
        kinds.append(GROUP_DEPARTMENTS)
    if re.search(r"\b(?:quan|huyen|thi xa|xa|phuong|thi tran|dia phuong|dac khu)\b",
                 _GROUP_NOISE.sub(" ", folded)):  # fmt: skip
        kinds.append(GROUP_LOCALITIES)
    related = re.sub(r"\bco quan chuyen mon\b", " ", folded)
    if re.search(r"\b(?:lien quan|don vi|co quan|to chuc|doan the|hoi|doanh nghiep)\b", related):
        kinds.append(GROUP_RELATED)
    return tuple(kinds) or (GROUP_RELATED,)


# ---- matching ---------------------------------------------------------------------------------

_TOKEN = re.compile(r"[^\s,;:()\[\]/\"“”]+")


@cache
def _abbreviation_table() -> dict[str, str]:
    return {variant: expansion for variants, expansion in ABBREVIATIONS for variant in variants}


@cache
def _locality_suffixes() -> tuple[str, ...]:
    """Folded place names that may end an agency's name ("… Hà Nội", "… tỉnh Lào Cai")."""
    from trithuc.organizations.data import legacy_provinces

    names: set[str] = {"ho chi minh", "hue", "ha noi"}
    for province in legacy_provinces():
        plain = re.sub(r"^(?:thanh pho|tinh)\s+", "", fold(province.old_name))
        names.add(plain)
        names.update(fold(alias) for alias in province.aliases if len(alias) > 3)
    return tuple(sorted(names, key=len, reverse=True))


def agency_key(text: str) -> str:
    """The key names are compared on: folded, abbreviations expanded, punctuation dropped.

    "Sở KH&CN" and "Sở Khoa học và Công nghệ" give "so khoa hoc va cong nghe"; roles written
    after the name and a leading "Đề nghị" are dropped first.
    """
    name, _role = _role_of(text)
    name, _requested = strip_request(name)
    name = re.sub(r"\s*&\s*", "&", nfc(name))
    table = _abbreviation_table()
    words: list[str] = []
    for token in _TOKEN.findall(name):
        folded = fold(token).strip(".-")
        expansion = table.get(folded) or table.get(fold(token))
        if expansion and (_is_abbreviation(token) or folded in ANY_CASE):
            words.append(expansion)
        else:
            words.append(folded)
    joined = " ".join(words).replace("&", " va ")
    return " ".join(re.sub(r"[^0-9a-z]+", " ", joined).split())


def strip_locality(key: str) -> str:
    """Drop a trailing "thành phố", "tỉnh" and/or place name from an agency key."""
    current = key
    for _round in range(2):
        for place in _locality_suffixes():
            if current.endswith(" " + place):
                current = current[: -len(place) - 1]
                break
        current = re.sub(r"\s+(?:thanh pho|tinh|tp)$", "", current)
    return current or key


@dataclass(frozen=True)
class OrgRef:
    """What the matcher needs of an organisation."""

    id: int
    code: str
    name: str
    short_name: str = ""


@dataclass(frozen=True)
class Candidate:
    organization_id: int
    code: str
    name: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.organization_id, "code": self.code, "name": self.name,
                "score": round(self.score, 3)}  # fmt: skip


@dataclass(frozen=True)
class AgencyMatch:
    """The outcome of matching one name: an organisation, a group, or candidates to review."""

    text: str
    status: str  # MATCHED, GROUP or UNMATCHED
    organization_id: int | None = None
    code: str = ""
    name: str = ""
    score: float = 0.0
    how: str = ""  # exact, accent, abbreviation, code, locality, successor, fuzzy, group
    groups: tuple[str, ...] = ()
    candidates: tuple[Candidate, ...] = ()
    note: str = ""

    @property
    def needs_review(self) -> bool:
        return self.status == UNMATCHED or (self.status == MATCHED and self.score < REVIEW_BELOW)

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "status": self.status,
            "organization_id": self.organization_id,
            "code": self.code,
            "name": self.name,
            "score": round(self.score, 3),
            "how": self.how,
            "groups": list(self.groups),
            "candidates": [c.to_dict() for c in self.candidates],
            "needs_review": self.needs_review,
            "note": self.note,
        }


def _org_ref(item: Any) -> OrgRef:
    if isinstance(item, OrgRef):
        return item
    if isinstance(item, tuple | list):
        values = list(item) + [""] * (4 - len(item))
        return OrgRef(int(values[0]), str(values[1] or ""), str(values[2] or ""),
                      str(values[3] or ""))  # fmt: skip
    return OrgRef(item.pk, item.code or "", item.name or "", getattr(item, "short_name", "") or "")


class AgencyMatcher:
    """Matches agency names to a set of organisations.

    Built from `(id, code, name, short_name)` tuples or Organization rows. `match(text)`
    tries, in order: a group phrase; the same name (accents and tone placement aside,
    abbreviations expanded) or short name or code; the same without the locality ("Hà Nội",
    "Thành phố"); the successor of a merged agency; a close spelling. Anything else is
    unmatched with up to three candidates for the review step.
    """

    def __init__(self, organizations: Iterable[Any]):
        self.organizations: dict[int, OrgRef] = {}
        self._full: dict[str, set[int]] = {}
        self._stripped: dict[str, set[int]] = {}
        self._tokens: dict[str, set[int]] = {}
        self._keys: dict[int, tuple[str, str]] = {}
        for item in organizations:
            org = _org_ref(item)
            self.organizations[org.id] = org
            name_key = agency_key(org.name)
            stripped = strip_locality(name_key)
            self._keys[org.id] = (name_key, stripped)
            for key in {name_key, agency_key(org.short_name), fold(org.code)} - {""}:
                self._full.setdefault(key, set()).add(org.id)
            for key in {stripped, strip_locality(agency_key(org.short_name))} - {""}:
                self._stripped.setdefault(key, set()).add(org.id)
            for token in set(stripped.split()):
                self._tokens.setdefault(token, set()).add(org.id)
        self._successors = {
            strip_locality(agency_key(old)): strip_locality(agency_key(new))
            for old, new in SUCCESSORS
        }
        self._cache: dict[str, AgencyMatch] = {}

    @classmethod
    def from_database(cls) -> AgencyMatcher:
        """Every active organisation (reads only)."""
        from trithuc.organizations.models import Organization

        rows = Organization.objects.filter(is_active=True).values_list(
            "id", "code", "name", "short_name"
        )
        return cls(rows)

    def __len__(self) -> int:
        return len(self.organizations)

    def match(self, text: str) -> AgencyMatch:
        text = nfc(text)
        if text not in self._cache:
            self._cache[text] = self._match(text)
        return self._cache[text]

    def decide(self, text: str, org_id: int) -> None:
        """A person's choice at the review step: `text` is that organisation from now on."""
        if org_id in self.organizations:
            self._cache[nfc(text)] = self._matched(nfc(text), org_id, 1.0, "chosen")

    def _matched(
        self, text: str, org_id: int, score: float, how: str, note: str = ""
    ) -> AgencyMatch:
        org = self.organizations[org_id]
        return AgencyMatch(text, MATCHED, org.id, org.code, org.name, score, how, note=note)

    def _ambiguous(self, text: str, ids: set[int]) -> AgencyMatch:
        candidates = tuple(
            Candidate(i, self.organizations[i].code, self.organizations[i].name, 0.9)
            for i in sorted(ids)
        )[:MAX_CANDIDATES]
        return AgencyMatch(
            text, UNMATCHED, candidates=candidates, how="ambiguous",
            note=_("Có nhiều tổ chức trùng tên; hãy chọn một."),
        )  # fmt: skip

    def _match(self, text: str) -> AgencyMatch:
        if not text:
            return AgencyMatch(text, UNMATCHED)
        kinds = group_kinds(text)
        if kinds:
            return AgencyMatch(text, GROUP, score=1.0, how="group", groups=kinds)
        key = agency_key(text)
        ids = self._full.get(key, set())
        if len(ids) == 1:
            org_id = next(iter(ids))
            org = self.organizations[org_id]
            name, _role = _role_of(text)
            name, _requested = strip_request(name)
            if _word_key(name) == _word_key(org.name):
                return self._matched(text, org_id, 1.0, "exact")
            if fold(name) == fold(org.name):
                return self._matched(text, org_id, 0.97, "accent")
            if fold(name) in {fold(org.code), fold(org.short_name)}:
                return self._matched(text, org_id, 0.95, "code")
            return self._matched(text, org_id, 0.95, "abbreviation")
        if len(ids) > 1:
            return self._ambiguous(text, ids)
        stripped = strip_locality(key)
        ids = self._stripped.get(stripped, set())
        if len(ids) == 1:
            return self._matched(text, next(iter(ids)), 0.9, "locality")
        if len(ids) > 1:
            return self._ambiguous(text, ids)
        successor = self._successors.get(stripped)
        if successor:
            ids = self._stripped.get(successor, set())
            if len(ids) == 1:
                org = self.organizations[next(iter(ids))]
                note = _(
                    "“%(old)s” đã được hợp nhất; đề xuất giao cho “%(new)s”. Hãy xác nhận."
                ) % {"old": text, "new": org.name}
                return self._matched(text, org.id, 0.8, "successor", note)
        candidates = self._candidates(key, stripped)
        if candidates:
            best = candidates[0]
            second = candidates[1].score if len(candidates) > 1 else 0.0
            if best.score >= FUZZY_ACCEPT and best.score - second >= FUZZY_MARGIN:
                return self._matched(text, best.organization_id, best.score, "fuzzy")
        return AgencyMatch(
            text, UNMATCHED, candidates=tuple(candidates),
            note=_("Không tìm thấy tổ chức “%(name)s”; hãy chọn trong danh sách hoặc tạo mới.")
            % {"name": text},
        )  # fmt: skip

    def _candidates(self, key: str, stripped: str) -> list[Candidate]:
        if not self.organizations:
            return []
        common = max(5, len(self.organizations) // 5)
        pool: set[int] = set()
        for token in set(stripped.split()):
            ids = self._tokens.get(token, set())
            if len(ids) <= common:
                pool |= ids
        scored = []
        for org_id in pool:
            full, short = self._keys[org_id]
            score = max(
                SequenceMatcher(None, key, full).ratio(),
                SequenceMatcher(None, stripped, short).ratio(),
            )
            if score >= CANDIDATE_FLOOR:
                org = self.organizations[org_id]
                scored.append(Candidate(org_id, org.code, org.name, score))
        scored.sort(key=lambda c: (-c.score, c.name))
        return scored[:MAX_CANDIDATES]
