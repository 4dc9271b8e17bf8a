#!/usr/bin/env python3
"""Python multiprocessing peers for the interproc cross-JVM harness (io.interproc.bench.Harness).

Each scenario runs entirely in Python (this process plus multiprocessing children started with
the platform's default start method), warms up, measures, and prints one line
``RESULT {json}`` on standard output. Throughput scenarios sample a shared counter at the end of
each measured iteration and report ops per second per iteration; latency scenarios report
round-trip percentiles in nanoseconds. The 'blocked' scenario prints ``PID <pid>`` of a child
blocked in Queue.get() and waits for a line on standard input, so that the harness can read the
child's CPU time from /proc itself.

Usage: interproc_peers.py SCENARIO [--warmup S] [--iterations N] [--duration S] [--size B]
                                   [--rounds N] [--warmup-rounds N] [--gap-us U]
"""
import argparse
import json
import multiprocessing as mp
import os
import sys
import time


def _wait_go(go):
    go.wait()


# ---------------------------------------------------------------- lock and value

def _lock_worker(lock, counter, last, handoffs, me, stop, go):
    _wait_go(go)
    while not stop.value:
        with lock:
            counter.value += 1
            if last.value != me:  # an acquisition that took the lock from the other process
                last.value = me
                handoffs.value += 1


def _value_worker(value, stop, go):
    _wait_go(go)
    while not stop.value:
        with value.get_lock():
            value.value += 1


def _sample(read, args):
    """Warms up, then returns ops/s for each measured iteration of read() deltas."""
    time.sleep(args.warmup)
    rates = []
    for _ in range(args.iterations):
        c0, t0 = read(), time.perf_counter_ns()
        time.sleep(args.duration)
        c1, t1 = read(), time.perf_counter_ns()
        rates.append((c1 - c0) * 1e9 / (t1 - t0))
    return rates


def _run_workers(procs, go, stop, read, args):
    for p in procs:
        p.daemon = True
        p.start()
    go.set()
    try:
        rates = _sample(read, args)
    finally:
        stop.value = 1
        for p in procs:
            p.join(0.2)  # a consumer blocked in get() never ends by itself
            if p.is_alive():
                p.terminate()
                p.join(1.0)
    return rates


def scenario_lock(args):
    lock = mp.Lock()
    counter = mp.RawValue('q', 0)
    last = mp.RawValue('q', 0)
    handoffs = mp.RawValue('q', 0)
    stop = mp.RawValue('b', 0)
    go = mp.Event()
    procs = [mp.Process(target=_lock_worker, args=(lock, counter, last, handoffs, me, stop, go)) for me in (1, 2)]
    marks = []

    def read():
        marks.append((handoffs.value, time.perf_counter_ns()))
        return counter.value
    rates = _run_workers(procs, go, stop, read, args)
    (h0, t0), (h1, t1) = marks[0], marks[-1]
    return {"unit": "ops/s", "samples": rates, "handoffs_per_s": (h1 - h0) * 1e9 / max(1, t1 - t0),
            "what": "2 processes: with Lock: RawValue += 1"}


def scenario_value(args):
    value = mp.Value('q', 0)
    stop = mp.RawValue('b', 0)
    go = mp.Event()
    procs = [mp.Process(target=_value_worker, args=(value, stop, go)) for _ in range(2)]
    raw = value.get_obj()
    rates = _run_workers(procs, go, stop, lambda: raw.value, args)
    return {"unit": "ops/s", "samples": rates, "what": "2 processes: with v.get_lock(): v.value += 1"}


# ---------------------------------------------------------------- queue

def _producer(q, size, stop, go):
    q.cancel_join_thread()
    msg = bytes(size)
    _wait_go(go)
    put = q.put
    while not stop.value:
        put(msg)


def _consumer(q, count, stop, go):
    _wait_go(go)
    get = q.get
    n = 0
    while True:
        get()
        n += 1
        count.value = n


def scenario_queue(args):
    q = mp.Queue() if args.maxsize <= 0 else mp.Queue(maxsize=args.maxsize)
    count = mp.RawValue('q', 0)
    stop = mp.RawValue('b', 0)
    go = mp.Event()
    procs = [mp.Process(target=_producer, args=(q, args.size, stop, go)),
             mp.Process(target=_consumer, args=(q, count, stop, go))]
    rates = _run_workers(procs, go, stop, lambda: count.value, args)
    return {"unit": "msg/s", "samples": rates,
            "what": "1 producer put(bytes(%d)) -> 1 consumer get(), Queue(maxsize=%d)" % (args.size, args.maxsize)}


