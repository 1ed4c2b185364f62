"""The reader in a real headless browser: ``tui-reader serve`` in a
subprocess, Debian's Chromium driven through Selenium.  Shared by the
browser test and ``screenshots/make_screenshots.py``."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

CHROMIUM = ("chromium", "chromium-browser", "google-chrome")
DRIVER = "chromedriver"


def missing() -> str:
    """Why the browser cannot run here, or ``""``."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    try:
        import textual_serve  # noqa: F401
    except ImportError:
        return "textual-serve is not installed (pip install -e '.[web]')"
    if not any(shutil.which(name) for name in CHROMIUM):
        return "no Chromium here (apt-get install chromium chromium-driver)"
    if not shutil.which(DRIVER):
        return "no chromedriver here (apt-get install chromium-driver)"
    return ""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def served(paths: list[str], env: dict[str, str]) -> Iterator[str]:
    """``tui-reader serve PATH...`` on a free localhost port; yields its URL
    and stops it (SIGTERM, then SIGKILL of its process group) afterwards."""
    port = _free_port()
    token = secrets.token_urlsafe(24)  # the served reader is locked to its owner: the page needs the token
    process = subprocess.Popen(
        [sys.executable, "-m", "tui_reader", "serve", "--port", str(port), "--token", token, *paths],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        start_new_session=True, env=env,
    )
    url = f"http://127.0.0.1:{port}/?token={token}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"serve ended: {process.stderr.read().decode(errors='replace')}")
            try:
                with urllib.request.urlopen(url, timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield url
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def chrome(width: int = 1280, height: int = 800):
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = next(shutil.which(n) for n in CHROMIUM if shutil.which(n))
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     f"--window-size={width},{height}", "--force-device-scale-factor=1"):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service(shutil.which(DRIVER)), options=options)


def open_reader(driver, url: str, timeout: float = 60) -> None:
    """Load the page, press its Start button if it shows one, and wait
    until the reader has drawn (the terminal's canvas has content)."""
    from selenium.webdriver.common.by import By

    driver.get(url)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        starts = [b for b in driver.find_elements(By.ID, "start") if b.is_displayed()]
        if starts:
            starts[0].click()
        if driver.execute_script("return document.body.classList.contains('-first-byte')"):
            return
        time.sleep(0.2)
    raise AssertionError("the reader never drew in the browser")


def press(driver, keys: str) -> None:
    """Type into the terminal as a person would (its hidden textarea)."""
    from selenium.webdriver.common.by import By

    area = driver.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea")
    area.send_keys(keys)


def save_screenshot(driver, target: Path) -> Path:
    driver.save_screenshot(str(target))
    return target
