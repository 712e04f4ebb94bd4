"""The web server under load: p50/p95 latency and requests per second, 20 concurrent clients on loopback.

    .venv/bin/python bench/web_bench.py [--factory monitor.web.app:create_app] [--letters 500]
        [--agendas 50] [--clients 20] [--requests 2000] [--json]

Fills a store with N letters as bench/site_bench.py does and builds the static site from it
(neither timed), then starts a real uvicorn server in a child process, serving the app that
``--factory`` (``module:callable``, called with the Config) makes from a config pointing at
both. Over keep-alive connections from this process it measures a site page,
``/api/v1/letters``, ``/api/v1/compare`` cold (every request a pair not compared before) and
cached (pairs already compared), and reads the server's resident memory (VmRSS) while idle:
right after start, and again after the load. Target: p95 < 50 ms for cached reads.

``--factory bench.web_bench:api_and_site`` serves only the API's routes and the built site
(Starlette's StaticFiles), for a tree without the web app.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import itertools
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from monitor.config import Config  # noqa: E402

DEFAULT_FACTORY = "monitor.web.app:create_app"
TARGET_P95_MS = 50


def api_and_site(config: Config):
    """The JSON API and the static site, without the rest of the web app."""
    from starlette.applications import Starlette
    from starlette.routing import Mount
    from starlette.staticfiles import StaticFiles

    from monitor.web.api import api_routes

    return Starlette(routes=[*api_routes(config),
                             Mount("/", StaticFiles(directory=config.resolve(config.site.path), html=True))])


# --- the server (child process) -----------------------------------------------------------------


def serve(factory: str, config_path: str, port: int) -> None:
    import uvicorn

    module, _, name = factory.partition(":")
    app = getattr(importlib.import_module(module), name)(Config.load(config_path))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def check_factory(factory: str) -> str | None:
    """Why ``factory`` cannot be used, or None."""
    module, _, name = factory.partition(":")
    try:
        found = getattr(importlib.import_module(module), name, None)
    except ImportError as exc:
        return f"cannot import {module} ({exc})"
    return None if callable(found) else f"{module} has no callable {name!r}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def resident_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


# --- the clients ----------------------------------------------------------------------------------


class Connection:
    """One keep-alive HTTP/1.1 connection; enough client for a server that sends Content-Length."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, port: int) -> Connection:
        return cls(*await asyncio.open_connection("127.0.0.1", port))

    async def get(self, path: str) -> tuple[int, bytes]:
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        headers = dict(line.lower().split(": ", 1) for line in lines[1:] if ": " in line)
        if "transfer-encoding" in headers:
            raise RuntimeError(f"{path}: chunked answer; this client reads Content-Length only")
        body = await self.reader.readexactly(int(headers.get("content-length", 0)))
        return int(lines[0].split(" ", 2)[1]), body

    async def close(self) -> None:
        self.writer.close()
        await self.writer.wait_closed()


async def load(port: int, pid: int, paths: list[str], clients: int) -> dict:
    """``paths`` fetched by ``clients`` connections at once, each taking the next path when done.

    Besides the latencies, the server's own CPU time per request: unlike them, it hardly
    depends on what else the machine is doing."""
    todo = iter(paths)
    latencies: list[float] = []
    failures: list[str] = []

    async def client() -> None:
        conn = await Connection.open(port)
        try:
            for path in todo:
                started = time.perf_counter()
                status, _ = await conn.get(path)
                latencies.append(time.perf_counter() - started)
                if status != 200:
                    failures.append(f"{status} {path}")
        finally:
            await conn.close()

    started, cpu = time.perf_counter(), cpu_seconds(pid)
    await asyncio.gather(*(client() for _ in range(clients)))
    elapsed, cpu = time.perf_counter() - started, cpu_seconds(pid) - cpu
    if failures:
        raise RuntimeError(f"{len(failures)} requests failed, e.g. {failures[0]}")
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return {"requests": len(latencies), "p50_ms": round(cuts[49] * 1000, 1), "p95_ms": round(cuts[94] * 1000, 1),
            "rps": round(len(latencies) / elapsed), "server_cpu_ms": round(cpu / len(latencies) * 1000, 2)}


