#!/usr/bin/env python3
"""The review report as a real browser sees it.

Extracts a handful of fixtures (clean, planted errors, a scan, 绩效 and
narrative findings, a broken file) with `--report`, opens every page of the
site in headless chromium (--dump-dom after the page's scripts ran) and checks
from the DOM the browser built:

  - every finding of every document (counted by kind in its NAME.json) is a
    `.finding[data-kind]` element holding an image that loaded;
  - every table of digital-basic has its overlay image per grid, loaded;
  - the index lists every document, the failed one with its status.

Screenshots of the index, a finding and a table overlay are kept in
--artefacts. Exit 77 (skipped) when no chromium is installed.
"""
import argparse
import collections
import html.parser
import json
import pathlib
import shutil
import subprocess
import sys
import tempfile

SKIPPED = 77

INPUTS = {
    "digital-basic.pdf": "digital-basic/input.pdf",
    "digital-errors.pdf": "digital-errors/input.pdf",
    "scan-150dpi.pdf": "scan-150dpi/input.pdf",
    "jixiao-noname.pdf": "jixiao-noname/input.pdf",
    "narrative-edits.pdf": "narrative-edits/input.pdf",
    "layout-tails.pdf": "layout-tails/input.pdf",
    "corrupt.pdf": "bad/corrupt.pdf",
}
SAMPLE = "digital-basic"  # every table of it must have its overlay
FAILED = "corrupt"


