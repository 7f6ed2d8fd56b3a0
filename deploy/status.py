"""`valmennus status`: one screen telling an operator which service to scale, without Grafana.

Per component it reads, over a short window:
- from RabbitMQ by passive declares (no management API needed): the messages waiting in the
  service's RPC queue and in its event handlers' queues, and the consumers of its RPC queue,
  which is how many instances run;
- from the `/metrics` of every instance it finds (each address the component's host resolves to,
  on its metrics port): calls per second, p95 latency and the share of errors within the window,
  the cores it used, the share of busy workers, parked events and the outbox backlog.
"""

import socket
import time
import urllib.request
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from kombu import Connection
from prometheus_client.parser import text_string_to_metric_families

from deploy.catalog import METRICS_PORTS, SERVICE_CLASSES, load_class
from services.infra.config import load_config
from services.infra.queues import queues_of

SCRAPE_TIMEOUT_SECONDS = 3

Samples = dict[tuple[str, frozenset], float]


@dataclass(frozen=True)
class QueueState:
    waiting: int
    consumers: int


@dataclass(frozen=True)
class ComponentStatus:
    name: str
    instances: int | None
    scraped: int
    rpc_waiting: int | None
    events_waiting: int | None
    calls_per_second: float | None
    p95_ms: float | None
    error_share: float | None
    cores: float | None
    busy_share: float | None
    parked: int | None
    outbox: int | None
    outbox_oldest_seconds: float | None


def metrics_port(component: str) -> int:
    """The component's configured port, or the one `make run` and docker compose give it."""
    return int(load_config(component).get("METRICS_PORT") or 0) or METRICS_PORTS[component]


def instance_urls(component: str, host_template: str) -> list[str]:
    """The metrics URL of each address the component's host resolves to."""
    host = host_template.replace("{component}", component)
    port = metrics_port(component)
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        return []
    addresses = sorted({info[4][0] for info in found})
    return [f"http://{f'[{a}]' if ':' in a else a}:{port}/metrics" for a in addresses]


def scrape(url: str) -> Samples | None:
    try:
        with urllib.request.urlopen(url, timeout=SCRAPE_TIMEOUT_SECONDS) as response:
            text = response.read().decode()
    except OSError:
        return None
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def scrape_all(urls: list[str]) -> dict[str, Samples]:
    with ThreadPoolExecutor(max(1, min(16, len(urls)))) as pool:
        found = dict(zip(urls, pool.map(scrape, urls), strict=True))
    return {url: samples for url, samples in found.items() if samples is not None}


def total(samples: Samples, name: str, **labels: str) -> float:
    wanted = set(labels.items())
    return sum(
        value
        for (sample, sample_labels), value in samples.items()
        if sample == name and wanted <= sample_labels
    )


def difference(before: dict[str, Samples], after: dict[str, Samples], name: str, **labels) -> float:
    """How much a counter grew over the window, summed over the instances seen both times."""
    return sum(
        total(after[url], name, **labels) - total(before[url], name, **labels)
        for url in after
        if url in before
    )


def bucket_growth(before: dict[str, Samples], after: dict[str, Samples], name: str) -> dict:
    """Each histogram bucket's growth over the window, summed over labels and instances."""
    grown: dict[float, float] = defaultdict(float)
    for url, samples in after.items():
        for (sample, labels), value in samples.items():
            if sample == name:
                upper = float(dict(labels)["le"])
                grown[upper] += value - before.get(url, {}).get((sample, labels), 0.0)
    return dict(grown)


def quantile(buckets: dict[float, float], q: float) -> float | None:
    """The q-quantile of cumulative histogram buckets, interpolated as Prometheus does."""
    bounds = sorted(buckets)
    if not bounds or buckets[bounds[-1]] <= 0:
        return None
    rank = q * buckets[bounds[-1]]
    lower, below = 0.0, 0.0
    for upper in bounds:
        count = buckets[upper]
        if count >= rank:
            if upper == float("inf"):
                return lower
            return lower + (upper - lower) * (rank - below) / max(count - below, 1e-12)
        lower, below = upper, count
    return lower


def queue_state(connection: Connection, name: str) -> QueueState | None:
    """The queue's state, or None when it does not exist (which closes the channel)."""
    channel = connection.channel()
    try:
        _, waiting, consumers = channel.queue_declare(queue=name, passive=True)
    except connection.channel_errors:
        return None
    channel.close()
    return QueueState(waiting, consumers)


def queue_states(amqp_uri: str) -> dict[str, tuple[QueueState | None, int | None]]:
    """Per service: its RPC queue, and the messages waiting for its event handlers."""
    config = {"AMQP_URI": amqp_uri}
    states = {}
    with Connection(amqp_uri, connect_timeout=5) as connection:
        for service, class_path in SERVICE_CLASSES.items():
            rpc = queue_state(connection, f"rpc-{service}")
            handlers = [
                queue_state(connection, queue.name)
                for queue in queues_of(load_class(class_path), config)
                if ".retry-" not in queue.name
            ]
            events = sum(state.waiting for state in handlers if state) if handlers else None
            states[service] = (rpc, events)
    return states


