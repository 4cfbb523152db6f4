"""Translation catalogues: complete, compiled, and covering every string in our code.

Two catalogues are checked:

* trithuc/locale/en — our own strings. Vietnamese is the source language, so the msgids are
  Vietnamese and this catalogue translates them into English.
* trithuc/locale_thirdparty/vi — Vietnamese for the English strings of django-allauth,
  django-axes, Django REST framework and django-filter that our users see.

When test_every_source_string_is_in_the_english_catalogue fails, refresh the catalogue:

    .venv/bin/python manage.py makemessages -l en --ignore=.venv --ignore=node_modules \
        --ignore=tests --ignore=bench --ignore=scripts
    # translate the new entries in trithuc/locale/en/LC_MESSAGES/django.po (no "fuzzy" left)
    .venv/bin/python manage.py compilemessages --ignore=.venv --ignore=node_modules
"""

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

ROOT = Path(settings.BASE_DIR)
APP_DIR = ROOT / "trithuc"
OWN_PO = APP_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"
THIRD_PARTY_PO = APP_DIR / "locale_thirdparty" / "vi" / "LC_MESSAGES" / "django.po"
CATALOGUES = [pytest.param(OWN_PO, id="own-en"), pytest.param(THIRD_PARTY_PO, id="thirdparty-vi")]
REFRESH_HINT = (
    "Refresh with: .venv/bin/python manage.py makemessages -l en --ignore=.venv "
    "--ignore=node_modules --ignore=tests --ignore=bench --ignore=scripts, translate the new "
    "entries, then .venv/bin/python manage.py compilemessages --ignore=.venv --ignore=node_modules"
)


# ---- a minimal PO reader (standard library only) ------------------------------------------
@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # index 0 holds a singular msgstr
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)


_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$')


def read_po(path: Path) -> list[Entry]:
    """Entries of a PO file, header and obsolete (#~) entries left out."""
    entries: list[Entry] = []
    current: Entry | None = None
    flags: set[str] = set()
    target: tuple[str, int] | None = None

    def finish() -> None:
        nonlocal current
        if current is not None and current.msgid:
            entries.append(current)
        current = None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#"):
            if target is not None and target[0] == "msgstr":
                finish()
                target = None
            if line.startswith("#,"):
                flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        match = _KEYWORD.match(line)
        if match:
            keyword, index, literal = match.groups()
            value = ast.literal_eval(literal)
            if keyword in ("msgctxt", "msgid") and (target is None or target[0] == "msgstr"):
                finish()
                current = Entry(flags=flags, line=number)
                flags = set()
            assert current is not None, f"{path}:{number}: {keyword} outside an entry"
            if keyword == "msgctxt":
                current.msgctxt = value
                target = ("msgctxt", 0)
            elif keyword == "msgid":
                current.msgid = value
                target = ("msgid", 0)
            elif keyword == "msgid_plural":
                current.msgid_plural = value
                target = ("msgid_plural", 0)
            else:
                slot = int(index or 0)
                current.msgstr[slot] = value
                target = ("msgstr", slot)
            continue
        assert line.startswith('"') and current is not None and target is not None, (
            f"{path}:{number}: cannot parse {raw!r}"
        )
        value = ast.literal_eval(line)
        kind, slot = target
        if kind == "msgstr":
            current.msgstr[slot] += value
        elif kind == "msgid_plural":
            current.msgid_plural = (current.msgid_plural or "") + value
        else:
            setattr(current, kind, (getattr(current, kind) or "") + value)
    finish()
    return entries


_NAMED = re.compile(r"%\((\w+)\)[sdifr]")
_POSITIONAL = re.compile(r"%[sdifr]")
_BRACES = re.compile(r"(?<!\{)\{(\w*)(?:[:!][^{}]*)?\}(?!\})")


def placeholders(text: str, flags: set[str]) -> tuple:
    named = set(_NAMED.findall(text))
    positional = len(_POSITIONAL.findall(text.replace("%%", "")))
    braces = set(_BRACES.findall(text)) if "python-brace-format" in flags else set()
    return named, positional, braces


