"""Password forms to try on an encrypted PDF (SASLprep for AES-256, RFC 4013).

PDF 2.0 says an AES-256 (revision 6) password is prepared with SASLprep and then
truncated to 127 UTF-8 bytes. MuPDF 1.28 hashes the bytes it is given as they are,
so :mod:`.preflight` tries the typed password and then its prepared forms.
"""

from __future__ import annotations

import stringprep
import unicodedata

__all__ = ["password_candidates", "saslprep"]


def saslprep(password: str) -> str | None:
    """Prepare a password with SASLprep (RFC 4013), as PDF 2.0 wants for AES-256 (R6).

    Mapping (non-ASCII spaces to U+0020, "commonly mapped to nothing" removed), NFKC,
    then the prohibited-output and bidi checks of RFC 3454; unassigned code points
    are allowed (the "query" profile), since we only ever compare.

    Returns:
        The prepared string, or ``None`` when the input contains prohibited output.
    """
    mapped = "".join(
        " " if stringprep.in_table_c12(ch) else ch
        for ch in password
        if not stringprep.in_table_b1(ch)
    )
    prepared = unicodedata.normalize("NFKC", mapped)
    prohibited = (
        stringprep.in_table_c12,
        stringprep.in_table_c21_c22,
        stringprep.in_table_c3,
        stringprep.in_table_c4,
        stringprep.in_table_c5,
        stringprep.in_table_c6,
        stringprep.in_table_c7,
        stringprep.in_table_c8,
        stringprep.in_table_c9,
    )
    if any(check(ch) for ch in prepared for check in prohibited):
        return None
    rand_al = [stringprep.in_table_d1(ch) for ch in prepared]
    if any(rand_al):
        # RFC 3454 §6: RTL strings must not mix in LTR characters and must start
        # and end with an RTL character.
        if any(stringprep.in_table_d2(ch) for ch in prepared):
            return None
        if not (rand_al[0] and rand_al[-1]):
            return None
    return prepared


def password_candidates(password: str) -> list[str]:
    """The password as typed, then its SASLprep and NFKC forms (unique, in order).

    MuPDF hashes the UTF-8 bytes it is given and applies no SASLprep (checked with
    MuPDF 1.28), while spec-following writers (qpdf, Acrobat) SASLprep the password
    before hashing. Trying both opens files from either kind of writer. The PDF spec
    also truncates the UTF-8 form to 127 bytes; the truncated form is tried last.
    """
    forms = [password, saslprep(password), unicodedata.normalize("NFKC", password)]
    candidates: list[str] = []
    for form in forms:
        if form is None:
            continue
        raw = form.encode("utf-8")
        for candidate in (form, raw[:127].decode("utf-8", "ignore")):
            if candidate not in candidates:
                candidates.append(candidate)
    return candidates
