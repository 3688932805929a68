"""Small pieces shared by the pages: a cached chart, the day label, headings, lists, tables, the play loop.

Headings, lists and tables are plain HTML rather than `solara.Markdown`, whose front-end
always fetches mermaid from the CDN: one more download that an offline laptop cannot make.
"""

from __future__ import annotations

import base64
import html
import threading
import time

import ipyvuetify
import solara
import traitlets

from . import charts
from .text import t

FRAME_SECONDS = 0.25  # during Play the page redraws at most this often; the town steps in between
MAX_BURST = 3.0       # seconds of stepping at most between two redraws


@solara.component
def Chart(make, dependencies: list, width: str = "100%"):
    """A matplotlib figure drawn once per change of `dependencies`, shown as a PNG."""
    image = solara.use_memo(lambda: charts.png(make()), dependencies)
    solara.Image(image, width=width)


class ClickableImageWidget(ipyvuetify.VuetifyTemplate):
    """A PNG that reports where it was clicked, as fractions of its width and height from the top-left.

    A Vue template compiled by the front-end Solara already loads (no other assets, so it works offline).
    """

    template = traitlets.Unicode("""
<template>
  <img :src="src" :alt="alt" :class="img_class" style="width: 100%; cursor: pointer; display: block"
       @click="clicked({x: $event.offsetX / $event.target.clientWidth,
                        y: $event.offsetY / $event.target.clientHeight})" />
</template>
""").tag(sync=True)
    src = traitlets.Unicode("").tag(sync=True)
    alt = traitlets.Unicode("").tag(sync=True)
    img_class = traitlets.Unicode("").tag(sync=True)  # not `css`: ipyvue templates use that name for styles
    callback = traitlets.Any(None)  # (x, y) -> None, on the server only

    def vue_clicked(self, data):
        if self.callback is not None:
            self.callback(float(data["x"]), float(data["y"]))


def ClickableImage(png: bytes, on_click, alt: str = "", classes: list[str] = []):
    src = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    return ClickableImageWidget.element(src=src, alt=alt, img_class=" ".join(classes), callback=on_click)


@solara.component
def DayLabel(days_lived: int, part: str, size: str = "1.6em"):
    """The day on screen: the last day the town lived, counted from 0 as everywhere, with a note saying so."""
    text = t("day_part", day=days_lived - 1, part=t(part)) if days_lived > 0 else t("before_first_day")
    with solara.Column(gap="0px"):
        solara.Text(text, style={"font-size": size, "font-weight": "bold"}, classes=["day-label"])
        solara.Text(t("day_zero_note"), style={"font-size": "0.85em", "color": "#666"}, classes=["day-note"])


def use_play(playing: solara.Reactive[bool], step, redraw, key) -> None:
    """While `playing`, call `step()` in a background thread and `redraw()` between bursts of steps.

    A page that is left stops playing (the thread is cancelled on unmount), so nothing keeps
    stepping in the background. `step()` returning False stops the play.
    """

    def loop(cancel: threading.Event):
        if not playing.value:
            return
        drawing = 0.0  # seconds the last redraw took
        while not cancel.is_set() and playing.value:
            # the town gets twice the time drawing it takes, so days keep flowing on a slow or busy machine,
            # but the picture is never more than MAX_BURST seconds behind
            until = time.perf_counter() + min(MAX_BURST, max(FRAME_SECONDS, 2 * drawing))
            while time.perf_counter() < until and not cancel.is_set() and playing.value:
                if step() is False:
                    playing.set(False)
                    break
            started = time.perf_counter()
            redraw()
            drawing = time.perf_counter() - started

    solara.use_thread(loop, dependencies=[playing.value, key], intrusive_cancel=False)

    def stop_on_leave():
        return lambda: playing.set(False)

    solara.use_effect(stop_on_leave, [])


def Heading(text: str, level: int = 3, classes: list[str] = []):
    return solara.HTML(tag=f"h{level}", unsafe_innerHTML=html.escape(text), classes=classes)


def Bold(text: str):
    return solara.Text(text, style={"font-weight": "bold"})


def Bullets(items: list[str], classes: list[str] = []):
    body = "".join(f"<li>{html.escape(item)}</li>" for item in items)
    return solara.HTML(tag="ul", unsafe_innerHTML=body, classes=classes)


def Table(header: list[str], rows: list[list[str]], classes: list[str] = []):
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return solara.HTML(tag="table", unsafe_innerHTML=f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody>",
                       classes=classes)
