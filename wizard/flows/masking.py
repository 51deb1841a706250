"""What support may read of a screenshot's text: names, addresses, handles, phone, order
and tracking numbers masked, the words of the error kept."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .document import Flow, Text
from .match import mask

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


def mask_screen_text(text: str, flow: Flow) -> str:
    """The text with everything personal masked, knowing the flow's words (see `masked`)."""
    return masked(text, vocabulary(flow))


MARK = re.compile(r"\[[^\]\n]{1,20}\]")
LABEL = re.compile(r"[^\W\d_][\w.]*(?: [\w.]+){0,2}:")


# A line of an order's items: a short name and its price ("Produk 1 - Rp 49.000").
LISTING = re.compile(r"(?i)[^\W\d_][\w ]{0,40}?[\W_]{0,3}\s*Rp\s?\d[\d.,]*")


def about_the_error(text: str, flow: Flow) -> str:
    """The lines of a screen that may say what went wrong: not its personal details (a
    line the masking reduces to marks, or to a label and marks: "Address: [address]"),
    nor the order's items with their prices. Their words would be read as the problem:
    "Alamat" is a setting the error may name, "Produk" a problem with a product."""
    lines = text.splitlines()
    shown = mask_screen_text(text, flow).splitlines()
    if len(shown) != len(lines):
        return text
    return "\n".join(
        line
        for line, mask in zip(lines, shown, strict=True)
        if not _details(mask) and not LISTING.fullmatch(line.strip())
    )


def _details(line: str) -> bool:
    if not MARK.search(line):
        return False
    rest = MARK.sub(" ", line).strip()
    return not rest or LABEL.fullmatch(rest) is not None


def masked(text: str, known: frozenset[str]) -> str:
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
