"""Big SBC answers: parse time, peak memory, and what the hook listener feels meanwhile.

    .venv/bin/python tests/bench/sbc_big.py [--runs 3] [--seconds 8] [--rate 200]

1. The documents: one resource with 200,000 XML attributes (3.4 MB); ``details=true`` lists of
   10,004 and 33,504 SBC resources made by the simulator (8.5 and 28.5 MB); one resource with
   1.7 million fields (29 MB, a hostile shape).
2. Parse time (median of ``--runs``, in this process, automatic GC paused as the console does),
   the time to release the model, and peak memory above the body, in a fresh process
   (``VmHWM`` reset after reading the body).
3. Hook reply latency from the real hook listener (``tui.net.hooks``: a HookService on its
   HookThread, with its own loop and the 1 ms switch interval, as in the app), loaded open-loop
   at ``--rate`` hooks/s by ``tui.sim.load`` in another process, while this process's loop
   (standing in for the UI's) parses the 28.5 MB list, then the 200,000-attribute element,
   back to back: on a worker thread (how the console parsed before) and in the worker process
   (``tui.net.rest.parse_worker``, when this tree has it). The models are kept until the run ends:
   releasing one is a single cascade of deallocations, shown on its own as "free ms" in 2.
   "loop ms" is the worst stall of a 5 ms ticker on the parsing loop.

Runs against whatever ``tui`` is first on the path (the repository it sits in), so the same
script measures an older tree too. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import importlib.util
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.unit.peak_memory import SCRIPT as PEAK_SCRIPT  # noqa: E402
from tui.config import HooksConfig  # noqa: E402
from tui.core.gc_quiet import without_gc  # noqa: E402
from tui.core.resources.parse import parse_response  # noqa: E402
from tui.core.store import FeedStore  # noqa: E402
from tui.net.hooks.service import HookService  # noqa: E402
from tui.net.hooks.threaded import HookThread  # noqa: E402
from tui.sim.asgi import Request  # noqa: E402
from tui.sim.sbc.server import SbcSimulator  # noqa: E402

HAS_WORKER = importlib.util.find_spec("tui.net.rest.parse_worker") is not None
WIDE = "one element, 200,000 attributes"


def sim_list(count: int) -> bytes:
    sim = SbcSimulator(password="x", bulk_sipsg=count)
    sim.sessions["s"] = (sim.clock(), "")
    headers = {"cookie": "PHPSESSID=s"}
    query = {"details": "true"}
    request = Request("GET", "/rest/sipsg", "details=true", headers, b"", query=query)
    status, body, _ = sim.handle(request)
    assert status == 200
    return body


def wide_element(count: int) -> bytes:
    filler = " ".join(f'x{i}="{i}"' for i in range(count))
    return (
        '<root><status><http_code>200</http_code></status><sipserver id="1:2" '
        f'href="/rest/sipservertable/1/sipserver/2" {filler} app_code_runtime="99103" '
        'app_params_runtime="1|2|45"><Host>10.9.9.9</Host></sipserver></root>'
    ).encode()


def many_fields(count: int) -> bytes:
    fields = "".join(f"<F{i % 50}>v{i}</F{i % 50}>" for i in range(count))
    return f'<root><system href="/rest/system">{fields}</system></root>'.encode()


def median_s(work: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        gc.collect()
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
        del result
    return statistics.median(times)


def peak_bytes(body: bytes, folder: Path) -> int:
    path = folder / "body.xml"
    path.write_bytes(body)
    out = subprocess.run(
        [sys.executable, "-c", PEAK_SCRIPT, "sbc", str(path), "any"],
        capture_output=True,
        text=True,
        cwd=str(REPO),
    )
    return int(out.stdout.strip()) if out.returncode == 0 else -1


def section_documents(documents: dict[str, bytes], runs: int) -> None:
    print(
        f"{'document':<44}{'MB':>6}{'parse s':>9}{'peak MB':>9}{'x body':>8}{'free ms':>9}  shape"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for name, body in documents.items():
            parse = without_gc(partial(parse_response, "sbc", body, transport_status=200))
            took = median_s(parse, runs)
            resource = parse()
            shape = f"{resource.shape}: {len(resource.items):,} items, "
            shape += f"{len(resource.attributes):,} attributes, {len(resource.errors)} errors"
            started = time.perf_counter()
            del resource  # one cascade of deallocations, holding the GIL
            free_ms = (time.perf_counter() - started) * 1000
            peak = peak_bytes(body, Path(tmp))
            size = len(body) / 2**20
            print(
                f"{name:<44}{size:>6.1f}{took:>9.2f}{peak / 2**20:>9.0f}"
                f"{peak / len(body):>8.1f}{free_ms:>9.1f}  {shape}"
            )


def load(url: str, seconds: float, connections: int, rate: float) -> dict[str, float]:
    command = [sys.executable, "-m", "tui.sim.load", url, "--seconds", str(seconds),
               "--connections", str(connections), "--rate", str(rate)]  # fmt: skip
    out = subprocess.run(command, capture_output=True, text=True, cwd=str(REPO))
    if out.returncode:  # e.g. the listener dropped connections it could not serve in time
        last = (out.stderr.strip().splitlines() or ["?"])[-1]
        print(f"  (the load generator failed: {last})")
        nan = float("nan")
        return {"p50_ms": nan, "p99_ms": nan, "max_ms": nan, "errors": nan}
    return json.loads(out.stdout)  # type: ignore[no-any-return]


async def while_loaded(
    url: str, args: argparse.Namespace, parse: Callable[[], Awaitable[Any]] | None
) -> tuple[dict[str, float], int, float]:
    """Hook latencies while ``parse`` runs back to back; parses done; worst loop stall (ms)."""
    worst = 0.0
    loaded = asyncio.create_task(
        asyncio.to_thread(load, url, args.seconds, args.connections, args.rate)
    )

    async def ticker() -> None:
        nonlocal worst
        while not loaded.done():
            before = time.perf_counter()
            await asyncio.sleep(0.005)
            worst = max(worst, (time.perf_counter() - before) * 1000 - 5)

    ticking = asyncio.create_task(ticker())
    kept = []  # freed after the run: a model's release is measured on its own
    while not loaded.done():
        if parse is None:
            await asyncio.sleep(0.05)
            continue
        kept.append(await parse())
    await ticking
    return await loaded, len(kept), worst


async def section_hooks(documents: dict[str, bytes], args: argparse.Namespace) -> None:
    config = HooksConfig.model_validate({"bind": "127.0.0.1", "port": 0})
    store = FeedStore(200_000)
    thread = HookThread(HookService(config, store, port=0, env={}))
    await thread.start()
    url = thread.service.url
    if HAS_WORKER:
        from tui.net.rest.parse_worker import WORKER

        started = time.perf_counter()
        await WORKER.parse("sbc", b"<root/>", transport_status=200)
        spawn_ms = (time.perf_counter() - started) * 1000
        print(f"worker process started and answered in {spawn_ms:.0f} ms (once per app)")
    print(
        f"hook replies at {args.rate:g}/s over {args.connections} connections, {args.seconds:g} s"
        " a run, while a document is parsed back to back (loop ms: worst stall of a 5 ms ticker"
        " on the parsing loop):"
    )
    print(
        f"{'':<48}{'p50 ms':>8}{'p99 ms':>8}{'max ms':>8}{'errors':>8}{'parses':>8}{'loop ms':>9}"
    )

    async def run(name: str, parse: Callable[[], Awaitable[Any]] | None) -> None:
        result, parses, worst = await while_loaded(url, args, parse)
        print(
            f"{name:<48}{result['p50_ms']:>8.2f}{result['p99_ms']:>8.2f}"
            f"{result['max_ms']:>8.1f}{result['errors']:>8.0f}{parses:>8}{worst:>9.1f}"
        )

    try:
        await run("nothing parsed", None)
        for label, body in documents.items():
            in_thread = without_gc(partial(parse_response, "sbc", body, transport_status=200))
            await run(f"{label}: on a worker thread", partial(asyncio.to_thread, in_thread))
            if HAS_WORKER:
                in_worker = partial(WORKER.parse, "sbc", body, transport_status=200)
                await run(f"{label}: in the worker process", in_worker)
    finally:
        await thread.stop()
        if HAS_WORKER:
            WORKER.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--skip-documents", action="store_true")
    args = parser.parse_args()
    print(f"tui from {REPO}; worker process: {'yes' if HAS_WORKER else 'no (older tree)'}")
    big_list = sim_list(33_500)
    documents = {
        WIDE: wide_element(200_000),
        "details list, 10,004 resources": sim_list(10_000),
        "details list, 33,504 resources": big_list,
        "one resource, 1.7 million fields": many_fields(1_700_000),
    }
    if not args.skip_documents:
        section_documents(documents, args.runs)
    loaded = {"33,504-resource list": big_list, "200,000 attributes": documents[WIDE]}
    del documents
    asyncio.run(section_hooks(loaded, args))


if __name__ == "__main__":
    main()
