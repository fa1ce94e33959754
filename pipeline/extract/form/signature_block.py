"""The signature block of a legal or administrative document: who signed, and with which title.

Beside (or, in OCR's reading order, after) the "Nơi nhận" list of recipients, the block prints the
authority lines (`TM. ỦY BAN NHÂN DÂN`, `KT. CHỦ TỊCH`, `PHÓ CHỦ TỊCH`), then the signer's name under the
signature and seal; a joint document has one block per signer, side by side. Names are told from the
other lines by their shape: two to five capitalized words starting with a Vietnamese surname.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from catalog.search import fold

# OCR reads a speck before the line as `_` or `-` (`_ Nơi nhận:`).
RECIPIENTS = re.compile(r"^[\W_]{0,3}N[ơoờớợ]i\s*nh[ậaâ]n", re.IGNORECASE)
# `TM.`/`KT.`/`TL.`/`TUQ.`/`Q.` (on behalf of, for, by order of, acting) and
# the title words a signer's title is made of.
_SIGN_PREFIX = re.compile(r"\b(TM|KT|TL|TUQ|Q)\s*[.,]\s*(?=\S)")
_TITLE_WORDS = ("THỦ TƯỚNG", "BỘ TRƯỞNG", "THỨ TRƯỞNG", "CHỦ TỊCH", "GIÁM ĐỐC", "CHÁNH VĂN PHÒNG", "CHÁNH ÁN",
                "VIỆN TRƯỞNG", "THỐNG ĐỐC", "TỔNG CỤC TRƯỞNG", "CỤC TRƯỞNG", "VỤ TRƯỞNG", "TRƯỞNG BAN",
                "TRƯỞNG PHÒNG", "CHỦ NHIỆM", "TỔNG KIỂM TOÁN", "BÍ THƯ", "TỔNG THƯ KÝ", "CHÁNH THANH TRA",
                "HIỆU TRƯỞNG", "TRƯỞNG ĐOÀN", "TỔNG GIÁM ĐỐC")
_TITLE_LINE = re.compile(r"(?:PHO\s+)?(?:%s)\b" % "|".join(fold(t).upper() for t in _TITLE_WORDS))
# The title words and the authorities named after `KT.`/`TM.` (longest first: `TỔNG GIÁM ĐỐC` before `GIÁM ĐỐC`).
_KNOWN_SPELLINGS = [(title.split(), fold(title).upper()) for title in
                    sorted(_TITLE_WORDS + ("PHÓ", "CHÍNH PHỦ", "ỦY BAN NHÂN DÂN", "BỘ"), key=len, reverse=True)]
# Ranks printed before a signer's name in a joint signature block.
_RANKS = re.compile(r"\b(Đại|Thượng|Trung|Thiếu)\s+(tướng|tá|úy)\b")
# Vietnamese surnames, for telling a signer's name from a line of the block; by their folded form, so
# that OCR's `Nguyên` is read as the surname `Nguyễn`.
SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
            "Ngô", "Dương", "Lý", "Đinh", "Đào", "Đoàn", "Cao", "Lương", "Mai", "Trịnh", "Trương", "Lâm", "Hà",
            "Tô", "Tạ", "Thái", "Châu", "Lưu", "Văn", "Quách", "Kiều", "Lò", "Triệu", "Chu", "Tăng", "Nông",
            "La", "Khúc", "Đàm", "Tống", "Vương", "Lã", "Thân", "Ninh", "Mạc", "Giang", "Hứa", "Phùng", "Từ",
            "Diệp", "Ông", "Âu", "Kim", "Y", "H'", "Lục", "Nghiêm", "Bạch", "Hầu", "Tôn", "Lai", "Khổng", "Viên")
_SURNAME_BY_FOLD = {fold(name): name for name in SURNAMES}
_NAME_WORD = re.compile(r"^[A-ZĐÀ-ỸÂĂÊÔƠƯ][a-zđà-ỹâăêôơư]+$")
RECIPIENT_LINES = 80  # the longest "Nơi nhận" list, with the blank lines OCR puts between its items
BEFORE_RECIPIENTS = 12  # lines before "Nơi nhận" that may hold a signature block read first
AFTER_RECIPIENTS = 25  # lines after the list (its `- Lưu` line) that may hold the signature block


@dataclass
class SignatureBlock:
    titles: str | None = None  # each signer's title lines joined, signers joined by "; "
    names: list[str] = field(default_factory=list)
    page: int | None = None  # of "Nơi nhận"
    # (page, line) of the block's lines as read (titles, names), or of "Nơi nhận" when none was
    lines: list[tuple[int, str]] = field(default_factory=list)


def read_signature(texts: list[str]) -> SignatureBlock:
    """The signers' titles and names from the block beside the first "Nơi nhận" (annexes after the
    signature carry forms of their own). A name is taken on the first name line after a title line
    (after the recipients when OCR lost the titles); a joint block gives one title and name per signer."""
    lines, pages = [], []
    for number, text in enumerate(texts, start=1):
        for line in text.splitlines():
            lines.append(line.strip())
            pages.append(number)
    at = next((i for i, line in enumerate(lines) if RECIPIENTS.match(line)), None)
    if at is None:
        return SignatureBlock()
    span = range(at, min(len(lines), at + RECIPIENT_LINES))
    kept = [i for i in span if re.match(r"^\W{0,3}Lưu\b", lines[i])]  # `- Lưu: VT, ...` ends the list
    items = [i for i in span if lines[i].startswith(("-", "~"))]
    last = kept[0] if kept else (items[-1] if items else at)
    start = max(0, at - BEFORE_RECIPIENTS)
    window = lines[start:last + AFTER_RECIPIENTS]
    recipients, list_end = at - start, last - start
    blocks: list[list[str]] = []  # each: the title lines of one signer, then their name
    titles: list[str] = []
    read: list[tuple[int, str]] = []  # the lines of the blocks taken
    pending: list[tuple[int, str]] = []  # title lines waiting for their name
    waiting = False
    for index, line in enumerate(window):
        if index == recipients:
            titles, pending = [], []  # titles read before the recipients without a name under them are not a block
            beside = title_part(RECIPIENTS.sub("", line).lstrip(": "))
            if beside:  # `Nơi nhận: TM. ỦY BAN NHÂN DÂN`: a layer (or OCR) that reads across both columns
                titles.append(beside)
                pending.append((pages[start + index], line))
                waiting = True
        if recipients <= index <= list_end:
            waiting = waiting or (index == list_end and not titles)  # OCR may have lost the titles
            continue
        if (title := title_part(line.lstrip("-~ "))) is not None:
            titles.append(title)
            pending.append((pages[start + index], line))
            waiting = True
        elif waiting and not line.startswith(("-", "~")) and (names := names_in(line)):
            blocks += [[" ".join(titles), name] for name in names]
            read += pending + [(pages[start + index], line)]
            titles, pending, waiting = [], [], False
    if not blocks:
        return SignatureBlock(" ".join(titles) or None, [], pages[at], pending or [(pages[at], lines[at])])
    signer_titles = [block[0] for block in blocks if block[0]]
    return SignatureBlock("; ".join(signer_titles) or None, [block[1] for block in blocks], pages[at], read)


def title_part(line: str) -> str | None:
    """`KT. BỘ TRƯỞNG` / `- THỨ TRƯỞNG` / `w: PHÓ CHỦ TỊCH` -> the title as printed; None for other lines."""
    folded = fold(line).upper()
    prefix = _SIGN_PREFIX.search(line)
    if prefix:
        return " ".join(line[prefix.start():].split())
    match = _TITLE_LINE.search(folded)
    if match is None or line != line.upper():
        return None
    rest = line[match.start():]
    if len(rest) > 60 or re.search(r"\d", rest):
        return None
    return " ".join(rest.split())


def is_complete(title: str) -> bool:
    """Whether a signer's title (its lines joined) ends with the signer's own title: after `KT.`, `TL.` or
    `TUQ.` and the authority it names (`KT. BỘ TRƯỞNG`), and after `TM.` and the body (`TM. CHÍNH PHỦ`), comes
    the signer's title line (`THỨ TRƯỞNG`, `THỦ TƯỚNG`); `Q.` (acting) is part of the signer's own title
    (`Q. BỘ TRƯỞNG`); a title without any of those is the signer's own."""
    prefixes = list(_SIGN_PREFIX.finditer(title))
    if not prefixes:
        return _TITLE_LINE.search(fold(title).upper()) is not None
    after = fold(title[prefixes[-1].end():]).upper()
    # TM. CHÍNH PHỦ: a body, not a title, comes first; Q. BỘ TRƯỞNG: the acting minister's own title
    own_title_next = prefixes[-1].group(1) in ("TM", "Q")
    return len(_TITLE_LINE.findall(after)) >= (1 if own_title_next else 2)


