"""Full-page screenshots of a page at a phone's and a desktop's width, for a person to look at
(.run/ is not tracked)."""

from pathlib import Path

from services.infra.config import ROOT

SCREENSHOTS = ROOT / ".run" / "screenshots"
SIZES = ({"width": 360, "height": 740}, {"width": 1280, "height": 900})


def screenshots(page, name: str) -> list[Path]:
    """`.run/screenshots/<name>-360.png` and `<name>-1280.png`; the page's viewport is put back
    afterwards."""
    viewport = page.viewport_size
    paths = []
    try:
        for size in SIZES:
            page.set_viewport_size(size)
            path = SCREENSHOTS / f"{name}-{size['width']}.png"
            page.screenshot(path=path, full_page=True)
            paths.append(path)
    finally:
        page.set_viewport_size(viewport)
    return paths
