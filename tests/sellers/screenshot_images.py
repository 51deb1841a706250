"""Phone screenshots drawn with Pillow, for the screenshot tests and scripts/screenshot_figures.py."""

from __future__ import annotations

import io
import random
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFilter, ImageFont

PHONE = (1080, 2340)  # a common Android phone's screen, in pixels


@dataclass(frozen=True)
class Case:
    """An error a seller may see, in one language, and the answers it should lead to."""

    name: str
    language: str
    title: str
    message: str
    first: str  # the expected answer to the flow's first question (where)
    error: str  # the expected answer to the question about the error


CASES = (
    Case(
        "names_setting",
        "id",
        "Gagal mengatur pengiriman",
        "Alamat pengambilan belum diatur. Atur alamat gudang di Pengaturan Gudang.",
        "cannot_ship",
        "names_setting",
    ),
    Case(
        "names_setting",
        "en",
        "Unable to arrange shipment",
        "Warehouse address missing. Set your pickup address in Warehouse Settings.",
        "cannot_ship",
        "names_setting",
    ),
    Case(
        "generic",
        "id",
        "Atur pengiriman gagal",
        "Terjadi kesalahan. Silakan coba lagi nanti.",
        "cannot_ship",
        "generic",
    ),
    Case(
        "generic",
        "en",
        "Arrange shipment failed",
        "Something went wrong. Please try again later.",
        "cannot_ship",
        "generic",
    ),
    Case(
        "no_courier",
        "id",
        "Gagal mengatur pengiriman",
        "Kurir tidak tersedia untuk alamat ini. Tidak ada ekspedisi yang dapat dipilih.",
        "cannot_ship",
        "no_courier",
    ),
    Case(
        "no_courier",
        "en",
        "Can't arrange shipment",
        "No shipping provider is available for this address.",
        "cannot_ship",
        "no_courier",
    ),
    Case(
        "stock",
        "id",
        "Pesanan tidak bisa diproses",
        "Stok habis untuk varian ini. Perbarui stok sebelum memproses pesanan.",
        "cannot_ship",
        "stock",
    ),
    Case(
        "stock",
        "en",
        "Cannot process order",
        "This variant is out of stock. Update the stock before processing the order.",
        "cannot_ship",
        "stock",
    ),
    Case(
        "label_fail",
        "id",
        "Paket bermasalah",
        "Gagal cetak label: alamat pembeli tidak valid.",
        "cannot_ship",
        "label_fail",
    ),
    Case(
        "label_fail",
        "en",
        "Abnormal package",
        "Label failed: the buyer's address is not valid.",
        "cannot_ship",
        "label_fail",
    ),
    Case(
        "tool",
        "id",
        "Sinkronisasi Ginee gagal",
        "Otorisasi kedaluwarsa. Hubungkan ulang toko Anda di Ginee.",
        "cannot_ship",
        "tool",
    ),
    Case(
        "tool",
        "en",
        "BigSeller sync failed",
        "Authorization expired. Reconnect your shop in BigSeller.",
        "cannot_ship",
        "tool",
    ),
)

# The same errors worded as the platform might, in words the flow's keywords do not use.
PARAPHRASED = (
    Case(
        "names_setting",
        "id",
        "Pengiriman tidak dapat diatur",
        "Alamat gudang Anda belum lengkap. Lengkapi di Pengaturan Gudang.",
        "cannot_ship",
        "names_setting",
    ),
    Case(
        "names_setting",
        "en",
        "Shipment cannot be arranged",
        "Your warehouse address is incomplete. Complete it in Warehouse Settings.",
        "cannot_ship",
        "names_setting",
    ),
    Case(
        "generic",
        "id",
        "Gagal",
        "Sistem sedang sibuk. Mohon coba beberapa saat lagi.",
        "cannot_ship",
        "generic",
    ),
    Case(
        "generic",
        "en",
        "Failed",
        "The system is busy. Please try again in a moment.",
        "cannot_ship",
        "generic",
    ),
    Case(
        "no_courier",
        "id",
        "Gagal mengatur pengiriman",
        "Layanan logistik tidak mendukung rute ini.",
        "cannot_ship",
        "no_courier",
    ),
    Case(
        "no_courier",
        "en",
        "Unable to arrange shipment",
        "The logistics service does not support this route.",
        "cannot_ship",
        "no_courier",
    ),
    Case(
        "stock",
        "id",
        "Tidak bisa memproses pesanan",
        "Jumlah stok tidak mencukupi untuk pesanan ini.",
        "cannot_ship",
        "stock",
    ),
    Case(
        "stock",
        "en",
        "Unable to process order",
        "Insufficient stock for this order.",
        "cannot_ship",
        "stock",
    ),
    Case(
        "label_fail",
        "id",
        "Label pengiriman gagal dibuat",
        "Berat paket melebihi batas layanan.",
        "cannot_ship",
        "label_fail",
    ),
    Case(
        "label_fail",
        "en",
        "Shipping label could not be created",
        "The parcel weight exceeds the service limit.",
        "cannot_ship",
        "label_fail",
    ),
    Case(
        "tool",
        "id",
        "Pesanan gagal disinkronkan",
        "Token otorisasi aplikasi pihak ketiga tidak valid.",
        "cannot_ship",
        "tool",
    ),
    Case(
        "tool",
        "en",
        "Order sync failed",
        "The third-party app's authorization token is invalid.",
        "cannot_ship",
        "tool",
    ),
)

