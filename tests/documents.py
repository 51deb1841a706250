"""Short flow documents that tests load inline."""

SOURCES = """
[sources.manual]
title = "Seller manual"
url = "https://example.com/manual"
confidence = "solid"
checked = 2026-11-01

[facts.latest_app_version]
value = "43.3.0"
source_kind = "id_official"
label = {id = "Versi terbaru", en = "Latest version"}
source = "manual"
checked = 2026-11-01

[facts.late_hours]
value = 24
unit = "hours"
source_kind = "id_official"
label = {id = "Batas jam", en = "Hour limit"}
source = "manual"
checked = 2026-11-01

[tips.daily]
text = {id = "Proses pesanan setiap hari.", en = "Process orders every day."}
"""


def solution(key: str) -> str:
    """A minimal, complete solution table."""
    return f"""
[solutions.{key}]
title = {{id = "Judul {key}", en = "Title {key}"}}
cause = {{id = "Sebab {key}", en = "Cause {key}"}}
check = {{id = "Cek {key}", en = "Check {key}"}}
steps = [{{id = "Langkah satu", en = "Step one"}}, {{id = "Langkah dua", en = "Step two"}}]
who = ["seller"]
confidence = "solid"
sources = ["manual"]
checked = 2026-11-01
tips = ["daily"]
"""


# where → (ship) placed_at → ordered → stock → app_version → settings → solutions
SMALL = (
    """
[flow]
key = "small"
title = {id = "Alur kecil", en = "Small flow"}
start = "where"

[questions.where]
kind = "choice"
text = {id = "Di mana masalahnya?", en = "Where is the problem?"}
help = {id = "Lihat halaman pesanan.", en = "Look at the orders page."}
options = [
  {value = "ship", label = {id = "Tidak bisa kirim", en = "Cannot ship"}, keywords = ["atur pengiriman", "orderan nyangkut"]},
  {value = "open", label = {id = "Tidak bisa buka", en = "Cannot open"}, keywords = ["tidak bisa buka"]},
  {value = "other", catch_all = true, label = {id = "Lainnya / tidak yakin", en = "Something else / not sure"}},
]
routes = [
  {when = "where == ship", go = "placed_at"},
  {go = "everyone"},
]

[questions.everyone]
kind = "yesno"
incident = true
text = {id = "Penjual lain juga?", en = "Other sellers too?"}
routes = [
  {when = "everyone == yes", go = "outage"},
  {go = "app_version"},
]

[questions.app_version]
kind = "version"
optional = true
text = {id = "Versi aplikasi?", en = "App version?"}
routes = [
  {when = "app_version missing", go = "update_app"},
  {when = "app_version < $latest_app_version", go = "update_app"},
  {go = "network"},
]

[questions.placed_at]
kind = "datetime"
text = {id = "Kapan pesanan dibuat?", en = "When was the order placed?"}
routes = [
  {when = "placed_at.hours_ago > $late_hours", note = "late"},
  {go = "ordered"},
]

[questions.ordered]
kind = "number"
min = 1
max = 1000
text = {id = "Berapa yang dipesan?", en = "How many were ordered?"}
routes = [{go = "stock"}]

[questions.stock]
kind = "number"
max = 100000
text = {id = "Berapa stok Anda?", en = "How many do you have?"}
routes = [
  {when = "stock < ordered", note = "out_of_stock"},
  {go = "settings"},
]

[questions.settings]
kind = "multi"
text = {id = "Mana yang sudah diatur?", en = "Which are set up?"}
options = [
  {value = "address", label = {id = "Alamat", en = "Address"}},
  {value = "bank", label = {id = "Rekening", en = "Bank account"}},
]
routes = [
  {when = "settings lacks address", go = "address"},
  {when = "stock < ordered", go = "out_of_stock"},
  {go = "contact"},
]
"""
    + SOURCES
    + "".join(
        solution(key)
        for key in ("outage", "update_app", "network", "late", "out_of_stock", "address", "contact")
    )
)
