"""The web page: static files under serve_app/static/, read once at start-up and served by the
ingress itself (no CDN, no build step), so the page works wherever the API does, offline too."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response

STATIC_DIR = Path(__file__).parent / "static"
INDEX = "index.html"
_MEDIA_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml"}


@dataclass(frozen=True)
class StaticFile:
    body: bytes
    media_type: str

    async def respond(self, request: Request) -> Response:
        return Response(self.body, media_type=self.media_type, headers={"Cache-Control": "no-cache"})


def static_files() -> dict[str, StaticFile]:
    """URL path -> file: `/` is the page, `/static/<name>` everything it loads."""
    files = {f"/static/{path.name}": StaticFile(path.read_bytes(), _MEDIA_TYPES[path.suffix])
             for path in sorted(STATIC_DIR.iterdir()) if path.suffix in _MEDIA_TYPES and path.name != INDEX}
    return {"/": StaticFile((STATIC_DIR / INDEX).read_bytes(), _MEDIA_TYPES[".html"]), **files}
