"""Load generators of bench/ingest: wrk (Debian's package) when installed, else a bounded Python one.

Both send the same alerts (bench/alerts.lua builds them for wrk) over keep-alive connections and
return every answer, so that the benchmark can check what each one promised.
"""

import asyncio
import concurrent.futures
import json
import pathlib
import random
import resource
import shutil
import statistics
import subprocess
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
SEVERITIES = ("critical", "high", "medium", "low")


class Run:
    """What one level of load produced: answers as (status, body), latencies, the generator's CPU."""

    def __init__(self, answers, elapsed, p50_ms, p99_ms, socket_errors, cpu_seconds):
        self.answers, self.elapsed, self.socket_errors, self.cpu_seconds = answers, elapsed, socket_errors, cpu_seconds
        self.p50_ms, self.p99_ms = p50_ms, p99_ms

    @property
    def rate(self):
        return len(self.answers) / self.elapsed


def available():
    return "wrk" if shutil.which("wrk") else "python"


def run(url, prefix, services, concurrency, duration, batch=0, generator=None):
    """Load `url` (a full URL of a POST endpoint) with `concurrency` connections for `duration` seconds."""
    if (generator or available()) == "wrk":
        return _run_wrk(url, prefix, services, concurrency, duration, batch)
    return _run_python(url, prefix, services, concurrency, duration, batch)


def run_spread(urls, prefix, services, concurrency, duration, batch=0, generator=None):
    """`run` on several replicas at once, the connections shared out between them; one Run of all the answers.

    Its p50 and p99 are the highest of the replicas' (percentiles of separate runs do not merge), its CPU
    that of every generator together."""
    if len(urls) == 1:
        return run(urls[0], prefix, services, concurrency, duration, batch, generator)
    shares = [concurrency // len(urls) + (n < concurrency % len(urls)) for n in range(len(urls))]
    cpu_before = time.process_time() + _children_cpu()
    with concurrent.futures.ThreadPoolExecutor(len(urls)) as pool:
        runs = list(pool.map(lambda job: run(job[0], prefix, services, job[1], duration, batch, generator),
                             zip(urls, shares, strict=True)))  # fmt: skip
    return Run(
        [answer for each in runs for answer in each.answers],
        max(each.elapsed for each in runs),
        max(each.p50_ms for each in runs),
        max(each.p99_ms for each in runs),
        sum(each.socket_errors for each in runs),
        time.process_time() + _children_cpu() - cpu_before,
    )


def _children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run_wrk(url, prefix, services, concurrency, duration, batch):
    with tempfile.TemporaryDirectory(prefix="bench-wrk-") as folder:
        threads = 1 if concurrency <= 16 else 2
        command = [
            "wrk", f"-t{threads}", f"-c{concurrency}", f"-d{max(1, round(duration))}s", "--timeout", "10s",
            "-s", str(HERE / "alerts.lua"), url, "--", prefix, str(services), folder, str(batch),
        ]  # fmt: skip
        cpu_before = _children_cpu()
        finished = subprocess.run(command, capture_output=True, text=True, check=False)
        if finished.returncode != 0:
            raise RuntimeError(f"wrk failed ({finished.returncode}): {finished.stdout[-500:]} {finished.stderr[-500:]}")
        cpu = _children_cpu() - cpu_before
        summary = json.loads(finished.stdout.strip().splitlines()[-1])
        answers = []
        for path in sorted(pathlib.Path(folder).glob("answers-*.txt")):
            for line in path.read_text().splitlines():
                status, _, body = line.partition(" ")
                answers.append((int(status), body))
    return Run(
        answers,
        summary["duration_us"] / 1e6,
        summary["p50_us"] / 1000,
        summary["p99_us"] / 1000,
        summary["socket_errors"],
        cpu,
    )


def make_alert(prefix, services):
    return {
        "service": f"{prefix}-svc{random.randrange(services):02d}",
        "severity": random.choice(SEVERITIES),
        "message": f"synthetic alert {random.randrange(1_000_000)}",
        "labels": {"bench": prefix, "region": random.choice(("eu-west-1", "us-east-1"))},
    }


def _run_python(url, prefix, services, concurrency, duration, batch):
    """One process, one core at most: asyncio connections sending back to back."""
    host, _, rest = url.removeprefix("http://").partition("/")
    hostname, _, port = host.partition(":")
    results, cpu_before, started = [], time.process_time(), time.perf_counter()

    def body():
        if batch:
            return {"alerts": [make_alert(prefix, services) for _ in range(batch)]}
        return make_alert(prefix, services)

    async def client(deadline):
        reader, writer = await asyncio.open_connection(hostname, int(port or 80))
        try:
            while time.perf_counter() < deadline:
                data = json.dumps(body()).encode()
                head = f"POST /{rest} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
                writer.write(f"{head}Content-Length: {len(data)}\r\n\r\n".encode() + data)
                sent = time.perf_counter()
                status, answer = await _read_response(reader)
                results.append((time.perf_counter() - sent, status, answer.decode()))
        finally:
            writer.close()

    async def main():
        deadline = time.perf_counter() + duration
        await asyncio.gather(*(client(deadline) for _ in range(concurrency)))

    asyncio.run(main())
    latencies = sorted(latency * 1000 for latency, _, _ in results)
    p99 = latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))]
    return Run(
        [(status, answer) for _, status, answer in results],
        time.perf_counter() - started,
        statistics.median(latencies),
        p99,
        0,
        time.process_time() - cpu_before,
    )


async def _read_response(reader):
    status = int((await reader.readline()).split()[1])
    length = 0
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode().partition(":")
        if name.lower() == "content-length":
            length = int(value)
    return status, await reader.readexactly(length)
