"""Insight's charts, drawn on the server as SVG: no script, no style, nothing fetched."""

from __future__ import annotations

from xml.sax.saxutils import escape

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .insight import Day

WIDTH, HEIGHT = 720, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 12, 34
SELLERS, AGENTS, INK, GRID = "#1a56db", "#9ca3af", "#374151", "#e5e7eb"


def started_chart(days: list[Day]) -> str:
    """Sessions started per day as bars (agent sessions stacked on top, in grey)."""
    busiest = max([day.sellers + day.agents for day in days] + [1])
    inner_width, inner_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = inner_width / max(len(days), 1)
    title = _("Sessions started per day")
    total = sum(day.sellers for day in days)
    summary = ngettext(
        "%(count)s session by sellers over %(days)s days; the table below lists each day.",
        "%(count)s sessions by sellers over %(days)s days; the table below lists each day.",
        total,
    ) % {"count": total, "days": len(days)}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        'aria-labelledby="started-title started-desc" font-family="sans-serif" font-size="11">',
        f'<title id="started-title">{escape(title)}</title>',
        f'<desc id="started-desc">{escape(summary)}</desc>',
    ]
    for share in (0, 0.5, 1):
        y = TOP + inner_height * (1 - share)
        out.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
        )
        out.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{INK}">'
            f"{round(busiest * share)}</text>"
        )
    for number, day in enumerate(days):
        x = LEFT + number * step + step * 0.1
        seller_height = inner_height * day.sellers / busiest
        agent_height = inner_height * day.agents / busiest
        bottom = TOP + inner_height
        label = _("%(day)s: %(sellers)s by sellers, %(agents)s in agent mode") % {
            "day": date_format(day.day, "j M Y"),
            "sellers": day.sellers,
            "agents": day.agents,
        }
        out += [
            f"<g><title>{escape(label)}</title>",
            f'<rect x="{x:.1f}" y="{bottom - seller_height:.1f}" width="{step * 0.8:.1f}" '
            f'height="{seller_height:.1f}" fill="{SELLERS}"/>',
            f'<rect x="{x:.1f}" y="{bottom - seller_height - agent_height:.1f}" '
            f'width="{step * 0.8:.1f}" height="{agent_height:.1f}" fill="{AGENTS}"/></g>',
        ]
    for number in sorted({0, len(days) // 2, len(days) - 1}):
        if 0 <= number < len(days):
            x = LEFT + (number + 0.5) * step
            out.append(
                f'<text x="{x:.1f}" y="{HEIGHT - 12}" text-anchor="middle" fill="{INK}">'
                f"{escape(date_format(days[number].day, 'j M'))}</text>"
            )
    out.append("</svg>")
    return "\n".join(out)
