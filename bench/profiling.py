"""Where the services spend their CPU during a measurement: `py-spy record` on every process.

Off unless `BENCH_PROFILE_DIR` names a directory and `py-spy` (PyPI's, a sampling profiler that
reads a process from outside, so nothing in the services changes) is on the PATH. Each measured
row then leaves one file per process, `<row>.<component>.txt`, in py-spy's "raw" format: one
line per distinct stack, its frames joined by `;`, and how many samples were taken in it, which
`flamegraph.pl` or speedscope draw and `sort -k2` ranks. Only stacks running Python code are
sampled, not ones waiting, so the samples are the CPU the process used.
"""

import os
import re
import shutil
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.stack import Stack

PROFILE_DIRECTORY_VARIABLE = "BENCH_PROFILE_DIR"
SAMPLES_PER_SECOND = 200


def profile_directory() -> Path | None:
    directory = os.environ.get(PROFILE_DIRECTORY_VARIABLE)
    if not directory:
        return None
    if shutil.which("py-spy") is None:
        raise SystemExit(f"{PROFILE_DIRECTORY_VARIABLE} is set but py-spy is not on the PATH")
    return Path(directory)


def file_name(measurement: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", measurement.lower()).strip("-")


@contextmanager
def profiled(stack: Stack, measurement: str) -> Iterator[None]:
    """Every process of the stack sampled while the block runs, when profiling is on."""
    directory = profile_directory()
    if directory is None:
        yield
        return
    directory.mkdir(parents=True, exist_ok=True)
    samplers = [
        subprocess.Popen(
            [
                "py-spy",
                "record",
                "--pid",
                str(process.pid),
                "--rate",
                str(SAMPLES_PER_SECOND),
                "--format",
                "raw",
                "--nonblocking",
                "--output",
                str(directory / f"{file_name(measurement)}.{component}.txt"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for component, process in stack.processes.items()
    ]
    try:
        yield
    finally:
        for sampler in samplers:
            sampler.send_signal(signal.SIGINT)
        for sampler in samplers:
            sampler.wait(timeout=30)
