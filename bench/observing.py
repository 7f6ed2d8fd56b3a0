"""A stack observed as operators observe it, to measure what observing costs.

Every process serves metrics on a port of its own and is scraped every SCRAPE_SECONDS (more often
than docker compose's Prometheus, every 15 s), and every request is traced and exported by OTLP
to a sink in this process. Log lines stay at the level the other stacks use.
"""

import threading
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from prometheus_client.parser import text_string_to_metric_families

from bench.stack import HOST, Stack, free_port, isolated_stack
from deploy.catalog import METRICS_PORTS, metrics_port_variable
from deploy.otlp_sink import OtlpSink

SCRAPE_SECONDS = 5
RPC_HISTOGRAM = "valmennus_rpc_seconds"
EVENT_HISTOGRAM = "valmennus_event_handler_seconds"


@dataclass
class Observation:
    """What was observed of a stack: its spans, and how many scrapes answered."""

    sink: OtlpSink
    ports: dict[str, int]
    scrapes: int = 0
    failed_scrapes: int = 0
    stop: threading.Event = field(default_factory=threading.Event)

    def summary(self) -> str:
        return (
            f"{len(self.sink.spans)} spans exported, {self.scrapes} scrapes "
            f"({self.failed_scrapes} failed)"
        )

    def calls(self) -> Counter:
        """Every RPC call and event handling so far, by `rpc component.method` and `event
        component.handler`, from each process's histogram counts."""
        counted: Counter = Counter()
        for component, port in self.ports.items():
            for family in metric_families(port):
                for sample in family.samples:
                    if sample.name == f"{RPC_HISTOGRAM}_count":
                        counted[f"rpc {component}.{sample.labels['method']}"] += sample.value
                    elif sample.name == f"{EVENT_HISTOGRAM}_count":
                        counted[f"event {component}.{sample.labels['handler']}"] += sample.value
        return counted


def metric_families(port: int):
    with urllib.request.urlopen(f"http://{HOST}:{port}/metrics", timeout=5) as answer:
        return list(text_string_to_metric_families(answer.read().decode()))


def scrape_every(observation: Observation, ports: list[int]) -> None:
    while not observation.stop.wait(SCRAPE_SECONDS):
        for port in ports:
            try:
                with urllib.request.urlopen(f"http://{HOST}:{port}/metrics", timeout=5) as answer:
                    answer.read()
                observation.scrapes += 1
            except OSError:
                observation.failed_scrapes += 1


@contextmanager
def observed_stack(**extra: str) -> Iterator[tuple[Stack, Observation]]:
    """An isolated stack with metrics and tracing on, scraped and exporting meanwhile; `extra`
    are more config variables."""
    ports = {component: free_port() for component in METRICS_PORTS}
    sink = OtlpSink((HOST, free_port()))
    sink.start()
    settings = {metrics_port_variable(component): str(port) for component, port in ports.items()}
    settings.update(extra)
    observation = Observation(sink, ports)
    scraper = threading.Thread(target=scrape_every, args=(observation, list(ports.values())))
    try:
        with isolated_stack(**settings, OTEL_EXPORTER_OTLP_ENDPOINT=sink.url) as stack:
            scraper.start()
            yield stack, observation
    finally:
        observation.stop.set()
        if scraper.is_alive():
            scraper.join()
        sink.stop()
