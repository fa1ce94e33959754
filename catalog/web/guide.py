"""The user guide (Hướng dẫn sử dụng), reachable from every page: catalog/web/guide/huong-dan.md, the same
text docs/ points staff to, shown as HTML (Markdown without raw HTML: nothing in it can run)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markdown_it import MarkdownIt
from markupsafe import Markup

from catalog.web.site import HERE, Site

GUIDE = HERE / "guide" / "huong-dan.md"


@lru_cache(maxsize=1)
def guide_html(path: Path = GUIDE) -> Markup:
    renderer = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
    return Markup(renderer.render(path.read_text("utf-8")))


def router(site: Site) -> APIRouter:
    router = APIRouter()

    @router.get("/huong-dan", response_class=HTMLResponse)
    def guide(request: Request):
        return site.page(request, "guide.html", guide=guide_html())

    return router
