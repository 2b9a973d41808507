"""A streaming reader of xlsx/xlsm parts (zipfile + expat): the workbook's sheets in their order,
each sheet's rows as openpyxl's read-only, data_only view gives their values, and which cells hold
a formula without a cached value, in one pass over the sheet's XML.

Why not openpyxl's reader: through defusedxml it builds every element with ElementTree's pure
Python parser, and without a <dimension> in the sheet it parses the whole sheet once more just to
size it (79 % of a 10,000-line dry run). expat's callbacks build nothing. Values stay openpyxl's:
its number-format rules (which styles are dates) and its serial → datetime conversion are used
here as they are.

Security: every part is parsed with no DTD at all (a DOCTYPE or an entity declaration refuses the
file, as defusedxml does for entities), never fetching anything; the declared unzipped sizes were
checked by detect.py before this runs, and zipfile never inflates a member past its declared size."""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Iterator
from xml.parsers import expat

from defusedxml import ElementTree as SafeElementTree
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel, from_ISO8601

# Transitional (what Excel writes) and Strict OOXML.
MAIN_NAMESPACES = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",
)
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CHUNK = 64 * 1024
_DIGITS = "0123456789"


class XlsxError(ValueError):
    """A part that is not what a workbook holds (a DTD, a missing workbook part)."""


def _refuse(*_args):
    raise XlsxError("el archivo declara un DTD o entidades XML")


def _parser() -> expat.XMLParserType:
    """expat with namespaces as `uri}local`, and no DTD: nothing to expand, nothing to fetch."""
    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.UnparsedEntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True
    parser.buffer_size = CHUNK
    return parser


def _tree(archive: zipfile.ZipFile, name: str):
    """A small part (workbook, relationships, styles) as an ElementTree, through defusedxml."""
    return SafeElementTree.fromstring(archive.read(name), forbid_dtd=True)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _ns(tag: str) -> str:
    return tag[1:].partition("}")[0] if tag.startswith("{") else ""


def column_index(letters: str) -> int:
    """`A` → 1, `AB` → 28."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    if not letters or n < 1:
        raise XlsxError(f"referencia de celda no válida: {letters!r}")
    return n


def _boundaries(ref: str) -> tuple[int, int] | None:
    """(max column, max row) of a <dimension ref="A1:H12">; None when it says nothing usable."""
    last = ref.partition(":")[2] or ref
    letters = last.rstrip(_DIGITS).lstrip("$").replace("$", "")
    digits = last[len(last.rstrip(_DIGITS)) :]
    try:
        return column_index(letters), int(digits)
    except (XlsxError, ValueError):
        return None


def _resolve(base: str, target: str) -> str:
    """Where a relationship points: a path inside the zip (absolute, or relative to its part)."""
    if target.startswith("/"):
        return target[1:]
    return posixpath.normpath(posixpath.join(base, target))


def _relationships(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Id → (type's last segment, target path) of a part's .rels (external targets left out)."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", name + ".rels")
    if rels not in archive.NameToInfo:
        return {}
    out = {}
    for rel in _tree(archive, rels):
        if _local(rel.tag) != "Relationship" or rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target")
        if rel.get("Id") and target:
            out[rel.get("Id")] = (rel.get("Type", "").rpartition("/")[2], _resolve(folder, target))
    return out


def _workbook_part(archive: zipfile.ZipFile) -> str:
    for kind, target in _relationships(archive, "").values():
        if kind == "officeDocument" and target in archive.NameToInfo:
            return target
    if "xl/workbook.xml" in archive.NameToInfo:
        return "xl/workbook.xml"
    raise XlsxError("no hay libro (xl/workbook.xml)")


def _styles(archive: zipfile.ZipFile, part: str | None, ns: str) -> tuple[frozenset, frozenset]:
    """The cell styles (indexes as the `s` attribute writes them) whose number format is a date,
    and those of them that are durations ([h]:mm): openpyxl's rules, on the built-in and custom
    formats."""
    if part is None or part not in archive.NameToInfo:
        return frozenset(), frozenset()
    root = _tree(archive, part)
    custom = {}
    for fmt in root.iterfind(f"{{{ns}}}numFmts/{{{ns}}}numFmt"):
        try:
            custom[int(fmt.get("numFmtId"))] = fmt.get("formatCode")
        except (TypeError, ValueError):
            continue
    dates, durations = set(), set()
    for index, xf in enumerate(root.iterfind(f"{{{ns}}}cellXfs/{{{ns}}}xf")):
        try:
            fmt_id = int(xf.get("numFmtId", 0))
        except ValueError:
            continue
        fmt = custom[fmt_id] if fmt_id in custom else BUILTIN_FORMATS.get(fmt_id)
        if is_date_format(fmt):
            dates.add(str(index))
        if is_timedelta_format(fmt):
            durations.add(str(index))
    return frozenset(dates), frozenset(durations)


def _feed(parser, stream) -> Iterator[None]:
    """Parse `stream` chunk by chunk, yielding after each so that the handlers' output is taken."""
    while True:
        chunk = stream.read(CHUNK)
        if not chunk:
            break
        parser.Parse(chunk, False)
        yield
    parser.Parse(b"", True)
    yield


