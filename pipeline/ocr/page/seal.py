"""Red seals lifted off a colour scan before OCR, so the black text printed under them stays readable.

An administrative document is signed under its agency's red seal (and often a red e-signature stamp):
the seal covers the signer's title and name. In grayscale the seal is mid-grey, and Tesseract's local
(Sauvola) binarization makes text under it one dark blot: the signer's name is lost. Red ink is bright
in the red channel, black ink is dark in every channel: the page read with its red pixels lightened to
their red value keeps the black text and loses the seal. Only a page with enough saturated red pixels
is changed (the image kept in the PDF never is).
"""
from __future__ import annotations

from PIL import Image, ImageChops

SAMPLE_WIDTH = 600  # px: enough to find a seal, cheap to measure
RED_MARGIN = 60  # red minus the larger of green and blue, for a pixel of red ink
MIN_RED = 120  # a red ink pixel's red value (dark pixels are black ink, whatever their hue)
MIN_SEAL_SHARE = 0.002  # share of red pixels on the page for a seal (a seal 4 cm across on A4: ~1.5%)


def _red_mask(image: Image.Image) -> Image.Image:
    """255 where a pixel is saturated red ink, 0 elsewhere."""
    red, green, blue = image.split()
    other = ImageChops.lighter(green, blue)
    margin = ImageChops.subtract(red, other)  # clipped at 0
    strong = margin.point(lambda v: 255 if v >= RED_MARGIN else 0)
    bright = red.point(lambda v: 255 if v >= MIN_RED else 0)
    return ImageChops.multiply(strong, bright)


def has_seal(image: Image.Image) -> bool:
    if image.mode not in ("RGB", "RGBA", "P"):
        return False
    sample = image.convert("RGB")
    if sample.width > SAMPLE_WIDTH:
        sample = sample.resize((SAMPLE_WIDTH, max(1, round(sample.height * SAMPLE_WIDTH / sample.width))),
                               Image.BOX)
    histogram = _red_mask(sample).histogram()
    return histogram[255] >= MIN_SEAL_SHARE * sample.width * sample.height


def without_seal(image: Image.Image) -> Image.Image | None:
    """The page in grayscale with its red ink lightened away; None when it has no red seal."""
    if not has_seal(image):
        return None
    rgb = image.convert("RGB")
    gray = rgb.convert("L")
    red = rgb.split()[0]
    lifted = Image.composite(red, gray, _red_mask(rgb))
    lifted.info["dpi"] = image.info.get("dpi")
    return lifted
