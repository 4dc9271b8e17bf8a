#!/usr/bin/env python3
"""Python multiprocessing.Manager peers for the interproc harness's collections scenarios
(io.interproc.bench.CollectionScenarios): Manager().dict() get / put / remove + put back with
8-byte (int) keys or 100-byte string keys, one writer and one reader, two writers, and
Manager().list().append from two processes. Each scenario runs worker processes that talk to
the manager's server process through proxies (every call a round trip), samples their shared
op counters, and prints one line ``RESULT {json}`` with ops per second per measured iteration.

Usage: manager_peers.py SCENARIO [--warmup S] [--iterations N] [--duration S] [--n KEYS]
                                 [--keys long|string100]
"""
import argparse
import json
import multiprocessing as mp
import time


def _keys(kind, n):
    return list(range(n)) if kind == "long" else ["%0100d" % i for i in range(n)]


def _worker(op, d, keys, counter, stop, go):
    go.wait()
    i = 0
    n = 0
    count = len(keys)
    while not stop.value:
        k = keys[i]
        if op == "get":
            d.get(k)
        elif op == "put":
            d[k] = n
        elif op == "remove":
            d.pop(k, None)
            d[k] = n
        elif op == "append":
            d.append(n)
            if n % 50000 == 0:
                del d[:]
        n += 1
        i = i + 1 if i + 1 < count else 0
        if n % 64 == 0:
            counter.value = n


def _run(args, ops, make, what):
    with mp.Manager() as manager:
        obj = make(manager)
        keys = _keys(args.keys, args.n)
        stop = mp.Value("b", 0, lock=False)
        go = mp.Event()
        counters = [mp.Value("q", 0, lock=False) for _ in ops]
        procs = [mp.Process(target=_worker, args=(op, obj, keys, counters[i], stop, go), daemon=True)
                 for i, op in enumerate(ops)]
        for p in procs:
            p.start()
        go.set()
        counted = [c for c, op in zip(counters, ops) if op != "put" or "get" not in ops]

        def read():
            return sum(c.value for c in counted)

        time.sleep(args.warmup)
        rates = []
        for _ in range(args.iterations):
            c0, t0 = read(), time.perf_counter_ns()
            time.sleep(args.duration)
            c1, t1 = read(), time.perf_counter_ns()
            rates.append((c1 - c0) * 1e9 / (t1 - t0))
        stop.value = 1
        for p in procs:
            p.join(10)
            if p.is_alive():
                p.terminate()
        return {"samples": rates, "what": what}


def _filled_dict(args):
    def make(manager):
        d = manager.dict()
        d.update({k: 1 for k in _keys(args.keys, args.n)})
        return d
    return make


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario")
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--iterations", type=int, default=5)
    parser.add_argument("--duration", type=float, default=1.0)
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--keys", default="long")
    args = parser.parse_args()
    s = args.scenario
    if s.startswith("dict-") and s[5:] in ("get", "put", "remove"):
        op = s[5:]
        result = _run(args, [op], _filled_dict(args), "1 process calling Manager().dict() " + op
                      + (" + put back" if op == "remove" else "") + " through its proxy")
    elif s == "dict-1w1r":
        result = _run(args, ["get", "put"], _filled_dict(args),
                      "2 processes: one puts, one gets (the reader's gets counted)")
    elif s == "dict-2w":
        result = _run(args, ["put", "put"], _filled_dict(args), "2 processes putting (both counted)")
    elif s == "list-append":
        args.keys = "long"
        args.n = 1
        result = _run(args, ["append", "append"], lambda manager: manager.list(),
                      "2 processes calling Manager().list().append (both counted)")
    else:
        raise SystemExit("unknown scenario: " + s)
    print("RESULT " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
