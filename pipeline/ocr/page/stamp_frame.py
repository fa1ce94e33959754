"""A received stamp's frame erased before OCR, so the title it is stamped across is read whole.

A receiving office stamps "ĐẾN" on the first page, in the free space under the number or the title
(Nghị định 30/2020/NĐ-CP, Phụ lục IV): a ruled box two to three inches wide with fill-in rows. Stamped by
hand, it often lands on the title. Its top edge drawn through a title line strikes those words out, and a
title line touching its edges is taken by Tesseract's layout analysis for part of the box: the words are
not read at all (on two development scans the title lost "kinh tế q…" and "Quy định việc áp d…").

The stamp is found by its shape, not its words: in the upper part of the first page, a rectangle of long
thin lines (top and bottom edges and at least one side) of a stamp's size. Tables are larger than a
stamp; a header's rules have no sides. Only its lines are erased, and only where the ink across a line is
no thicker than the line: a letter's stroke that crosses a line, lies along it or touches it stays. The
stamp's words stay too (pipeline.ocr.text.hocr.without_received_stamp leaves them out of the text, by the
box found here). The image kept in the PDF is not changed.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from PIL import Image

STAMP_ZONE = 0.60  # top share of the first page where a received stamp is put
MIN_LINE = 0.5  # in: a horizontal line at least this long (a stamp's edge; longer than any letter)
MIN_SIDE = 0.25  # in: a vertical line at least this long
SKEW_ROWS = 2  # px, either side: a line stamped at a slant still runs long within this band
MIN_WIDTH, MAX_WIDTH = 1.0, 4.0  # in: a stamp's size (a table is wider, a letter box smaller)
MIN_HEIGHT, MAX_HEIGHT = 0.4, 1.8
EDGE_BAND = 0.1  # in: where an edge is looked for, inside the box's border
MIN_EDGE = 0.8  # share of the box's width a top or bottom edge covers
MIN_SIDE_SHARE = 0.6  # share of its height a side covers (a header row above the box may have none)
THICKER = 1.5  # ink across a line thicker than this many times the line's own width is a letter's too
DETECTION_DPI = 150  # frames are found on the page reduced to about this resolution, erased at full
PAD = 0.05  # in: margin around a frame found at the reduced resolution
FRAMES_FILE = "stamp_frames.json"  # beside each page's hOCR (OCRmyPDF's page work file name)

Box = tuple[float, float, float, float]  # left, top, right, bottom as shares of the page's width and height


def _long_runs(ink: np.ndarray, length: int) -> np.ndarray:
    """The ink pixels on horizontal runs at least `length` long, a run allowed to wander SKEW_ROWS up or down."""
    band = ink.copy()
    for shift in range(1, SKEW_ROWS + 1):
        band[shift:] |= ink[:-shift]
        band[:-shift] |= ink[shift:]
    rows, width = band.shape
    if width < length:
        return np.zeros_like(ink)
    counts = np.zeros((rows, width + 1), np.int32)
    np.cumsum(band, axis=1, out=counts[:, 1:])
    starts = (counts[:, length:] - counts[:, :-length]) == length  # [i, i + length) all ink
    started = np.zeros((rows, starts.shape[1] + 1), np.int32)
    np.cumsum(starts, axis=1, out=started[:, 1:])
    column = np.arange(width)
    low = np.clip(column - length + 1, 0, starts.shape[1])
    high = np.clip(column + 1, 0, starts.shape[1])
    return ((started[:, high] - started[:, low]) > 0) & ink


def _lines(ink: np.ndarray, dpi: float) -> tuple[np.ndarray, np.ndarray]:
    horizontal = _long_runs(ink, max(2, round(MIN_LINE * dpi)))
    vertical = _long_runs(ink.T, max(2, round(MIN_SIDE * dpi))).T
    return horizontal, vertical


def _frames(ink: np.ndarray, dpi: float) -> list[tuple[slice, slice]]:
    """The boxes of a stamp's size whose edges are long lines: (rows, columns) of each."""
    horizontal, vertical = _lines(ink, dpi)
    labels, boxes = _connected(_dilated(horizontal | vertical, 2))
    found = []
    for number, (rows, columns) in enumerate(boxes, 1):
        if columns.stop - columns.start < MIN_WIDTH * dpi or rows.stop - rows.start < MIN_HEIGHT * dpi:
            continue
        mine = labels[rows, columns] == number
        box = _frame_box(horizontal[rows, columns] & mine, vertical[rows, columns] & mine, dpi)
        if box is not None:
            (top, bottom), (left, right) = box
            found.append((slice(rows.start + top, rows.start + bottom),
                          slice(columns.start + left, columns.start + right)))
    return found


