#!/usr/bin/python3
"""Opens a run's report.html in headless Chromium and fails on what a reader would see broken:
a console error, an uncaught exception, a resource that failed to load, or a plot that is not a
whole image. Usage: check-report-html.py REPORT.html; exit 0 with a summary line, or 1 with one
line on stderr. Needs Debian's chromium and python3-websocket (.ci/run installs them), and talks
the DevTools Protocol over the websocket itself, so there is no driver to match to the browser."""
import base64, json, os, pathlib, shutil, signal, subprocess, sys, tempfile, time, urllib.request
import zlib
import websocket

TIMEOUT_S = 60  # the whole check; the 4 MB baseline report loads in about a second
SETTLE_S = 1.0  # after the load event, for errors that a timer or a late script raises
IMAGES_JS = """[...document.images].map((i, n) => ({name: `#${n + 1} ${i.alt || i.src}`,
    decoded: i.complete && i.naturalWidth > 0, src: i.src}))"""


def fail(reason):
    # One line, however many lines a console message had. SystemExit, not os._exit: the finally
    # in main() must still kill Chromium.
    print(f"FAIL: report.html in Chromium: {' '.join(reason.split())}"[:300], file=sys.stderr)
    sys.exit(1)


def png_whole(url):
    """Chromium draws a truncated or damaged PNG as far as it decodes, at its full naturalWidth,
    and img.decode() resolves; so an inline PNG must also have every chunk's CRC right, IEND last."""
    try:
        b = base64.b64decode(url.split(",", 1)[1], validate=True)
    except (ValueError, IndexError):  # binascii.Error is a ValueError
        return False
    p, kind = 8, b""
    while p + 12 <= len(b):
        n, kind = int.from_bytes(b[p:p + 4], "big"), b[p + 4:p + 8]
        if zlib.crc32(b[p + 4:p + 8 + n]) != int.from_bytes(b[p + 8 + n:p + 12 + n], "big"):
            return False
        p += 12 + n
    return b.startswith(b"\x89PNG\r\n\x1a\n") and kind == b"IEND" and p == len(b)


NO_IMAGES_OK = False


def main(report):
    page = pathlib.Path(report).resolve()
    if not page.is_file():
        fail(f"no such file {report}")
    profile = tempfile.mkdtemp(prefix="rlbench-chromium-")
    log = open(os.path.join(profile, "chromium.log"), "w+")
    # --headless=new: the full browser without a window, not the older, separate headless shell.
    # --no-sandbox: CI runs as root in a container, where Chromium will not start sandboxed and
    #   user namespaces are often not allowed anyway; the page is our own file.
    # --disable-gpu: there is none; this skips probing for it.
    # --disable-dev-shm-usage: a container's /dev/shm is often 64 MB, too small for the renderer;
    #   Debian's wrapper adds it only when findmnt prints one line, which it does not always.
    # --remote-debugging-port=0: any free port; Chromium writes it to DevToolsActivePort.
    try:
        proc = subprocess.Popen([
            "chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--no-first-run", "--no-default-browser-check", "--remote-debugging-port=0",
            f"--user-data-dir={profile}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True)
    except OSError as e:
        shutil.rmtree(profile, ignore_errors=True)
        fail(f"cannot start chromium: {e}")
    try:
        check(page, proc, profile, log, time.monotonic() + TIMEOUT_S)
    finally:
        # Its own session, so one signal reaches the zygote and renderers too, on every exit path.
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()
        log.close()
        shutil.rmtree(profile, ignore_errors=True)


def check(page, proc, profile, log, deadline):
    port_file = pathlib.Path(profile, "DevToolsActivePort")
    while len(port_file.read_text().split() if port_file.is_file() else []) < 2:
        if proc.poll() is not None or time.monotonic() > deadline:
            log.seek(0)
            fail(f"Chromium did not start: {' | '.join(log.read().splitlines()[-3:])}")
        time.sleep(0.1)
    port = port_file.read_text().split()[0]
    targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10))
    target = next((t for t in targets if t["type"] == "page"), None) or fail("no page target")
    # suppress_origin: Chromium refuses a websocket client that sends an Origin it was not given.
    ws = websocket.create_connection(target["webSocketDebuggerUrl"], suppress_origin=True)
    messages, errors, loaded, last_id = [], [], [], 0

    def recv(until):
        ws.settimeout(max(0.01, until - time.monotonic()))
        try:
            return json.loads(ws.recv())
        except websocket.WebSocketTimeoutException:
            return None

    def on_event(m):
        method, p = m.get("method"), m.get("params", {})
        if method == "Runtime.consoleAPICalled":  # the page's console.*
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in p["args"])
            messages.append(text)
            if p["type"] in ("error", "assert"):
                errors.append(f"console.{p['type']}: {text}")
        elif method == "Log.entryAdded":  # the browser's own: failed loads, bad URLs, CSP
            e = p["entry"]
            messages.append(e["text"])
            if e["level"] == "error":
                errors.append(f"{e['source']} error: {e['text']} {e.get('url', '')[:80]}")
        elif method == "Runtime.exceptionThrown":
            d = p["exceptionDetails"]
            what = d.get("exception", {}).get("description", d["text"]).splitlines()[0]
            errors.append(f"uncaught exception: {what} (line {d['lineNumber'] + 1})")
        elif method == "Page.loadEventFired":
            loaded.append(True)

    def call(method, **params):
        nonlocal last_id
        last_id += 1
        ws.send(json.dumps({"id": last_id, "method": method, "params": params}))
        while (m := recv(deadline)) is not None:
            if m.get("id") != last_id:
                on_event(m)
            elif "error" in m:
                fail(f"{method}: {m['error'].get('message')}")
            else:
                return m.get("result", {})
        fail(f"no answer to {method} within {TIMEOUT_S} s")

    for domain in ("Runtime", "Log", "Page"):
        call(f"{domain}.enable")
    error_text = call("Page.navigate", url=page.as_uri()).get("errorText")
    if error_text:
        fail(f"opening {page}: {error_text}")
    while not loaded:
        on_event(recv(deadline) or fail(f"no load event within {TIMEOUT_S} s"))
    settle = time.monotonic() + SETTLE_S
    while (m := recv(settle)) is not None:
        on_event(m)
    # After the load event every <img> has finished loading, decoded or not.
    images = call("Runtime.evaluate", expression=IMAGES_JS, returnByValue=True)["result"]["value"]
    bad = [i["name"] for i in images if not i["decoded"]
           or i["src"].startswith("data:image/png;") and not png_whole(i["src"])]
    if errors:
        fail(f"{len(errors)} error(s), first: {errors[0]}")
    if bad:
        fail(f"{len(bad)} of {len(images)} images did not decode whole, first: {bad[0][:80]}")
    if not images and not NO_IMAGES_OK:
        fail("no <img> on the page; the report should hold its plots")
    print(f"ci: report.html in Chromium: {len(images)} images decoded whole, {len(messages)} "
          f"console messages, no errors, uncaught exceptions or failed loads ({page})")


if __name__ == "__main__":
    # TERM (a CI timeout) and INT become SystemExit, so the finally in main() still kills Chromium.
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda n, _: sys.exit(128 + n))
    args = sys.argv[1:]
    # --no-images-ok: a page that may rightly have no plot, such as a run compared with itself.
    NO_IMAGES_OK = "--no-images-ok" in args
    args = [a for a in args if a != "--no-images-ok"]
    if len(args) != 1:
        print("usage: check-report-html.py [--no-images-ok] REPORT.html", file=sys.stderr)
        sys.exit(2)
    main(args[0])
