"""'Show us the error': a seller's screenshot read in memory and its text masked, or refused."""

from __future__ import annotations

import functools
import io
import os
import re
import threading
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, ImageStat

from wizard.flows import Flow, Reading, read_words
from wizard.flows.masking import about_the_error, mask_screen_text

from .forms import WORDS_LENGTH

# What a phone saves a screenshot as; no other decoder of Pillow's ever sees the bytes.
FORMATS = ("PNG", "JPEG", "WEBP")
# Tesseract reads about 30-pixel letters best: a small screenshot is enlarged, a huge one
# reduced, which also bounds the time its page layout takes.
SMALLEST_SIDE = 900
LARGEST_SIDE = 2600
# Fewer words than this (of three letters or more), or a lower mean confidence, is an
# image without text: noise or a photo reads as a few random letters.
FEWEST_WORDS = 2
LOWEST_CONFIDENCE = 45
# A file that is also a web page, a script or a document: never a phone's screenshot.
FOREIGN_MARKS = (b"<script", b"<html", b"<!doctype", b"<?php", b"<svg", b"%pdf-", b"<iframe")
# Where Debian's tesseract-ocr packages put the languages, newest first.
TESSDATA_DIRS = ("/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata")

REFUSALS: dict[str, Promise] = {
    "missing": _("Please choose a screenshot to send."),
    "too_big": _("That file is larger than 5 MB. Send a normal screenshot from your phone."),
    "too_many_pixels": _(
        "That image is too large (over 20 megapixels). Send a normal screenshot from your phone."
    ),
    "not_image": _(
        "That file is not a screenshot we can read. Send a PNG, JPG or WebP image from your phone."
    ),
    "animated": _("That image moves. Send a still screenshot of the message."),
    "no_text": _(
        "We could not find any text in that image. Send a screenshot that shows the message, "
        "or answer the questions instead."
    ),
    "slow": _(
        "Reading that screenshot took too long. Answer the questions instead, or try a "
        "screenshot of just the message."
    ),
    "unavailable": _(
        "Reading screenshots is not available right now. Please answer the questions instead."
    ),
}


class Refused(Exception):
    """A screenshot we will not or cannot read, with the reason's code (see REFUSALS)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    @property
    def message(self) -> Promise:
        """What the seller is told, in the page's language."""
        return REFUSALS[self.reason]


@dataclass(frozen=True)
class Screenshot:
    """What a screenshot says, masked (shown, and kept if the seller continues), what its
    words point at, and how long reading it took."""

    text: str
    reading: Reading
    seconds: float


def tessdata() -> str | None:
    """The folder holding Tesseract's languages for screenshots, or None without them."""
    wanted = str(settings.SCREENSHOT_LANGUAGES).split("+")
    configured = str(settings.SCREENSHOT_TESSDATA)
    folders = (
        [configured] if configured else [os.environ.get("TESSDATA_PREFIX", ""), *TESSDATA_DIRS]
    )
    for folder in filter(None, folders):
        if all((Path(folder) / f"{language}.traineddata").is_file() for language in wanted):
            return str(folder)
    return None


def is_available() -> bool:
    """Whether this server can read screenshots: Tesseract's library and both languages."""
    if not settings.SCREENSHOT_READING:
        return False
    return _library_loads() and tessdata() is not None


@functools.cache
def _library_loads() -> bool:
    try:
        import tesserocr  # noqa: F401
    except ImportError:
        return False
    return True


def upload_of(request: HttpRequest) -> Any:
    """The screenshot a request sent; Refused when it was too large to be kept in memory
    (Django then drops the file: settings.FILE_UPLOAD_MAX_MEMORY_SIZE)."""
    upload = request.FILES.get("image")
    if upload is None and _length(request) > settings.SCREENSHOT_MAX_BYTES:
        raise Refused("too_big")
    return upload


def _length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def read(upload: Any, flow: Flow, *, at: str | None) -> Screenshot:
    """An uploaded screenshot's masked text and what it says about the question `at` (None:
    the flow's first); Refused when it is not one we can read.

    The words are matched before masking, as a seller's typed words are: masking may
    take a plain word for a name ("Insufficient stock"), and no option's words are
    personal; the lines of personal details are left out. The unmasked text never
    leaves this function."""
    words, seconds = text_of(upload)
    # What the seller continues with is sent back in a form that takes this much.
    text = mask_screen_text(words, flow)[:WORDS_LENGTH]
    return Screenshot(text, read_words(flow, about_the_error(words, flow), at=at), seconds)


def text_of(upload: Any) -> tuple[str, float]:
    """The text Tesseract reads in an uploaded screenshot, unmasked, and the seconds it took.

    The bytes stay in this process's memory: Django's upload handler keeps them there
    (settings.FILE_UPLOAD_HANDLERS), and Tesseract reads the decoded pixels through its
    library, not a file or a command."""
    if not is_available():
        raise Refused("unavailable")
    if upload is None:
        raise Refused("missing")
    if upload.size > settings.SCREENSHOT_MAX_BYTES:
        raise Refused("too_big")
    started = time.perf_counter()
    image = decode(upload.read(settings.SCREENSHOT_MAX_BYTES + 1))
    return _within_time(image), time.perf_counter() - started


