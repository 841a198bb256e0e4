"""A headless Chromium driven over the DevTools protocol on a pipe (stdlib only): click, type, reload, download.

Chromium reads protocol messages on file descriptor 3 and writes them on 4
(``--remote-debugging-pipe``), each a JSON object ended by a NUL byte. The
page under test runs its own script under its own content security policy;
the clicks are real input events at the element's position, not calls of
its handlers.
"""
from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import time
from pathlib import Path

# a guard against a browser that stopped answering, not a speed limit
HANG_GUARD_S = 300


class BrowserError(RuntimeError):
    pass


class Browser:
    def __init__(self, chromium: str, flags: list[str], profile: Path, *, size: str = "1400,2000"):
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        command = [chromium, *flags, "--remote-debugging-pipe", f"--user-data-dir={profile}",
                   f"--window-size={size}", "about:blank"]
        # bash puts the two pipe ends on descriptors 3 and 4, where Chromium expects them (dash cannot
        # redirect from descriptors above 9)
        self.process = subprocess.Popen(
            [shutil.which("bash") or "/bin/bash", "-c", f'exec "$0" "$@" 3<&{to_browser_r} 4>&{from_browser_w}', *command],
            pass_fds=(to_browser_r, from_browser_w), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict] = []
        self.session: str | None = None

    # -- protocol ---------------------------------------------------------------------------
    def _read_message(self) -> dict:
        while b"\0" not in self._buffer:
            ready, _, _ = select.select([self._from_browser], [], [], HANG_GUARD_S)
            if not ready:
                raise BrowserError("chromium sent nothing for a long time")
            chunk = os.read(self._from_browser, 1 << 16)
            if not chunk:
                raise BrowserError(f"chromium closed the pipe: {self.process.stderr.read()[-2000:]!r}")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method: str, params: dict | None = None, *, browser_level: bool = False) -> dict:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if self.session and not browser_level:
            message["sessionId"] = self.session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read_message()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_event(self, method: str, predicate=lambda params: True) -> dict:
        while True:
            for n, event in enumerate(self.events):
                if event.get("method") == method and predicate(event.get("params", {})):
                    return self.events.pop(n)["params"]
            self.events.append(self._read_message())

    # -- pages ------------------------------------------------------------------------------
    def open(self, path: Path, *, ready: str) -> None:
        """Open ``path`` in a new tab and wait until ``ready`` (a JS expression) is true."""
        target = self.send("Target.createTarget", {"url": "about:blank"}, browser_level=True)["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True},
                                 browser_level=True)["sessionId"]
        self.send("Page.enable")
        self.send("Runtime.enable")
        self.send("Page.navigate", {"url": path.resolve().as_uri()})
        self.wait_until(ready)

    def reload(self, *, ready: str) -> None:
        self.evaluate("document.body.removeAttribute('data-review-ready')")
        self.send("Page.reload", {"ignoreCache": True})
        self.wait_until(ready)

    def evaluate(self, expression: str):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression}: {result['exceptionDetails'].get('text')}")
        return result["result"].get("value")

    def wait_until(self, expression: str) -> None:
        started = time.monotonic()
        while not self.evaluate(f"Boolean({expression})"):
            if time.monotonic() - started > HANG_GUARD_S:
                raise BrowserError(f"never true: {expression}")
            time.sleep(0.05)

    def click(self, selector: str) -> None:
        """A real mouse click (press and release) at the middle of the element ``selector`` picks."""
        box = self.evaluate(
            f"(function () {{ var e = document.querySelector({json.dumps(selector)}); if (!e) {{ return null; }}"
            " e.scrollIntoView({block: 'center'}); var r = e.getBoundingClientRect();"
            " return {x: r.left + r.width / 2, y: r.top + r.height / 2, w: r.width, h: r.height}; })()"
        )
        if not box or not box["w"] or not box["h"]:
            raise BrowserError(f"nothing visible to click at {selector}")
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent",
                      {"type": kind, "x": box["x"], "y": box["y"], "button": "left", "clickCount": 1})

    def type_text(self, text: str) -> None:
        self.send("Input.insertText", {"text": text})

    def press_tab(self) -> None:
        for kind in ("keyDown", "keyUp"):
            self.send("Input.dispatchKeyEvent", {"type": kind, "key": "Tab", "code": "Tab",
                                                 "windowsVirtualKeyCode": 9})

    def allow_downloads(self, directory: Path) -> None:
        self.send("Browser.setDownloadBehavior",
                  {"behavior": "allow", "downloadPath": str(directory), "eventsEnabled": True}, browser_level=True)

    def close(self) -> None:
        try:
            self.send("Browser.close", browser_level=True)
        except (BrowserError, OSError):
            pass
        try:
            self.process.wait(timeout=HANG_GUARD_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
        for fd in (self._to_browser, self._from_browser):
            try:
                os.close(fd)
            except OSError:
                pass