# ---- (a), (b), (e): complete, non-fuzzy, compiled -----------------------------------------
@pytest.mark.parametrize("po_path", CATALOGUES)
def test_catalogue_is_fully_translated(po_path: Path) -> None:
    entries = read_po(po_path)
    assert entries, f"{po_path} has no entries"
    problems = []
    for entry in entries:
        where = f"{po_path.relative_to(ROOT)}:{entry.line} {entry.msgid!r}"
        if "fuzzy" in entry.flags:
            problems.append(f"{where}: fuzzy")
        if not entry.msgstr or not all(entry.msgstr.values()):
            problems.append(f"{where}: untranslated")
            continue
        if entry.msgid_plural is None:
            if placeholders(entry.msgstr[0], entry.flags) != placeholders(entry.msgid, entry.flags):
                problems.append(f"{where}: placeholders differ in {entry.msgstr[0]!r}")
        else:
            plural = placeholders(entry.msgid_plural, entry.flags)
            last = entry.msgstr[max(entry.msgstr)]
            if placeholders(last, entry.flags) != plural:
                problems.append(f"{where}: placeholders differ in plural form {last!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("po_path", CATALOGUES)
def test_compiled_catalogue_matches_po(po_path: Path) -> None:
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing. {REFRESH_HINT}"
    with mo_path.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    catalog = compiled._catalog  # msgid -> msgstr, (msgid, n) -> msgstr; "ctx\x04msgid" keys
    expected: dict = {}
    for entry in read_po(po_path):
        msgid = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural is None:
            expected[msgid] = entry.msgstr.get(0, "")
        else:
            for index, text in entry.msgstr.items():
                expected[(msgid, index)] = text
    stale = sorted(repr(key) for key, text in expected.items() if catalog.get(key) != text and text)
    extra = sorted(repr(key) for key in catalog if key != "" and key not in expected)
    assert not stale and not extra, (
        f"{mo_path.relative_to(ROOT)} is out of date with its .po "
        f"(stale or missing: {stale}; no longer in the .po: {extra}). {REFRESH_HINT}"
    )


# ---- (c): every gettext string in our templates and Python is in the English catalogue -----
@dataclass(frozen=True)
class Found:
    msgctxt: str | None
    msgid: str
    msgid_plural: str | None
    where: str


_TEMPLATE_COMMENT = re.compile(r"\{#.*?#\}|\{%\s*comment\b.*?%\}.*?\{%\s*endcomment\s*%\}", re.S)
_STRING = r"""("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')"""
_TRANS = re.compile(r"\{%\s*trans(?:late)?\s+" + _STRING + r"(.*?)%\}", re.S)
_CONTEXT = re.compile(r"\bcontext\s+" + _STRING)
_BLOCKTRANS = re.compile(
    r"\{%\s*blocktrans(?:late)?\b(.*?)%\}(.*?)\{%\s*endblocktrans(?:late)?\s*%\}", re.S
)
_PLURAL_TAG = re.compile(r"\{%\s*plural\s*%\}")
_TEMPLATE_VAR = re.compile(r"\{\{\s*(\w+)\s*\}\}")
_UNDERSCORE = re.compile(r"\b_\(\s*" + _STRING + r"\s*\)")


def _template_literal(literal: str) -> str:
    return literal[1:-1]


def _blocktrans_msgid(body: str, trimmed: bool) -> str:
    if trimmed:
        body = re.sub(r"\s*\n\s*", " ", body.strip())
    return _TEMPLATE_VAR.sub(r"%(\1)s", body.replace("%", "%%"))


def template_strings(path: Path) -> list[Found]:
    text = _TEMPLATE_COMMENT.sub("", path.read_text(encoding="utf-8"))
    where = str(path.relative_to(ROOT))
    found = []
    for match in _TRANS.finditer(text):
        context = _CONTEXT.search(match.group(2))
        found.append(
            Found(
                _template_literal(context.group(1)) if context else None,
                _template_literal(match.group(1)).replace("%", "%%"),
                None,
                where,
            )
        )
    for match in _BLOCKTRANS.finditer(text):
        options, body = match.groups()
        context = _CONTEXT.search(options)
        trimmed = re.search(r"\btrimmed\b", options) is not None
        singular, *plural = _PLURAL_TAG.split(body, maxsplit=1)
        found.append(
            Found(
                _template_literal(context.group(1)) if context else None,
                _blocktrans_msgid(singular, trimmed),
                _blocktrans_msgid(plural[0], trimmed) if plural else None,
                where,
            )
        )
    for match in _UNDERSCORE.finditer(text):
        found.append(Found(None, _template_literal(match.group(1)), None, where))
    return found


# Argument layout of each gettext function: (context index, msgid index, plural index).
_FUNCTIONS = {
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}


def python_strings(path: Path) -> list[Found]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = {name: name for name in _FUNCTIONS} | {"_": "gettext"}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            for alias in node.names:
                if alias.name in _FUNCTIONS:
                    names[alias.asname or alias.name] = alias.name
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if name not in names:
            continue
        context_at, msgid_at, plural_at = _FUNCTIONS[names[name]]

        def literal(index: int | None, args: list[ast.expr] = node.args) -> str | None:
            if index is None or index >= len(args):
                return None
            arg = args[index]
            return (
                arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else None
            )

        msgid = literal(msgid_at)
        if msgid:
            found.append(
                Found(
                    literal(context_at),
                    msgid,
                    literal(plural_at),
                    f"{path.relative_to(ROOT)}:{node.lineno}",
                )
            )
    return found


def source_strings() -> list[Found]:
    found: list[Found] = []
    for path in sorted(APP_DIR.rglob("*")):
        parts = set(path.relative_to(APP_DIR).parts)
        if not path.is_file() or "static" in parts or any(p.startswith(".") for p in parts):
            continue
        if path.suffix == ".py":
            found += python_strings(path)
        elif path.suffix in (".html", ".txt"):
            found += template_strings(path)
    return found


def test_source_scanner_sees_our_strings() -> None:
    """Guards the scanner itself: a broken regex would make the next test pass vacuously."""
    msgids = {found.msgid for found in source_strings()}
    assert {"Đăng nhập", "Xác thực hai lớp", "Tiếng Việt"} <= msgids
    assert any("%(" in msgid for msgid in msgids)


def test_every_source_string_is_in_the_english_catalogue() -> None:
    catalogue = {entry.key: entry for entry in read_po(OWN_PO)}
    missing = {}
    for found in source_strings():
        entry = catalogue.get((found.msgctxt, found.msgid))
        if entry is None or (found.msgid_plural and entry.msgid_plural != found.msgid_plural):
            label = found.msgid if found.msgctxt is None else f"[{found.msgctxt}] {found.msgid}"
            missing.setdefault(label, []).append(found.where)
    assert not missing, (
        f"{len(missing)} string(s) are not in {OWN_PO.relative_to(ROOT)}:\n"
        + "\n".join(f"  {msgid!r}  ({', '.join(where)})" for msgid, where in missing.items())
        + f"\n{REFRESH_HINT}"
    )


# ---- (d): the catalogues are actually used at run time -------------------------------------
_VIETNAMESE_LETTER = re.compile(r"[ăâđêôơưàáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵ]", re.I)


def test_third_party_strings_are_vietnamese() -> None:
    msgid = "The username and/or password you specified are not correct."
    with translation.override("vi"):
        text = translation.gettext(msgid)
        mfa = translation.gettext("Incorrect code.")
        api = translation.gettext("Authentication credentials were not provided.")
    for translated in (text, mfa, api):
        assert _VIETNAMESE_LETTER.search(translated), translated


def test_own_strings_are_english_and_third_party_stays_english() -> None:
    with translation.override("en"):
        assert translation.gettext("Đăng nhập") in {"Sign in", "Log in"}
        assert translation.gettext("Xác thực hai lớp") == "Two-factor authentication"
        assert translation.ngettext("%(n)s tổ chức", "%(n)s tổ chức", 2) % {"n": 2} == (
            "2 organizations"
        )
        # The Vietnamese third-party catalogue must not leak into English.
        assert translation.gettext("Incorrect code.") == "Incorrect code."
    with translation.override("vi"):
        assert translation.gettext("Đăng nhập") == "Đăng nhập"