def decode(data: bytes) -> Image.Image:
    """The still image in the bytes, upright, grey and sized for Tesseract; Refused when
    it is not one PNG, JPEG or WebP of at most SCREENSHOT_MAX_PIXELS."""
    if not data:
        raise Refused("missing")
    if len(data) > settings.SCREENSHOT_MAX_BYTES:
        raise Refused("too_big")
    if not _is_only_an_image(data):
        raise Refused("not_image")
    with warnings.catch_warnings():
        # Pillow warns of a likely decompression bomb before it refuses one: both refuse here.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=FORMATS)
            if image.width * image.height > settings.SCREENSHOT_MAX_PIXELS:
                raise Refused("too_many_pixels")
            # A phone camera's JPEG may carry a second picture (MPO): that is not motion.
            if getattr(image, "is_animated", False) and image.format != "MPO":
                raise Refused("animated")
            image.load()
            return _prepared(image)
        except Refused:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise Refused("too_many_pixels") from error
        except Exception as error:
            # A hostile or broken file can trip any part of a decoder (OSError, struct.error,
            # IndexError in EXIF, …): whatever it is, it is not a screenshot we can read.
            raise Refused("not_image") from error


def _is_only_an_image(data: bytes) -> bool:
    """Whether the bytes are one PNG, JPEG or WebP and nothing else (no polyglot): the
    format's end is the file's end, and no web page, script or document hides inside."""
    lowered = data.lower()
    if any(mark in lowered for mark in FOREIGN_MARKS):
        return False
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        end = data.rfind(b"IEND")
        return end != -1 and len(data) == end + 8  # the chunk's type, then its CRC
    if data.startswith(b"\xff\xd8\xff"):
        return data.rstrip(b"\x00").endswith(b"\xff\xd9")
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        size = int.from_bytes(data[4:8], "little")
        return len(data) == size + 8 + (size % 2)
    return False


def _prepared(image: Image.Image) -> Image.Image:
    """Grey, upright, light background, and a size Tesseract reads well."""
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        background = Image.new("RGB", image.size, "white")
        background.paste(image.convert("RGBA"), mask=image.convert("RGBA").getchannel("A"))
        image = background
    grey = image.convert("L")
    longest, shortest = max(grey.size), min(grey.size)
    if longest > LARGEST_SIDE:
        grey.thumbnail((LARGEST_SIDE, LARGEST_SIDE))
    elif shortest < SMALLEST_SIDE:
        factor = min(3.0, SMALLEST_SIDE / max(shortest, 1), LARGEST_SIDE / longest)
        grey = grey.resize((round(grey.width * factor), round(grey.height * factor)))
    # Dark mode: Tesseract expects dark letters on a light page.
    if ImageStat.Stat(grey).median[0] < 110:
        grey = ImageOps.invert(grey)
    return grey


def _recognise(image: Image.Image) -> str:
    api = _tesseract()
    api.SetImage(image)
    try:
        if not api.Recognize(timeout=round(settings.SCREENSHOT_SECONDS * 1000)):
            raise Refused("slow")
        text = api.GetUTF8Text()
        confidence = api.MeanTextConf()
    finally:
        api.Clear()
    lines = (" ".join(line.split()) for line in text.splitlines())
    text = "\n".join(line for line in lines if line)[:WORDS_LENGTH]
    words = re.findall(r"[^\W\d_]{3,}", text)
    if len(words) < FEWEST_WORDS or confidence < LOWEST_CONFIDENCE:
        raise Refused("no_text")
    return text


# One Tesseract per reading thread (its API is not thread-safe), made once: loading the
# two languages costs more than reading a screenshot.
_local = threading.local()
_readers: ThreadPoolExecutor | None = None
_readers_lock = threading.Lock()
READERS = 2  # per process: a gunicorn worker's two threads each have one


def _within_time(image: Image.Image) -> str:
    """The image's text, or Refused("slow") once SCREENSHOT_SECONDS have passed.

    Tesseract's own deadline covers recognition but not the page layout before it, which
    takes seconds on a screen dense with text: the request stops waiting on the clock,
    while the reading thread finishes on its own (its deadline ends it soon after)."""
    global _readers
    with _readers_lock:
        if _readers is None:  # made in the serving process, never before a fork
            _readers = ThreadPoolExecutor(READERS, thread_name_prefix="screenshot")
    reading = _readers.submit(_recognise, image)
    try:
        return reading.result(timeout=settings.SCREENSHOT_SECONDS)
    except FutureTimeout as late:
        reading.cancel()
        raise Refused("slow") from late


def _tesseract() -> Any:
    """This thread's Tesseract, loaded with settings.SCREENSHOT_LANGUAGES."""
    import tesserocr

    folder = tessdata()
    if folder is None:
        raise Refused("unavailable")
    wanted = (folder, settings.SCREENSHOT_LANGUAGES)
    if getattr(_local, "wanted", None) != wanted:
        try:
            _local.api = tesserocr.PyTessBaseAPI(
                path=folder.rstrip("/") + "/",
                lang=settings.SCREENSHOT_LANGUAGES,
                psm=tesserocr.PSM.AUTO,
                oem=tesserocr.OEM.LSTM_ONLY,
            )
        except RuntimeError as error:
            raise Refused("unavailable") from error
        _local.wanted = wanted
    return _local.api