async def wait_until_up(port: int, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with code {server.returncode}")
        try:
            conn = await Connection.open(port)
        except OSError:
            await asyncio.sleep(0.1)
            continue
        await conn.get("/healthz")
        await conn.close()
        return
    raise RuntimeError("the server did not come up")


# --- the run ----------------------------------------------------------------------------------------


def prepare(root: Path, letters: int, agendas: int) -> tuple[Path, list[str], str]:
    """A store and its site; the config file, the stored ids in publication order, and one site page."""
    from bench.site_bench import fill
    from monitor.site import build_site
    from monitor.store import Store

    config_path = root / "monitor.toml"
    config_path.write_text('[storage]\ndata_dir = "data"\n[site]\npath = "site"\n', encoding="utf-8")
    config = Config.load(config_path)
    with Store.open(config) as store:
        fill(store, letters, agendas)
        build_site(store, config.resolve(config.site.path))
        ids = list(dict.fromkeys(entry["id"] for entry in store.list_snapshots()))
        agenda = store.agendas()[-1].identifier
    return config_path, ids, f"/agendas/{agenda}.html"


async def measure(port: int, server: subprocess.Popen, ids: list[str], site_page: str, clients: int,
                  requests: int) -> dict:
    await wait_until_up(port, server)
    await asyncio.sleep(1.0)
    figures: dict = {"idle_rss_mb_after_start": round(resident_mb(server.pid), 1)}
    pairs = [f"/api/v1/compare?old={a}&new={b}" for a, b in itertools.pairwise(ids)]
    cached_pairs = pairs[:clients]

    async def warm(paths: list[str]) -> None:
        conn = await Connection.open(port)
        for path in paths:
            await conn.get(path)
        await conn.close()

    await warm([site_page, "/api/v1/letters", *cached_pairs])
    pid = server.pid
    figures["site_page"] = await load(port, pid, [site_page] * requests, clients)
    figures["letters"] = await load(port, pid, ["/api/v1/letters"] * requests, clients)
    figures["compare_cold"] = await load(port, pid, pairs[clients:], clients)
    figures["compare_cached"] = await load(port, pid, list(itertools.islice(itertools.cycle(cached_pairs), requests)),
                                           clients)
    await asyncio.sleep(2.0)
    figures["idle_rss_mb_after_load"] = round(resident_mb(server.pid), 1)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factory", default=DEFAULT_FACTORY, help=f"module:callable (default {DEFAULT_FACTORY})")
    parser.add_argument("--letters", type=int, default=500)
    parser.add_argument("--agendas", type=int, default=50)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=2000, help="per scenario (cold compare: one per pair)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--serve", nargs=2, metavar=("CONFIG", "PORT"), help=argparse.SUPPRESS)  # the child
    args = parser.parse_args()
    if args.serve:
        serve(args.factory, args.serve[0], int(args.serve[1]))
        return 0
    problem = check_factory(args.factory)
    if problem:
        print(f"web_bench: --factory {args.factory}: {problem} "
              "(before the web app is merged: --factory bench.web_bench:api_and_site)", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        config_path, ids, site_page = prepare(root, args.letters, args.agendas)
        prepared = time.perf_counter() - started
        port = free_port()
        server = subprocess.Popen([sys.executable, __file__, "--factory", args.factory,
                                   "--serve", str(config_path), str(port)], cwd=ROOT)
        try:
            figures = asyncio.run(measure(port, server, ids, site_page, args.clients, args.requests))
        finally:
            server.terminate()
            server.wait(timeout=10)

    cached = ("site_page", "letters", "compare_cached")
    ok = all(figures[name]["p95_ms"] < TARGET_P95_MS for name in cached)
    figures |= {"factory": args.factory, "letters_stored": args.letters, "clients": args.clients,
                "target_p95_ms_cached": TARGET_P95_MS, "within_target": ok}
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(f"{args.factory}: {args.letters} letters ({args.agendas} FMM agendas; store and site made in "
              f"{prepared:.1f} s), {args.clients} concurrent clients on loopback")
        print(f"  {'':40} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>7} {'server CPU ms/req':>18}")
        for name, label in (("site_page", f"site page {site_page}"), ("letters", "/api/v1/letters"),
                            ("compare_cold", "/api/v1/compare, cold"), ("compare_cached", "/api/v1/compare, cached")):
            f = figures[name]
            print(f"  {label:40} {f['requests']:8} {f['p50_ms']:8.1f} {f['p95_ms']:8.1f} {f['rps']:7} "
                  f"{f['server_cpu_ms']:18.2f}")
        print(f"  idle resident memory: {figures['idle_rss_mb_after_start']} MB after start, "
              f"{figures['idle_rss_mb_after_load']} MB after the load")
        print(f"  cached reads p95 < {TARGET_P95_MS} ms: {'OK' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
