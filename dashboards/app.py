"""The Nodding Terms dashboard: Explore, What if and Classroom pages, in English and Dutch.

Serve it with `make run`, `nodding dashboard` or
`python -m solara run nodding.dashboards.app --production --host localhost --port 8765`.
"""

from __future__ import annotations

import os

# one numba thread: the browser and other sessions need the second core
os.environ.setdefault("NUMBA_NUM_THREADS", "1")

import solara  # noqa: E402

from .classroom import Classroom  # noqa: E402
from .explore import Explore  # noqa: E402
from .text import language, t  # noqa: E402
from .whatif import WhatIf  # noqa: E402

CSS = """
.nt-nav a { color: white; margin-right: 18px; font-size: 1.1em; text-decoration: none; }
.nt-nav a.nt-here { border-bottom: 3px solid white; font-weight: bold; }
.day-label { margin-right: 16px; }
.effect-table { border-collapse: collapse; margin: 8px 0 16px 0; }
.effect-table th, .effect-table td { padding: 4px 12px; border-bottom: 1px solid #ddd; text-align: left; }
.effect-table th { background: #eef3f5; }
.band-table th, .band-table td { padding: 3px 10px; }
.band-table td:first-child { white-space: nowrap; }
.band-table th:not(:first-child), .band-table td:not(:first-child) { text-align: right; }
.band-table tr:nth-last-child(-n+2) td { background: #f4f6f7; }
.band-table tr:last-child td { font-weight: bold; }
"""

PAGES = (("", "nav_explore"), ("classroom", "nav_classroom"), ("what-if", "nav_whatif"))


@solara.component
def Layout(children=[]):
    """A bar with the pages and the language switch, then the page. Keyed by route, so a page's
    widgets never leak into the next (a known trap of multi-page Solara apps)."""
    route, _ = solara.use_route()
    here = route.path if route else ""
    solara.Style(CSS)
    solara.Title(t("app_title"))
    with solara.Column(style={"min-height": "100vh", "background": "#fafafa"}, gap="0px"):
        with solara.Row(style={"background": "#1f4e5f", "color": "white", "padding": "10px 16px",
                               "align-items": "center"}, classes=["nt-nav"]):
            solara.Text(t("app_title"), style={"font-size": "1.4em", "font-weight": "bold", "margin-right": "8px"})
            solara.Text(t("tagline"), style={"opacity": "0.8", "margin-right": "28px"})
            for path, key in PAGES:
                with solara.Link(f"/{path}"):
                    solara.Text(t(key), classes=["nt-here"] if path == here else [])
            solara.v.Spacer()
            solara.Button(t("language"), on_click=lambda: language.set("nl" if language.value == "en" else "en"),
                          outlined=True, color="white", classes=["language"])
        solara.Column(children=children, style={"padding": "0"}).key(f"page-{here}")


routes = [
    solara.Route(path="/", component=Explore, label="Explore", layout=Layout),
    solara.Route(path="classroom", component=Classroom, label="Classroom"),
    solara.Route(path="what-if", component=WhatIf, label="What if"),
]