def _dilated(mask: np.ndarray, iterations: int) -> np.ndarray:
    """`mask` grown by one pixel up, down, left and right (in 1-D: either side), `iterations` times."""
    out = mask.copy()
    for _ in range(iterations):
        grown = out.copy()
        grown[1:] |= out[:-1]
        grown[:-1] |= out[1:]
        if out.ndim == 2:
            grown[:, 1:] |= out[:, :-1]
            grown[:, :-1] |= out[:, 1:]
        out = grown
    return out


def _any_near(mask: np.ndarray, size: int) -> np.ndarray:
    """Along the rows (axis 0): whether any of the `size` values around each one is set, the window
    [i - size // 2, i - size // 2 + size) cut at the ends."""
    count = mask.shape[0]
    totals = np.zeros((count + 1, *mask.shape[1:]), np.int32)
    np.cumsum(mask, axis=0, out=totals[1:])
    first = np.arange(count) - size // 2
    return totals[np.clip(first + size, 0, count)] > totals[np.clip(first, 0, count)]


def _connected(mask: np.ndarray) -> tuple[np.ndarray, list[tuple[slice, slice]]]:
    """The groups of `mask`'s pixels joined up, down, left or right: an image of their numbers (1, 2, ... in
    the order their first pixels come, row by row; 0 elsewhere) and each one's rows and columns.

    A stamp zone's lines are a few thousand runs of pixels along the rows, so the runs are joined, not the
    pixels: two runs on rows next to each other are one group when their columns overlap."""
    edges = np.diff(np.pad(mask.astype(np.int8), ((0, 0), (1, 1))), axis=1)
    rows, starts = np.nonzero(edges == 1)
    ends = np.nonzero(edges == -1)[1]  # past each run's last column; runs come row by row in both
    parent = list(range(len(rows)))

    def root(run: int) -> int:
        while parent[run] != run:
            parent[run] = parent[parent[run]]
            run = parent[run]
        return run

    row_first = np.searchsorted(rows, np.arange(mask.shape[0] + 1))  # each row's first run
    for row in range(1, mask.shape[0]):
        above, here = int(row_first[row - 1]), int(row_first[row])
        stop_above, stop_here = here, int(row_first[row + 1])
        while above < stop_above and here < stop_here:
            if starts[above] < ends[here] and starts[here] < ends[above]:
                first, second = root(above), root(here)
                parent[max(first, second)] = min(first, second)  # the root is the group's first run
            if ends[above] <= ends[here]:
                above += 1
            else:
                here += 1
    labels = np.zeros(mask.shape, np.int32)
    numbers: dict[int, int] = {}
    bounds: list[list[int]] = []  # top, bottom, left, right of each group
    for run in range(len(rows)):
        group = root(run)
        if group not in numbers:
            numbers[group] = len(bounds) + 1
            bounds.append([rows[run], rows[run], starts[run], ends[run]])
        box = bounds[numbers[group] - 1]
        box[1], box[2], box[3] = rows[run], min(box[2], starts[run]), max(box[3], ends[run])
        labels[rows[run], starts[run]:ends[run]] = numbers[group]
    return labels, [(slice(int(top), int(bottom) + 1), slice(int(left), int(right))) for top, bottom, left, right in bounds]


