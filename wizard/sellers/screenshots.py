"""'Show us the error': a seller's screenshot read in memory and its text masked, or refused."""

from __future__ import annotations

import functools
import io
import os
import re
import threading
import time
import warnings
from collections.abc import Iterator
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

from wizard.flows import Flow, Text
from wizard.flows.match import mask

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
    """The text read from a screenshot, masked, and how long reading it took."""

    text: str
    seconds: float


def tessdata() -> str | None:
    """The folder holding Tesseract's languages for screenshots, or None without them."""
    wanted = settings.SCREENSHOT_LANGUAGES.split("+")
    configured = settings.SCREENSHOT_TESSDATA
    folders = (
        [configured] if configured else [os.environ.get("TESSDATA_PREFIX", ""), *TESSDATA_DIRS]
    )
    for folder in filter(None, folders):
        if all((Path(folder) / f"{language}.traineddata").is_file() for language in wanted):
            return folder
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


def read(upload: Any, flow: Flow) -> Screenshot:
    """The masked text of an uploaded screenshot; Refused when it is not one we can read.

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
    raw = _within_time(image)
    # What the seller continues with is sent back in a form that takes this much.
    text = mask_screenshot_text(raw, vocabulary(flow))[:WORDS_LENGTH]
    return Screenshot(text, time.perf_counter() - started)


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


# --- Masking: what support may read of a screenshot --------------------------------------

# A label on a screen and the person's details after it, or a greeting and a name.
NAME_LABELS = re.compile(
    r"(?im)\b(nama(?: penerima| pembeli| lengkap)?|penerima|pembeli|kepada|name|recipient|"
    r"buyer|customer|username)(\s*:\s*)(?!\[)([^\n,;|]{2,60})"
)
GREETING = re.compile(r"\b(Dear|Hai|Halo|Hello|Hi|Yth\.?|Kepada)(\s+)((?:[A-Z][\w'.]*\s?){1,4})")
ADDRESS_LABELS = re.compile(r"(?im)^(.*?\b(?:alamat|address)\s*:\s*)(.+)$")
# A line of an address: a street, a neighbourhood unit or a five-digit postcode.
ADDRESS_LINE = re.compile(
    r"(?i)\b(jl|jln|jalan|gg|gang|komplek|perum|blok|rt|rw|kel|kelurahan|kec|kecamatan|"
    r"kab|kabupaten|desa|dusun|street|st|road|rd)\b\.?\s*[\w/]|\b\d{5}\b"
)
HANDLE = re.compile(r"(?<![\w@])@[\w.]{2,}")
WORD = re.compile(r"[^\W\d_][^\W_]*(?:['\u2019][^\W\d_]+)?")


def mask_screenshot_text(text: str, known: frozenset[str]) -> str:
    """The text with phone, order and tracking numbers, e-mails, handles, addresses and
    names replaced by marks.

    A name is what a label introduces ("Penerima: …"), or a capitalised word the flow and
    the screens never use, with the capitalised words beside it. No dictionary decides:
    Budi, Dewi and Sari are Indonesian words too, and a name let through is worse than a
    plain word masked (matching loses nothing: every word of the flow is known)."""
    text = mask(text)
    text = HANDLE.sub("[@]", text)
    text = ADDRESS_LABELS.sub(lambda match: match.group(1) + "[address]", text)
    text = "\n".join(
        "[address]" if ADDRESS_LINE.search(line) else line for line in text.splitlines()
    )
    for labelled in (NAME_LABELS, GREETING):
        text = labelled.sub(_name_after_label, text)
    return "\n".join(_mask_names(line, known).rstrip() for line in text.splitlines())


def _name_after_label(match: re.Match[str]) -> str:
    name = match.group(3)
    return match.group(1) + match.group(2) + "[name]" + name[len(name.rstrip()) :]


def _mask_names(line: str, known: frozenset[str]) -> str:
    words = list(WORD.finditer(line))
    # An acronym (COD, SPX, JNE) is not a name; a name in capitals comes after a label.
    capitalised = [
        word.group()[0].isupper() and not (word.group().isupper() and len(word.group()) <= 4)
        for word in words
    ]
    unknown = [
        capital and word.group().lower() not in known
        for word, capital in zip(words, capitalised, strict=True)
    ]
    masked = set(_spread(unknown, capitalised))
    pieces: list[str] = []
    end = 0
    for number, word in enumerate(words):
        if number not in masked:
            continue
        between = line[end : word.start()]
        if number - 1 not in masked or between.strip():
            pieces += [between, "[name]"]  # a run of name words is one mark
        end = word.end()
    pieces.append(line[end:])
    return "".join(pieces)


def _spread(unknown: list[bool], capitalised: list[bool]) -> Iterator[int]:
    """The unknown capitalised words, and the capitalised words next to them: "Budi" is
    in a dictionary, but not beside "Santoso"."""
    masked = {number for number, flag in enumerate(unknown) if flag}
    grown = True
    while grown:
        grown = False
        for number in list(masked):
            for neighbour in (number - 1, number + 1):
                inside = 0 <= neighbour < len(capitalised)
                if inside and capitalised[neighbour] and neighbour not in masked:
                    masked.add(neighbour)
                    grown = True
    yield from sorted(masked)


_vocabularies: dict[int, tuple[Flow, frozenset[str]]] = {}


def vocabulary(flow: Flow) -> frozenset[str]:
    """Every word the flow uses in either language, lower case (kept per flow: a version
    never changes)."""
    kept = _vocabularies.get(id(flow))
    if kept is not None and kept[0] is flow:
        return kept[1]
    texts: list[str] = list(SCREEN_WORDS)
    for question in flow.questions.values():
        texts += _both(question.text) + (_both(question.help) if question.help else [])
        for option in question.options:
            texts += _both(option.label) + list(option.keywords)
    for solution in flow.solutions.values():
        texts += _both(solution.title) + _both(solution.cause) + _both(solution.check)
        for step in solution.steps:
            texts += _both(step)
    words = frozenset(word.lower() for text in texts for word in WORD.findall(text))
    _vocabularies[id(flow)] = (flow, words)
    return words


def _both(text: Text) -> list[str]:
    return [text.id, text.en]


# Words of TikTok Shop's and a phone's screens that a flow need not use.
_SCREENS = (
    "TikTok Shop Seller Center Tokopedia Android iPhone iOS OK Oke Batal Cancel Tutup Close "
    "Kembali Back Beranda Home Pesanan Orders Produk Products Pengaturan Settings Bantuan Help "
    "Notifikasi Notifications Pemberitahuan Peringatan Warning Error Gagal Failed Sukses Success "
    "Coba Try Lagi Again Nanti Later Detail Details Lihat View Semua All Cari Search Rp WIB WITA "
    "WIT Senin Selasa Rabu Kamis Jumat Sabtu Minggu Januari Februari Maret April Mei Juni Juli "
    "Agustus September Oktober November Desember January February March May June July August "
    "October December Monday Tuesday Wednesday Thursday Friday Saturday Sunday Ginee BigSeller "
    "Jubelio EasyBoss SiCepat JNE J&T SPX Shopee Express AnterAja GoSend GrabExpress Ninja "
    "Paxel Lion Parcel Pos Indonesia COD Silakan Mohon Harap Please The This That Your You We "
    "Anda Kami Ini Itu Jika If When Saat Untuk For Tidak Not No Yes Ya Dan And Atau Or Dengan "
    "With Perbarui Update Atur Set Hubungkan Reconnect Sinkronisasi Sync Unable Can't Cannot "
    "Halo Hai Hello Hi Dear Yth Kepada Telepon Phone Penerima Recipient Pembeli Buyer Alamat "
    "Address Nama Name Detail Order ID"
)
SCREEN_WORDS = _SCREENS.split()
