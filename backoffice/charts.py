"""The dashboard's charts, drawn server-side as SVG by pygal and served as images from their own URLs.

pygal writes its style as a ``<style>`` element and its tooltips' configuration as a ``<script>``: the
scripts are removed here (an image never runs them anyway), and the chart's own response allows its inline
style only (``views.chart``).
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

import pygal
from django.utils import formats
from django.utils.translation import gettext as _
from pygal.style import Style

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
# Colours told apart by people with the common colour-vision deficiencies (Okabe–Ito), on white.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000")
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"


def _style(colors=PALETTE) -> Style:
    return Style(
        background="#ffffff",
        plot_background="#ffffff",
        foreground="#333333",
        foreground_strong="#1a1a1a",
        foreground_subtle="#d0d0d0",
        colors=colors,
        font_family=FONT,
        label_font_size=13,
        major_label_font_size=13,
        legend_font_size=14,
        value_font_size=12,
        tooltip_font_size=12,
    )


def _config(**extra) -> dict:
    return {
        "width": 640,
        # Tall enough for the weekly chart's slanted dates and its legend on two rows (the template's
        # <img> sizes are these).
        "height": 440,
        "js": [],
        "disable_xml_declaration": True,
        "legend_at_bottom": True,
        "legend_at_bottom_columns": 3,
        "show_minor_x_labels": True,
        "truncate_legend": -1,
        "truncate_label": -1,
        "margin": 12,
        "print_values": False,
        **extra,
    }


def _without_scripts(svg: str) -> str:
    ElementTree.register_namespace("", SVG_NAMESPACE)
    ElementTree.register_namespace("xlink", "http://www.w3.org/1999/xlink")
    root = ElementTree.fromstring(svg)  # noqa: S314 - pygal's own output, not outside input
    for parent in root.iter():
        for child in list(parent):
            if child.tag.rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    return ElementTree.tostring(root, encoding="unicode")


def _render(chart) -> str:
    return _without_scripts(chart.render(is_unicode=True))


# The month's abbreviation as each language writes it (« juin », « juil. », « Sept. »): Django's « M »
# cuts every month to three letters, which in French makes June and July « Jui » and « Jul ».
def short_date(day) -> str:
    return formats.date_format(day, "j N")


def month_label(day) -> str:
    return formats.date_format(day, "N Y")


def weekly_chart(weekly: dict) -> str:
    chart = pygal.StackedBar(
        style=_style(), **_config(y_title=_("Commandes reçues"), x_label_rotation=30, legend_at_bottom_columns=2,
                               margin_bottom=48)
    )
    chart.x_labels = [short_date(week) for week in weekly["weeks"]]
    for label, counts in weekly["series"]:
        chart.add(label, counts)
    return _render(chart)


def backlog_chart(backlog: list[dict]) -> str:
    chart = pygal.Bar(style=_style(), **_config(y_title=_("Commandes en attente"), show_legend=False))
    chart.x_labels = [bucket["label"] for bucket in backlog]
    chart.add(_("Commandes en attente"), [bucket["count"] for bucket in backlog])
    return _render(chart)


def lead_time_chart(lead_times: dict) -> str:
    # One colour per stage; its median in a full line, its 90th percentile dashed.
    colors = tuple(color for color in PALETTE[:3] for _twice in range(2))
    chart = pygal.Line(
        style=_style(colors), **_config(width=1280, height=420, y_title=_("Jours"), legend_at_bottom_columns=3)
    )
    chart.x_labels = [month_label(month) for month in lead_times["months"]]
    for stage in lead_times["stages"]:
        chart.add(_("%(stage)s, médiane") % {"stage": stage["label"]},
                  [_rounded(month["median"]) for month in stage["months"]])
        chart.add(_("%(stage)s, 90e centile") % {"stage": stage["label"]},
                  [_rounded(month["p90"]) for month in stage["months"]],
                  stroke_style={"dasharray": "6, 4"})
    return _render(chart)


def _rounded(days: float | None) -> float | None:
    return None if days is None else round(days, 1)


CHARTS = {"commandes-par-semaine": ("sales", "weekly", weekly_chart),
          "attente-par-anciennete": ("sales", "backlog", backlog_chart),
          "delais-par-etape": ("sales", "lead_times", lead_time_chart)}