def component_status(
    name: str,
    before: dict[str, Samples],
    after: dict[str, Samples],
    seconds: float,
    queues: tuple[QueueState | None, int | None] | None,
) -> ComponentStatus:
    histogram = "valmennus_http_request_seconds" if name == "gateway" else "valmennus_rpc_seconds"
    calls = difference(before, after, f"{histogram}_count")
    errors = (
        difference(before, after, f"{histogram}_count", outcome="error")
        if name != "gateway"
        else sum(
            difference(before, after, f"{histogram}_count", status=str(status))
            for status in range(500, 600)
        )
    )
    p95 = quantile(bucket_growth(before, after, f"{histogram}_bucket"), 0.95)
    scraped = list(after.values())
    rpc, events = queues if queues else (None, None)
    busy = sum(total(s, "valmennus_workers_busy") for s in scraped)
    most = sum(total(s, "valmennus_workers_max") for s in scraped)
    has_tables = name != "gateway" and scraped
    return ComponentStatus(
        name=name,
        instances=rpc.consumers if rpc else (len(scraped) if name == "gateway" else None),
        scraped=len(scraped),
        rpc_waiting=rpc.waiting if rpc else None,
        events_waiting=events,
        calls_per_second=calls / seconds if scraped else None,
        p95_ms=p95 * 1000 if p95 is not None else None,
        error_share=errors / calls if calls else None,
        cores=difference(before, after, "process_cpu_seconds_total") / seconds if scraped else None,
        busy_share=busy / most if most else None,
        parked=int(max(total(s, "valmennus_parked_events") for s in scraped))
        if has_tables
        else None,
        outbox=int(max(total(s, "valmennus_outbox_backlog") for s in scraped))
        if has_tables
        else None,
        outbox_oldest_seconds=(
            max(total(s, "valmennus_outbox_oldest_seconds") for s in scraped)
            if has_tables
            else None
        ),
    )


def collect(window_seconds: float, host_template: str, amqp_uri: str) -> list[ComponentStatus]:
    components = [*SERVICE_CLASSES, "gateway"]
    urls = {component: instance_urls(component, host_template) for component in components}
    every_url = [url for found in urls.values() for url in found]
    before = scrape_all(every_url)
    started = time.monotonic()
    time.sleep(window_seconds)
    after = scrape_all(every_url)
    seconds = time.monotonic() - started
    try:
        queues = queue_states(amqp_uri)
    except OSError:
        queues = {}
    return [
        component_status(
            component,
            {url: before[url] for url in urls[component] if url in before},
            {url: after[url] for url in urls[component] if url in after},
            seconds,
            queues.get(component),
        )
        for component in components
    ]


def shown(value, form: str = "{:.0f}") -> str:
    return "–" if value is None else form.format(value)


HEADER = (
    f"{'component':<10} {'instances':>9} {'scraped':>7} {'rpc queue':>9} {'events':>6} "
    f"{'calls/s':>8} {'p95 ms':>7} {'errors':>6} {'cores':>5} {'busy':>5} {'parked':>6} "
    f"{'outbox':>6}"
)


def row(status: ComponentStatus) -> str:
    return (
        f"{status.name:<10} {shown(status.instances):>9} {status.scraped:>7} "
        f"{shown(status.rpc_waiting):>9} {shown(status.events_waiting):>6} "
        f"{shown(status.calls_per_second, '{:.1f}'):>8} {shown(status.p95_ms):>7} "
        f"{shown(status.error_share, '{:.0%}'):>6} {shown(status.cores, '{:.2f}'):>5} "
        f"{shown(status.busy_share, '{:.0%}'):>5} {shown(status.parked):>6} "
        f"{shown(status.outbox):>6}"
    )


def advice(status: ComponentStatus) -> list[str]:
    """What the figures suggest, in the words of the README's operating section."""
    said = []
    instances = status.instances or status.scraped or 1
    saturated = (status.cores or 0) / instances > 0.8 or (status.busy_share or 0) >= 0.9
    if status.rpc_waiting and saturated:
        said.append(f"{status.name}: calls wait in its queue and its instances are busy: scale it")
    elif status.rpc_waiting:
        said.append(f"{status.name}: calls wait but its CPU is low: look at its database or peers")
    if status.events_waiting and status.events_waiting > 100:
        said.append(f"{status.name}: {status.events_waiting} events wait for its handlers")
    if status.parked:
        said.append(f"{status.name}: {status.parked} parked events (valmennus parked list)")
    if status.outbox and (status.outbox_oldest_seconds or 0) > 60:
        said.append(f"{status.name}: its outbox holds events over a minute old: broker reachable?")
    if status.scraped == 0:
        said.append(f"{status.name}: no metrics answered (not running, or its port is off)")
    return said


def report(statuses: list[ComponentStatus], window_seconds: float) -> str:
    lines = [f"over the last {window_seconds:g} s", HEADER, *map(row, statuses)]
    notes = [note for status in statuses for note in advice(status)]
    return "\n".join([*lines, "", *(notes or ["nothing suggests scaling"])])


def status_report(window_seconds: float, host_template: str) -> str:
    amqp_uri = load_config("accounts")["AMQP_URI"]
    return report(collect(window_seconds, host_template, amqp_uri), window_seconds)