def _shared_strings(archive: zipfile.ZipFile, part: str | None, ns: str, errors) -> list:
    """Each <si> as openpyxl gives it: its text runs concatenated, phonetic runs (rPh) left out,
    `x005F_` removed as openpyxl does; an error's text (#N/A) as `errors` makes it."""
    if part is None or part not in archive.NameToInfo:
        return []
    si_tag, t_tag, rph_tag = f"{ns}}}si", f"{ns}}}t", f"{ns}}}rPh"
    strings: list = []
    parts: list[str] = []
    buf: list[str] = []
    collecting = False
    phonetic = 0

    def start(name, _attrs):
        nonlocal collecting, phonetic
        if name == t_tag:
            if not phonetic:
                buf.clear()
                collecting = True
        elif name == si_tag:
            parts.clear()
        elif name == rph_tag:
            phonetic += 1

    def end(name):
        nonlocal collecting, phonetic
        if name == t_tag:
            if collecting:
                parts.append("".join(buf))
                collecting = False
        elif name == si_tag:
            text = "".join(parts)
            if "x005F_" in text:
                text = text.replace("x005F_", "")
            strings.append(errors(text))
        elif name == rph_tag:
            phonetic -= 1

    def chars(data):
        if collecting:
            buf.append(data)

    parser = _parser()
    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, chars
    with archive.open(part) as stream:
        for _ in _feed(parser, stream):
            pass
    return strings


