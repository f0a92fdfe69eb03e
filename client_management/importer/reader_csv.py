"""Reading a .csv file: its encoding (UTF-8, UTF-16, or the best of cp1250 / cp1251 / cp1257)
and its delimiter (comma, semicolon or tab) are guessed from the content."""

import contextlib
import csv
import io
import re

from .common import ImportFileError, _lt
from .reader import SheetReader

# Without an environment, messages are lazy terms (``_lt``) that the service translates in the
# user's language (``common.message``): no self.env._ here.
# pylint: disable=prefer-env-translation


class CsvReader(SheetReader):
    kind = "csv"

    def _prepare(self):
        sample = self.content[:65536]
        if b"\x00" in sample:
            if sample[:2] in (b"\xff\xfe", b"\xfe\xff"):
                try:
                    self.text = self.content.decode("utf-16")
                    self.encoding = "utf-16"
                except UnicodeDecodeError as exc:
                    raise ImportFileError(_lt("The file is neither a spreadsheet nor a text (CSV) file.")) from exc
            else:
                raise ImportFileError(
                    _lt(
                        "“%(file)s” is neither an Excel (.xlsx) nor a text (CSV) file (binary content).",
                        file=self.filename,
                    )
                )
        else:
            self.encoding = detect_encoding(self.content)
            self.text = self.content.decode(self.encoding, errors="replace")
        if self.text.startswith("\ufeff"):
            self.text = self.text[1:]
        if not self.text.strip():
            raise ImportFileError(_lt("The file is empty."))
        self.delimiter = detect_delimiter(self.text)

    def _raw_rows(self):
        reader = csv.reader(io.StringIO(self.text, newline=""), delimiter=self.delimiter)
        try:
            yield from enumerate(reader, start=1)
        except csv.Error as exc:
            raise ImportFileError(
                _lt("The CSV file is malformed near line %(line)s (%(error)s).", line=reader.line_num, error=exc)
            ) from exc


# ----------------------------------------------------------------------
# CSV sniffing
# ----------------------------------------------------------------------
_LATIN_LETTERS = {
    "cp1250": set("áäčďéěíĺľňóôŕřšťúůýžąćęłńśźżöüőűÁÄČĎÉĚÍĹĽŇÓÔŔŘŠŤÚŮÝŽĄĆĘŁŃŚŹŻÖÜŐŰ"),
    "cp1257": set("āčēģīķļņšūžąęėįųłńśźżóõöüäĀČĒĢĪĶĻŅŠŪŽĄĘĖĮŲŁŃŚŹŻÓÕÖÜÄ"),
}


def _plausibility(text, encoding):
    """How many words with non-ASCII letters look like real words of that encoding's languages."""
    score = 0
    for word in re.findall(r"[^\W\d_]+", text):
        if word.isascii():
            continue
        non_ascii = [c for c in word if not c.isascii()]
        if encoding == "cp1251":
            good = all("\u0400" <= c <= "\u04ff" for c in non_ascii) and not any(c.isascii() for c in word)
        else:
            letters = _LATIN_LETTERS[encoding]
            good = all(c in letters for c in non_ascii) and len(non_ascii) < len(word)
        score += 1 if good else -1
    return score


def detect_encoding(content):
    """UTF-8 (with or without BOM), else the best of cp1250, cp1251, cp1257."""
    if content.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    with contextlib.suppress(UnicodeDecodeError):
        content.decode("utf-8")
        return "utf-8"
    sample = content[:200_000]
    best, best_score = "cp1250", None
    for encoding in ("cp1250", "cp1257", "cp1251"):
        text = sample.decode(encoding, errors="replace")
        score = _plausibility(text, encoding) - 5 * text.count("\ufffd")
        if best_score is None or score > best_score:
            best, best_score = encoding, score
    return best


def detect_delimiter(text):
    """Comma, semicolon or tab: the one splitting the first lines into the same, largest
    number of fields."""
    lines = [line for line in text.splitlines()[:50] if line.strip()][:20]
    best, best_key = ",", None
    for delimiter in (";", ",", "\t"):
        try:
            counts = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        except csv.Error:
            continue
        if not counts:
            continue
        # the most frequent number of fields (a title row may come before the header)
        header = max(counts, key=lambda c: (counts.count(c), c))
        consistent = counts.count(header)
        key = (header > 1, consistent, header)
        if best_key is None or key > best_key:
            best, best_key = delimiter, key
    return best
