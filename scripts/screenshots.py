"""Regenerate the README's screenshots of the Carte page: a laptop (1440×900) and a phone (390×844).

    .venv/bin/python scripts/screenshots.py            # writes docs/captures/*.png

Starts the app on a free local port (as the browser tests do), opens the Carte page in Debian's
Chromium with no network, waits until the map is drawn and the whole page has arrived, and saves
each view reduced to a 128-colour palette (small files to commit).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUT = ROOT / "docs" / "captures"
# (file, width, height, phone)
VIEWS = (("carte-1440x900.png", 1440, 900, False), ("carte-telephone-390x844.png", 390, 844, True))
READY_JS = "() => !!(window.map_div && window.map_div.getZoom && window.erbm && window.erbm.loaded)"


def small_png(png: bytes) -> bytes:
    """The screenshot as a 128-colour palette PNG (a map's flat colours survive; a third the size)."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def main() -> int:
    from playwright.sync_api import sync_playwright

    from tests.browser_support import CHROMIUM_ARGS, chromium_path, running_app

    chromium = chromium_path()
    if chromium is None:
        print("Chromium est introuvable (paquet Debian « chromium ») : captures non refaites.", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    with running_app() as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        for name, width, height, phone in VIEWS:
            context = browser.new_context(
                viewport={"width": width, "height": height}, is_mobile=phone, has_touch=phone, locale="fr-FR"
            )
            page = context.new_page()
            page.goto(url + "/")
            page.wait_for_function(READY_JS, timeout=90_000)
            page.locator(
                '[data-testid="stSidebarNav"], [data-testid="stSidebarCollapsedControl"] button'
            ).first.wait_for(state="attached", timeout=90_000)
            page.wait_for_timeout(1500)
            data = small_png(page.screenshot())
            (OUT / name).write_bytes(data)
            print(f"{OUT / name} : {len(data) // 1024} Kio")
            context.close()
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