class Browser:
    """Headless chromium with a throw-away profile; runs as root in CI."""

    def __init__(self, executable, profile):
        self.base = [executable, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--hide-scrollbars", "--no-first-run", f"--user-data-dir={profile}"]

    def dom(self, page):
        # The virtual time budget lets the load handlers run before the dump.
        run = subprocess.run(self.base + ["--virtual-time-budget=10000", "--dump-dom", page.as_uri()],
                             capture_output=True, text=True, timeout=180)
        if run.returncode != 0 or "<body" not in run.stdout:
            raise SystemExit(f"chromium could not open {page}: {run.stderr[-2000:]}")
        return run.stdout

    def screenshot(self, url, png, size="1000,720"):
        subprocess.run(self.base + ["--virtual-time-budget=10000", f"--window-size={size}", f"--screenshot={png}", url],
                       capture_output=True, timeout=180, check=True)


class ReportDom(html.parser.HTMLParser):
    """What the checks need from a page: findings, table sections, index rows,
    each with the load state its images were given by the page's script."""

    def __init__(self):
        super().__init__()
        self.findings = []  # {"kind":, "images": [loaded...]}
        self.tables = []    # {"grids": n, "images": [loaded...]}
        self.rows = []      # {"status":, "cells": [text...]}
        self.images_checked = False
        self._open = []     # the finding/table/row elements we are inside: (tag, record)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "body":
            self.images_checked = a.get("data-images-checked") == "true"
        if tag == "div" and "finding" in classes:
            record = {"kind": a.get("data-kind"), "images": []}
            self.findings.append(record)
            self._open.append(("div", record))
        elif tag == "div" and self._open:
            self._open.append(("div", None))
        elif tag == "section" and "table" in classes:
            record = {"grids": int(a.get("data-grids", "0")), "images": []}
            self.tables.append(record)
            self._open.append(("section", record))
        elif tag == "tr" and "data-status" in a:
            record = {"status": a["data-status"], "cells": []}
            self.rows.append(record)
            self._open.append(("tr", record))
        elif tag == "td" and self._open and self._open[-1][0] == "tr":
            self._open[-1][1]["cells"].append("")
        elif tag == "img":
            owner = next((r for _, r in reversed(self._open) if r is not None), None)
            if owner is not None and "images" in owner:
                owner["images"].append(a.get("data-loaded") == "true")

    def handle_endtag(self, tag):
        if self._open and self._open[-1][0] == tag:
            self._open.pop()

    def handle_data(self, data):
        if self._open and self._open[-1][0] == "tr" and self._open[-1][1]["cells"]:
            self._open[-1][1]["cells"][-1] += data


def parse(dom):
    page = ReportDom()
    page.feed(dom)
    return page


def check_document(name, out, browser, failures):
    doc = json.loads((out / f"{name}.json").read_text())
    page = parse(browser.dom(out / "report" / f"{name}.html"))
    if not page.images_checked:
        failures.append(f"{name}: the page's image check did not run")
    expected = collections.Counter(f["kind"] for f in doc["findings"])
    seen = collections.Counter(f["kind"] for f in page.findings)
    if seen != expected:
        failures.append(f"{name}: findings by kind {dict(seen)}, NAME.json has {dict(expected)}")
    for i, finding in enumerate(page.findings, 1):
        if not finding["images"] or not all(finding["images"]):
            failures.append(f"{name}: finding {i} ({finding['kind']}): image missing or not loaded")
    if name == SAMPLE:
        grids = [len(t["grids"]) for t in doc["tables"]]
        shown = [t["grids"] for t in page.tables]
        if shown != grids or not grids:
            failures.append(f"{name}: tables with grids {shown}, NAME.json has {grids}")
        for i, table in enumerate(page.tables, 1):
            if len(table["images"]) != table["grids"] or not all(table["images"]):
                failures.append(f"{name}: table {i}: {table['images']} overlays loaded of {table['grids']} grids")
    return len(page.findings)


def check_index(out, browser, names, failures):
    page = parse(browser.dom(out / "report" / "index.html"))
    listed = {row["cells"][0].strip(): row["status"] for row in page.rows if row["cells"]}
    for name in names:
        if name not in listed:
            failures.append(f"index: {name} not listed")
    if listed.get(FAILED) != "failed":
        failures.append(f"index: {FAILED} listed as {listed.get(FAILED)}, not failed")
    if len(page.rows) != len(names):
        failures.append(f"index: {len(page.rows)} rows for {len(names)} documents")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--fixtures", required=True)
    parser.add_argument("--artefacts", required=True)
    args = parser.parse_args()
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if not executable:
        print("report_browser: no chromium installed (scripts/setup installs it): skipped")
        return SKIPPED
    artefacts = pathlib.Path(args.artefacts)
    artefacts.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="juesuan-report-browser-") as tmp:
        tmp = pathlib.Path(tmp)
        (tmp / "in").mkdir()
        for name, fixture in INPUTS.items():
            shutil.copy(pathlib.Path(args.fixtures) / fixture, tmp / "in" / name)
        # Relative paths: the pages then name the inputs, not this folder.
        subprocess.run([args.binary, "extract", "in", "--out", "out", "--jobs", "2", "--quiet", "--report"],
                       cwd=tmp, capture_output=True, timeout=900)
        out = tmp / "out"
        if not (out / "report" / "index.html").exists():
            print("report_browser: extract --report wrote no report/index.html")
            return 1
        browser = Browser(executable, tmp / "profile")
        failures = []
        names = [pathlib.Path(n).stem for n in INPUTS]
        findings = sum(check_document(name, out, browser, failures) for name in names)
        check_index(out, browser, names, failures)
        report = out / "report"
        browser.screenshot((report / "index.html").as_uri(), artefacts / "index.png", "1400,500")
        # ?only=ID shows one finding or table alone (the README's screenshots).
        browser.screenshot((report / "digital-errors.html").as_uri() + "?only=f7", artefacts / "finding.png",
                           "1000,560")
        browser.screenshot((report / f"{SAMPLE}.html").as_uri() + "?only=t2", artefacts / "table.png")
        browser.screenshot((report / f"{FAILED}.html").as_uri(), artefacts / "failed.png", "1000,400")
    for failure in failures:
        print("report_browser: FAIL:", failure)
    print(f"report_browser: {len(names)} documents, {findings} findings checked in the browser; "
          f"screenshots in {artefacts}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