def spelled_as_known(line: str) -> str:
    """A title line with each known title spelled as it is printed, where OCR changed only its marks
    (`THỦ TƯỜNG` -> `THỦ TƯỚNG`): the known titles differ in their letters, so the letters name one."""
    words = line.split()
    for title, folded in _KNOWN_SPELLINGS:
        for start in range(len(words) - len(title) + 1):
            if fold(" ".join(words[start:start + len(title)])).upper() == folded:
                words[start:start + len(title)] = title
    return " ".join(words)


def names_in(line: str) -> list[str]:
    """The personal names in a line: runs of two to five capitalized words starting with a surname
    (`Nguyễn Công Nghiệp Thượng tướng Nguyễn Văn Được` -> two names)."""
    names = []
    for run in re.split(r"[^\w\s']+|_+|\s{3,}", _RANKS.sub(" | ", line)):
        words = run.split()
        start = next((i for i, word in enumerate(words) if fold(word) in _SURNAME_BY_FOLD
                      and _NAME_WORD.match(word)), None)
        if start is None:
            continue
        name = []
        for word in words[start:]:
            if not _NAME_WORD.match(word) or len(name) == 5:
                break
            name.append(word)
        if 2 <= len(name) <= 5 and start == 0:
            name[0] = _SURNAME_BY_FOLD[fold(name[0])]
            names.append(" ".join(name))
    return names