# What a real screen shows around the message: a person, a phone number, an address and
# an order number, which the text we keep must not.
BUYER = "Budi Santoso"
PHONE_NUMBER = "0812-3456-7890"
ADDRESS = "Jl. Melati No. 12, RT 03/RW 05, Kec. Cibeunying, Bandung 40123"
ORDER = "578201943362019845"


def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """Pillow's own font, so a drawing needs no fonts installed."""
    return ImageFont.load_default(size=size)


def draw(case: Case, *, dark: bool = False) -> Image.Image:
    """A phone's order page with the error's banner over it."""
    width = PHONE[0]
    ink, paper, grey = (
        ((235, 235, 235), (18, 18, 18), (150, 150, 150))
        if dark
        else ((20, 20, 20), (255, 255, 255), (110, 110, 110))
    )
    image = Image.new("RGB", PHONE, paper)
    pen = ImageDraw.Draw(image)
    small, body, big = font(34), font(40), font(50)
    pen.rectangle((0, 0, width, 90), fill=(0, 0, 0))
    pen.text((40, 25), "14:07", font=small, fill="white")
    pen.text((width - 200, 25), "4G  76%", font=small, fill="white")
    heading = "Detail pesanan" if case.language == "id" else "Order details"
    pen.text((40, 140), heading, font=big, fill=ink)
    labels = (
        ("Penerima", "Telepon", "Alamat", "No. pesanan")
        if case.language == "id"
        else ("Recipient", "Phone", "Address", "Order ID")
    )
    for row, (label, value) in enumerate(
        zip(labels, (BUYER, PHONE_NUMBER, ADDRESS[:34], ORDER), strict=True)
    ):
        pen.text((40, 260 + row * 70), f"{label}: {value}", font=small, fill=grey)
    # The error: a red banner, its title and its message wrapped to the screen.
    top = 620
    pen.rectangle(
        (30, top, width - 30, top + 420),
        fill=(253, 236, 236) if not dark else (70, 20, 20),
        outline=(210, 40, 40),
        width=5,
    )
    pen.text(
        (70, top + 40), case.title, font=big, fill=(190, 20, 20) if not dark else (255, 140, 140)
    )
    for number, line in enumerate(_wrapped(case.message, 40)):
        pen.text((70, top + 130 + number * 62), line, font=body, fill=ink)
    for row in range(8):
        pen.text(
            (40, 1150 + row * 120),
            f"Produk {row + 1} · Rp {49 + row * 7}.000",
            font=small,
            fill=grey,
        )
    return image


def _wrapped(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + len(word) < width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def roughened(
    image: Image.Image, *, seed: int, scale: float = 0.6, quality: int = 45, noise: int = 18
) -> Image.Image:
    """As a screenshot arrives after chat apps: scaled down, speckled, blurred, JPEG'd."""
    rng = random.Random(seed)
    small = image.resize(
        (round(image.width * scale), round(image.height * scale)), Image.Resampling.BILINEAR
    )
    pixels = small.load()
    assert pixels is not None
    for _ in range(small.width * small.height // 25):
        x, y = rng.randrange(small.width), rng.randrange(small.height)
        r, g, b = pixels[x, y]  # type: ignore[misc]
        shift = rng.randint(-noise, noise)
        pixels[x, y] = (
            max(0, min(255, r + shift)),
            max(0, min(255, g + shift)),
            max(0, min(255, b + shift)),
        )
    small = small.filter(ImageFilter.GaussianBlur(0.5))
    return Image.open(io.BytesIO(encoded(small, "JPEG", quality=quality)))


def encoded(image: Image.Image, format: str = "PNG", **options: object) -> bytes:
    """The image's file, as a phone would send it."""
    out = io.BytesIO()
    image.save(out, format, **options)
    return out.getvalue()