def _frame_box(across: np.ndarray, down: np.ndarray, dpi: float) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """Within a group of joined lines: the top and bottom edges (the first and last rows of lines long
    enough, over the same columns) and a side between them; (top, bottom), (left, right) or None. The
    group's own bounds are not trusted: a letter or a dashed side touching the frame extends them."""
    band = max(2, round(EDGE_BAND * dpi))
    covered = _any_near(across, band)
    edges = []
    for row in range(0, covered.shape[0], max(1, band // 2)):
        columns = np.flatnonzero(covered[row])
        if columns.size and columns[-1] - columns[0] >= MIN_WIDTH * dpi and \
                columns.size >= MIN_EDGE * (columns[-1] - columns[0] + 1):
            edges.append((row, int(columns[0]), int(columns[-1]) + 1))
    if len(edges) < 2:
        return None
    (top, left, right), (bottom, low_left, low_right) = edges[0], edges[-1]
    overlap = min(right, low_right) - max(left, low_left)
    if overlap < MIN_EDGE * min(right - left, low_right - low_left):  # one edge may be faint in part
        return None
    left, right = min(edge[1] for edge in edges), max(edge[2] for edge in edges)
    top, bottom = max(0, top - band // 2), min(across.shape[0], bottom + band)
    if not (MIN_WIDTH * dpi <= right - left <= MAX_WIDTH * dpi
            and MIN_HEIGHT * dpi <= bottom - top <= MAX_HEIGHT * dpi):
        return None
    sides = down[top:bottom]
    left_side = sides[:, left:left + band].any(axis=1).mean()
    right_side = sides[:, max(left, right - band):right].any(axis=1).mean()
    return ((top, bottom), (left, right)) if max(left_side, right_side) >= MIN_SIDE_SHARE else None


def _vertical_runs(ink: np.ndarray) -> np.ndarray:
    """For each ink pixel, the length of the vertical run of ink it is part of (0 on paper)."""
    above = np.zeros(ink.shape, np.int32)
    below = np.zeros(ink.shape, np.int32)
    for row in range(1, ink.shape[0]):
        above[row] = np.where(ink[row], above[row - 1] + 1, 0)
    above[0] = ink[0]
    below[-1] = ink[-1]
    for row in range(ink.shape[0] - 2, -1, -1):
        below[row] = np.where(ink[row], below[row + 1] + 1, 0)
    return np.where(ink, above + below - 1, 0)


def _bare_line(ink: np.ndarray, line: np.ndarray) -> np.ndarray:
    """The pixels of a horizontal `line` where nothing else is: across it, the ink is no thicker than the
    line itself. A letter's stroke crossing it, or lying along it, or touching it, makes the ink thicker."""
    if not line.any():
        return line
    runs = _vertical_runs(ink)
    thickness = float(np.median(runs[line]))
    return line & (runs <= THICKER * thickness + 1)


def stamp_frames(image: Image.Image) -> list[Box]:
    """Where the page's received stamps are, found by their frames (the first page only: pass it alone)."""
    dpi = _dpi(image)
    gray = image.convert("L")
    factor = max(1, round(dpi / DETECTION_DPI))
    small = gray.crop((0, 0, gray.width, round(STAMP_ZONE * gray.height))).reduce(factor)
    found = _frames(np.asarray(small) < 160, dpi / factor)  # reduced: a thin line's pixels are grey
    return [(columns.start * factor / gray.width, rows.start * factor / gray.height,
             min(1.0, columns.stop * factor / gray.width), min(1.0, rows.stop * factor / gray.height))
            for rows, columns in found]


def _edges(ink: np.ndarray, dpi: float) -> tuple[np.ndarray, np.ndarray]:
    """The ink of the box's horizontal edges, over the whole width of the box (a short piece of an edge,
    beside a dashed side or past a gap, goes too), and of its vertical lines (only there: a letter the
    title has beside the side is not cut)."""
    horizontal, vertical = _lines(ink, dpi)
    rows = _dilated(horizontal.sum(axis=1) >= MIN_LINE * dpi, SKEW_ROWS)
    return ink & rows[:, None], vertical


def without_frames(image: Image.Image, frames: list[Box]) -> Image.Image:
    """The image in grey levels with the frames' lines erased, letters' strokes across them kept."""
    dpi = _dpi(image)
    gray = image.convert("L")
    pixels = np.array(gray)
    pad = round(PAD * dpi)
    for left, top, right, bottom in frames:
        box = (slice(max(0, round(top * gray.height) - pad), min(gray.height, round(bottom * gray.height) + pad)),
               slice(max(0, round(left * gray.width) - pad), min(gray.width, round(right * gray.width) + pad)))
        ink = pixels[box] < 128
        across, down = _edges(ink, dpi)
        # The edges first, measured without the sides (a corner is no letter); then the sides, measured
        # without what went of the edges, so that a letter beside a side still counts.
        edges = _bare_line(ink & ~down, across) & ~down
        erased = edges | _bare_line((ink & ~edges).T, down.T).T
        pixels[box][erased] = 255
    result = Image.fromarray(pixels)
    result.info["dpi"] = image.info.get("dpi", (dpi, dpi))
    return result


def write_frames(path: Path, frames: list[Box]) -> None:
    path.write_text(json.dumps([list(frame) for frame in frames]))


def read_frames(path: Path) -> list[Box]:
    return [tuple(frame) for frame in json.loads(path.read_text())] if path.exists() else []


def _dpi(image: Image.Image) -> float:
    return float((image.info.get("dpi") or (300, 300))[0]) or 300.0
