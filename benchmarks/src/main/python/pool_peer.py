#!/usr/bin/env python3
"""Python's multiprocessing.Pool on the same tiny tasks as io.interproc.bench.PoolBenchmark.

Prints one line per measured run: RESULT <mode> <tasks> <seconds>, and the pool's start-up time
as STARTUP <seconds>. Modes:
  map        pool.map(square, range(n))                 default chunksize, ceil(n / (4 * workers))
  map1       pool.map(square, range(n), chunksize=1)    one task per item
  apply      [pool.apply_async(square, (i,)) ...]       one task per call, then get() each
  imapu      pool.imap_unordered(square, range(n))      chunksize 1, consumed as results arrive

Usage: pool_peer.py --workers 2 --tasks 100000 --per-task 20000 --runs 3 --warmup 5
"""
import argparse
import multiprocessing
import time


def square(x):
    return x * x


def run(pool, mode, n):
    start = time.perf_counter()
    if mode == "map":
        out = pool.map(square, range(n))
        assert out[-1] == (n - 1) * (n - 1)
    elif mode == "map1":
        out = pool.map(square, range(n), chunksize=1)
        assert out[-1] == (n - 1) * (n - 1)
    elif mode == "apply":
        results = [pool.apply_async(square, (i,)) for i in range(n)]
        total = 0
        for r in results:
            total += r.get()
        assert total == sum(i * i for i in range(n))
    elif mode == "imapu":
        total = 0
        for v in pool.imap_unordered(square, range(n)):
            total += v
        assert total == sum(i * i for i in range(n))
    else:
        raise ValueError(mode)
    return time.perf_counter() - start


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--tasks", type=int, default=100000, help="items for the chunked map")
    p.add_argument("--per-task", type=int, default=20000, help="items for the one-task-per-item modes")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--warmup", type=int, default=5, help="unmeasured full-size runs before the measured ones")
    p.add_argument("--modes", default="map,map1,apply,imapu")
    p.add_argument("--start-method", default=None, help="fork (Linux default), spawn or forkserver")
    a = p.parse_args()
    ctx = multiprocessing.get_context(a.start_method)
    t0 = time.perf_counter()
    with ctx.Pool(a.workers) as pool:
        pool.map(square, range(a.workers))  # every worker is up
        print("STARTUP %.6f" % (time.perf_counter() - t0), flush=True)
        for mode in a.modes.split(","):
            n = a.tasks if mode == "map" else a.per_task
            for _ in range(a.warmup):
                run(pool, mode, n)
            for _ in range(a.runs):
                print("RESULT %s %d %.6f" % (mode, n, run(pool, mode, n)), flush=True)


if __name__ == "__main__":
    main()