# ---------------------------------------------------------------- pipe ping-pong

def _ponger(conn):
    recv, send = conn.recv_bytes, conn.send_bytes
    while True:
        m = recv()
        if m == b'STOP':
            return
        send(m)


def _percentiles(values):
    values.sort()
    n = len(values)

    def at(p):
        return values[min(n - 1, max(0, int(round(p / 100.0 * n + 0.5)) - 1))]
    return {"p50": at(50), "p90": at(90), "p99": at(99), "p999": at(99.9), "max": values[-1], "count": n}


def scenario_pipe(args):
    a, b = mp.Pipe(duplex=True)
    child = mp.Process(target=_ponger, args=(b,), daemon=True)
    child.start()
    msg = bytes(args.size)
    send, recv, clock = a.send_bytes, a.recv_bytes, time.perf_counter_ns
    for _ in range(args.warmup_rounds):
        send(msg)
        recv()
    rtts = []
    append = rtts.append
    for _ in range(args.rounds):
        t0 = clock()
        send(msg)
        recv()
        append(clock() - t0)
    send(b'STOP')
    child.join(2.0)
    result = {"unit": "ns", "what": "Pipe send_bytes/recv_bytes of %d bytes, round trip" % args.size,
              "clock": "time.perf_counter_ns"}
    result.update(_percentiles(rtts))
    return result


# ---------------------------------------------------------------- event wake-up

def scenario_event(args):
    total = args.warmup_rounds + args.rounds
    ev, ack = mp.Event(), mp.Event()
    stamp = mp.RawValue('q', 0)
    lat = mp.RawArray('q', total)
    child = mp.Process(target=_event_child, args=(ev, ack, stamp, lat, total), daemon=True)
    child.start()
    gap = args.gap_us / 1e6
    for _ in range(total):
        time.sleep(gap)
        stamp.value = time.monotonic_ns()
        ev.set()
        ack.wait()
        ack.clear()
    child.join(2.0)
    values = list(lat[args.warmup_rounds:])
    result = {"unit": "ns", "what": "Event.set() -> wait() returns in another process, %d us apart" % args.gap_us,
              "clock": "time.monotonic_ns"}
    result.update(_percentiles(values))
    return result


def _event_child(ev, ack, stamp, lat, total):
    for i in range(total):
        ev.wait()
        lat[i] = time.monotonic_ns() - stamp.value
        ev.clear()
        ack.set()


# ---------------------------------------------------------------- blocked waiter CPU

def _blocked_child(q):
    q.get()


def scenario_blocked(args):
    q = mp.Queue()
    child = mp.Process(target=_blocked_child, args=(q,), daemon=True)
    child.start()
    print("PID %d" % child.pid, flush=True)
    sys.stdin.readline()
    q.put(b'x')
    child.join(5.0)
    return {"unit": "pid", "pid": child.pid}


SCENARIOS = {
    "lock": scenario_lock,
    "value": scenario_value,
    "queue": scenario_queue,
    "pipe": scenario_pipe,
    "event": scenario_event,
    "blocked": scenario_blocked,
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("scenario", choices=sorted(SCENARIOS))
    ap.add_argument("--warmup", type=float, default=2.0, help="warm-up seconds (throughput)")
    ap.add_argument("--iterations", type=int, default=5, help="measured iterations (throughput)")
    ap.add_argument("--duration", type=float, default=1.0, help="seconds per iteration (throughput)")
    ap.add_argument("--size", type=int, default=8, help="message size in bytes")
    ap.add_argument("--maxsize", type=int, default=10000, help="Queue maxsize (bounded, like SharedQueue; 0: unbounded)")
    ap.add_argument("--warmup-rounds", type=int, default=2000, help="warm-up round trips (latency)")
    ap.add_argument("--rounds", type=int, default=20000, help="measured round trips (latency)")
    ap.add_argument("--gap-us", type=int, default=200, help="pause before each event set (event)")
    args = ap.parse_args()
    result = SCENARIOS[args.scenario](args)
    result["python"] = sys.version.split()[0]
    result["start_method"] = mp.get_start_method()
    print("RESULT " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