class SheetReader:
    """One worksheet part: rows() streams it; cells holding a formula without a cached value are
    noted on the way (`formula_cells`, 0-based columns) and `formulas()` answers from them,
    parsing only as far as it must when asked about rows not read yet."""

    def __init__(self, archive, part, ns, strings, date_styles, duration_styles, epoch, errors):
        self.archive, self.part, self.ns = archive, part, ns
        self.strings, self.epoch, self.errors = strings, epoch, errors
        self.date_styles, self.duration_styles = date_styles, duration_styles
        self.formula_cells: set[tuple[int, int]] = set()
        self.read_up_to = 0  # every row up to this one has been parsed (its formulas noted)
        self.complete = False

    def formulas(self, wanted: set[tuple[int, int]]) -> set[tuple[int, int]]:
        last = max(r for r, _ in wanted)
        if self.read_up_to < last and not self.complete:
            for number, _ in self._parsed():
                if number >= last:
                    break
        return wanted & self.formula_cells

    def rows(self) -> Iterator[tuple[int, list]]:
        """(row number, values) from row 1: a row missing from the file comes as an empty row
        (rows padded to the sheet's <dimension> width when it has one, as openpyxl pads them);
        a row numbered before one already given is skipped, as openpyxl skips it."""
        counter = 1
        size = [None, None]  # (max column, max row) of <dimension>, once seen (the width is used)
        for number, values in self._parsed(size):
            if number < counter:
                continue
            width = size[0]
            while counter < number:
                yield counter, [None] * width if width else []
                counter += 1
            if width and len(values) < width:
                values.extend([None] * (width - len(values)))
            yield number, values
            counter = number + 1

    def _parsed(self, size=None) -> Iterator[tuple[int, list]]:
        """The file's rows as (number, values up to the last cell), in document order."""
        ns = self.ns
        c_tag, v_tag, f_tag, row_tag = f"{ns}}}c", f"{ns}}}v", f"{ns}}}f", f"{ns}}}row"
        is_tag, t_tag, rph_tag, dim_tag = f"{ns}}}is", f"{ns}}}t", f"{ns}}}rPh", f"{ns}}}dimension"
        strings, errors, epoch = self.strings, self.errors, self.epoch
        date_styles, duration_styles = self.date_styles, self.duration_styles
        formula_cells = self.formula_cells
        columns: dict[str, int] = {}
        done: list[tuple[int, list]] = []
        buf: list[str] = []
        inline: list[str] = []
        values: list = []
        row_number = col = 0
        ref = ctype = style = vtext = None
        collecting = in_inline = has_formula = False
        phonetic = 0

        def start(name, attrs):
            nonlocal ref, ctype, style, vtext, collecting, in_inline, has_formula, phonetic
            nonlocal row_number, col, values
            if name == c_tag:
                ref, ctype, style = attrs.get("r"), attrs.get("t"), attrs.get("s")
                vtext, has_formula, in_inline = None, False, False
            elif name == v_tag:
                buf.clear()
                collecting = True
            elif name == f_tag:
                has_formula = True
            elif name == t_tag:
                if in_inline and not phonetic:
                    buf.clear()
                    collecting = True
            elif name == is_tag:
                in_inline = True
                inline.clear()
            elif name == row_tag:
                r = attrs.get("r")
                if r is None:
                    row_number += 1
                else:
                    try:
                        row_number = int(r)
                    except ValueError:
                        number = float(r)
                        if not number.is_integer():
                            raise XlsxError(f"número de renglón no válido: {r!r}") from None
                        row_number = int(number)
                col = 0
                values = []
            elif name == rph_tag:
                phonetic += 1
            elif name == dim_tag and size is not None:
                found = _boundaries(attrs.get("ref", ""))
                if found:
                    size[0], size[1] = found

        def end(name):
            nonlocal vtext, collecting, col, phonetic
            if name == v_tag:
                vtext = "".join(buf)
                collecting = False
            elif name == c_tag:
                if ref:
                    letters = ref.rstrip(_DIGITS)
                    c = columns.get(letters)
                    if c is None:
                        c = columns[letters] = column_index(letters)
                    col = c
                else:
                    col += 1
                    c = col
                if ctype is None or ctype == "n":
                    if vtext:
                        # openpyxl's rule: a point or an exponent makes a float, else an int.
                        value = float(vtext) if "." in vtext or "E" in vtext or "e" in vtext else int(vtext)
                        if style in date_styles:
                            try:
                                value = from_excel(value, epoch, timedelta=style in duration_styles)
                            except (OverflowError, ValueError):
                                value = errors("#VALUE!")  # a date out of range, as openpyxl reads it
                    else:
                        value = None
                elif ctype == "s":
                    value = strings[int(vtext)] if vtext else None
                elif ctype == "inlineStr":
                    value = errors("".join(inline)) if in_inline else None
                elif ctype == "b":
                    value = bool(int(vtext)) if vtext else None
                elif ctype == "d":
                    value = from_ISO8601(vtext) if vtext else None
                else:  # e (#REF!), str (a formula's text), or a type we do not know: its text
                    value = errors(vtext) if vtext else None
                # A formula whose value was never calculated (a library wrote it, Excel never
                # opened it): no <v>, or an empty one that is not an empty text result.
                if has_formula and not vtext and not (ctype == "str" and vtext is not None):
                    formula_cells.add((row_number, c - 1))
                n = len(values)
                if c == n + 1:
                    values.append(value)
                elif c > n:
                    values.extend([None] * (c - n - 1))
                    values.append(value)
                else:
                    values[c - 1] = value
            elif name == row_tag:
                done.append((row_number, values))
            elif name == t_tag:
                if collecting:
                    inline.append("".join(buf))
                    collecting = False
            elif name == rph_tag:
                phonetic -= 1

        def chars(data):
            if collecting:
                buf.append(data)

        parser = _parser()
        parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, chars
        with self.archive.open(self.part) as stream:
            for _ in _feed(parser, stream):
                for item in done:
                    if item[0] > self.read_up_to:
                        self.read_up_to = item[0]
                    yield item
                done.clear()
        self.complete = True


class XlsxBook:
    """The workbook part: sheets in workbook.xml's order (chart sheets and missing parts left
    out, as openpyxl leaves them), their state, the 1900/1904 date system, strings and styles."""

    def __init__(self, data: bytes, errors):
        self.archive = zipfile.ZipFile(io.BytesIO(data))
        try:
            self._load(errors)
        except BaseException:
            self.archive.close()
            raise

    def _load(self, errors) -> None:
        archive = self.archive
        part = _workbook_part(archive)
        root = _tree(archive, part)
        ns = _ns(root.tag)
        if ns not in MAIN_NAMESPACES:
            raise XlsxError("el libro no es SpreadsheetML")
        props = root.find(f"{{{ns}}}workbookPr")
        date1904 = props is not None and props.get("date1904", "false").lower() not in ("false", "f", "0", "")
        epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
        rels = _relationships(archive, part)
        by_kind = {kind: target for kind, target in rels.values()}
        strings = _shared_strings(archive, by_kind.get("sharedStrings"), ns, errors)
        date_styles, duration_styles = _styles(archive, by_kind.get("styles"), ns)
        self.sheets: list[tuple[str, str, SheetReader]] = []
        for sheet in root.iterfind(f"{{{ns}}}sheets/{{{ns}}}sheet"):
            rid = next((v for k, v in sheet.attrib.items() if k.startswith("{") and _local(k) == "id"), None)
            kind, target = rels.get(rid, (None, None))
            if kind != "worksheet" or target not in archive.NameToInfo:
                continue
            reader = SheetReader(archive, target, ns, strings, date_styles, duration_styles, epoch, errors)
            self.sheets.append((sheet.get("name", ""), sheet.get("state", "visible"), reader))

    def close(self) -> None:
        self.archive.close()
