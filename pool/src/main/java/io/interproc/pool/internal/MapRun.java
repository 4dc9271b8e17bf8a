package io.interproc.pool.internal;

import io.interproc.core.CodecException;
import io.interproc.core.wait.Deadline;
import io.interproc.pool.ResultIterator;
import io.interproc.pool.SerializableFunction;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One {@code map}, {@code mapAsync}, {@code imap} or {@code imapUnordered} call on a process
 * pool: reads the arguments lazily (on the pool's dispatcher thread, a chunk at a
 * time, as workers become free), sends each chunk as one job, and collects one outcome per
 * argument. It is the {@link Future} of {@code mapAsync} (which fails fast: the first failure
 * completes it, and chunks not yet sent are dropped) and hands out the {@link ResultIterator}s of
 * {@code imap} and {@code imapUnordered}. Thread-safe: the dispatcher thread reads jobs
 * ({@link #nextJob()}), the collector thread delivers outcomes, callers wait and iterate.
 *
 * @param <T> the type of the arguments
 * @param <R> the type of the results
 */
public final class MapRun<T, R> implements Future<List<R>>, Submission {
    /** An argument's outcome. */
    private record Outcome(boolean ok, Object value) {
    }

    /** Stands for an outcome already handed out by an iterator (so its value can be collected). */
    private static final Outcome TAKEN = new Outcome(true, null);

    private final PoolEngine pool;
    /** The completion hook of {@code mapAsync}'s future, run once when the run is done; guarded by this. */
    private Runnable whenDone;
    private final SerializableFunction<? super T, ? extends R> function;
    private final byte[] functionBytes;
    private final Iterator<? extends T> input;
    private final int chunkSize;
    private final boolean failFast;
    private final String kind;
    /** At most this many arguments are read and not yet handed out by an iterator. */
    private final int window;

    // guarded by this
    private int pulled;
    private boolean inputEnded;
    private final ArrayList<Outcome> outcomes = new ArrayList<>();
    private int completed;
    private int handedOut;
    private final ArrayDeque<Integer> completionOrder;
    private Throwable failure;
    private boolean cancelled;
    /** Jobs made and not (or no longer) given to a worker: never run. */
    private final java.util.Set<PoolJob> notRunning = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private List<R> value;

    /**
     * @param pool the pool
     * @param function the function, for the local runs of {@code shutdownNow}'s list
     * @param functionBytes its encoding
     * @param input the arguments; read by the dispatcher thread only
     * @param chunkSize arguments per job, at least 1
     * @param mode how outcomes are handed out (whether the first failure settles the whole run,
     *     whether they are kept in completion order too)
     * @param window how many arguments may be read ahead of the iterator's reader, or
     *     {@link Integer#MAX_VALUE} for no limit
     */
    public MapRun(PoolEngine pool, SerializableFunction<? super T, ? extends R> function, byte[] functionBytes,
            Iterator<? extends T> input, int chunkSize, MapMode mode, int window) {
        this.pool = pool;
        this.function = function;
        this.functionBytes = functionBytes;
        this.input = input;
        this.chunkSize = chunkSize;
        this.failFast = mode.failFast();
        this.kind = mode.callName();
        this.window = window;
        this.completionOrder = mode.unordered() ? new ArrayDeque<>() : null;
    }

    /**
     * Starts a map call: encodes the function in this thread and queues the run.
     *
     * @param chunkSize arguments per job, at least 1
     * @return the run
     * @throws io.interproc.core.CodecException if the function cannot be serialized
     * @throws java.util.concurrent.RejectedExecutionException if the pool is shut down
     */
    public static <T, R> MapRun<T, R> start(PoolEngine engine, SerializableFunction<? super T, ? extends R> function,
            Iterator<? extends T> input, int chunkSize, MapMode mode) {
        Objects.requireNonNull(function, "function");
        byte[] fn = engine.codec().encodeTask(function);
        int window = mode.failFast() ? Integer.MAX_VALUE
                : (int) Math.min(Integer.MAX_VALUE, Math.max(64, 16L * engine.settings().workers() * chunkSize));
        MapRun<T, R> run = new MapRun<>(engine, function, fn, input, chunkSize, mode, window);
        engine.enqueue(run);
        return run;
    }

    /**
     * Starts an {@code imap} or {@code imapUnordered} call, reading {@code items} lazily.
     *
     * @return its results in argument order ({@link MapMode#IMAP}) or completion order
     */
    public static <T, R> ResultIterator<R> iterate(PoolEngine engine,
            SerializableFunction<? super T, ? extends R> function, Iterable<? extends T> items, int chunkSize,
            MapMode mode) {
        checkChunkSize(chunkSize);
        Objects.requireNonNull(items, "items");
        MapRun<T, R> run = start(engine, function, items.iterator(), chunkSize, mode);
        return mode.unordered() ? run.unordered() : run.ordered();
    }

    /** @return the items read at once into a list (map and mapAsync read their arguments in the caller) */
    public static <T> List<T> readAll(Iterable<? extends T> items) {
        Objects.requireNonNull(items, "items");
        List<T> list = items instanceof Collection ? new ArrayList<>(((Collection<? extends T>) items).size())
                : new ArrayList<>();
        for (T item : items) {
            list.add(item);
        }
        return list;
    }

    /** @throws IllegalArgumentException if {@code chunkSize < 1} */
    public static void checkChunkSize(int chunkSize) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunkSize must be at least 1: chunkSize=" + chunkSize);
        }
    }

    // ---------------------------------------------------------------- as a source

    @Override
    public PoolJob nextJob() {
        while (true) {
            synchronized (this) {
                if (inputEnded || isDoneLocked()) {
                    return null;
                }
            }
            List<T> items = new ArrayList<>(Math.min(chunkSize, 1024));
            Throwable inputError = null;
            boolean ended = false;
            try {
                while (items.size() < chunkSize && input.hasNext()) {
                    items.add(input.next());
                }
                ended = !input.hasNext();
            } catch (RuntimeException | Error e) {
                inputError = e;
                ended = true;
            }
            long id = pool.nextTaskId();
            PoolWire.Writer message = PoolWire.applyHeader(id, functionBytes, items.size(), 16 * items.size());
            int countAt = message.position() - 4;
            int[] indices = new int[items.size()];
            CodecException[] encodeErrors = new CodecException[items.size()];
            int sendable = 0;
            for (int i = 0; i < items.size(); i++) {
                try {
                    pool.codec().encodeTo(message, items.get(i));
                    indices[sendable++] = i; // made absolute below
                } catch (CodecException e) {
                    encodeErrors[i] = new CodecException("cannot send argument " + i + " of " + kind + " chunk: "
                            + e.getMessage(), e);
                }
            }
            message.setInt(countAt, sendable);
            int first;
            int inputErrorIndex = -1;
            synchronized (this) {
                if (isDoneLocked()) {
                    inputEnded = true;
                    signal();
                    return null;
                }
                first = pulled;
                for (int i = 0; i < items.size(); i++) {
                    outcomes.add(null);
                }
                pulled += items.size();
                if (inputError != null) {
                    outcomes.add(null);
                    inputErrorIndex = pulled++;
                }
                inputEnded = ended;
                completeIfDone();
                signal();
            }
            for (int i = 0; i < items.size(); i++) {
                if (encodeErrors[i] != null) {
                    deliver(first + i, false, encodeErrors[i]);
                }
            }
            if (inputError != null) {
                deliver(inputErrorIndex, false, inputError);
            }
            if (sendable > 0) {
                int[] absolute = new int[sendable];
                for (int j = 0; j < sendable; j++) {
                    absolute[j] = first + indices[j];
                }
                String description = "task " + id + " (" + kind + (items.size() == 1 ? " item " + first
                        : " items " + first + "-" + (first + items.size() - 1)) + ")";
                List<T> chunk = new ArrayList<>(sendable);
                for (int j = 0; j < sendable; j++) {
                    chunk.add(items.get(indices[j]));
                }
                PoolJob job = new PoolJob(id, this, absolute, message.toArray(), description, localRun(chunk.iterator()));
                synchronized (this) {
                    notRunning.add(job);
                }
                return job;
            }
            if (ended) {
                return null;
            }
        }
    }

    @Override
    public synchronized boolean hasMoreJobs() {
        return !inputEnded && !isDoneLocked();
    }

    @Override
    public synchronized boolean canSupplyNow() {
        return pulled - handedOut < window;
    }

    /** Counts one result handed out; wakes the dispatcher if that reopens the window. */
    private boolean handOut() {
        handedOut++;
        return pulled - handedOut == window - 1;
    }

    @Override
    public synchronized void started(PoolJob job) {
        notRunning.remove(job);
    }

    @Override
    public synchronized void unsent(PoolJob job) {
        notRunning.add(job);
    }

    @Override
    public void deliver(int index, boolean ok, Object valueOrError) {
        synchronized (this) {
            if (settle(index, ok, valueOrError)) {
                completeIfDone();
                signal();
            }
        }
    }

    @Override
    public void deliverAll(PoolJob job, boolean[] ok, Object[] values) {
        synchronized (this) {
            boolean any = false;
            for (int i = 0; i < job.indices().length; i++) {
                any |= settle(job.indices()[i], ok[i], values[i]);
            }
            if (any) {
                completeIfDone();
                signal();
            }
        }
    }

    /** Records one outcome unless the item is settled already. @return whether it was recorded */
    private boolean settle(int index, boolean ok, Object valueOrError) {
        if (index < 0 || index >= outcomes.size() || outcomes.get(index) != null || cancelled) {
            return false;
        }
        record(index, new Outcome(ok, valueOrError));
        if (!ok && failFast && failure == null) {
            failure = (Throwable) valueOrError;
        }
        return true;
    }

    /** Builds the list of results once every argument has succeeded (map, mapAsync). */
    private void completeIfDone() {
        if (failFast && failure == null && !cancelled && value == null && inputEnded && completed == pulled) {
            List<R> list = new ArrayList<>(pulled);
            for (Outcome o : outcomes) {
                @SuppressWarnings("unchecked")
                R r = (R) o.value();
                list.add(r);
            }
            value = Collections.unmodifiableList(list);
        }
    }

    private void record(int index, Outcome outcome) {
        outcomes.set(index, outcome);
        completed++;
        if (completionOrder != null) {
            completionOrder.add(index);
        }
    }

    @Override
    public synchronized boolean isFinished() {
        return isDoneLocked();
    }

    private boolean isDoneLocked() {
        return cancelled || failure != null || (inputEnded && completed == pulled);
    }

    @Override
    public List<Runnable> abort(Throwable reason) {
        boolean inputOpen;
        List<Runnable> unstarted = new ArrayList<>();
        synchronized (this) {
            if (isDoneLocked()) {
                return List.of();
            }
            notRunning.forEach(job -> unstarted.add(job.local()));
            notRunning.clear();
            inputOpen = !inputEnded;
            settleOutstanding(reason == null ? new CancellationException(kind + " cancelled: the pool was shut down now")
                    : reason);
            if (reason == null) {
                cancelled = true;
            } else if (failFast && failure == null) {
                failure = reason;
            }
            signal();
        }
        if (inputOpen) {
            unstarted.add(localRun(input));
        }
        return unstarted;
    }

    /** @return a runnable that applies the function to {@code items} in this JVM, results dropped */
    private Runnable localRun(Iterator<? extends T> items) {
        return RunnableCall.locally(() -> {
            while (items.hasNext()) {
                function.apply(items.next());
            }
            return null;
        });
    }

    /**
     * Gives every argument without an outcome the failure {@code error}, and ends the input; if
     * arguments were left unread, one more outcome with {@code error} says so to an iterator's
     * reader (rather than letting the results end as if complete).
     */
    private void settleOutstanding(Throwable error) {
        for (int i = 0; i < outcomes.size(); i++) {
            if (outcomes.get(i) == null) {
                record(i, new Outcome(false, error));
            }
        }
        if (!inputEnded) {
            outcomes.add(null);
            record(pulled++, new Outcome(false, error));
            inputEnded = true;
        }
    }

    /**
     * Wakes the threads waiting on this run and, once it is done, hands the completion hook (the
     * future {@code mapAsync} returned) to the pool's callback thread. Called holding the monitor.
     */
    private void signal() {
        notifyAll();
        if (whenDone != null && isDoneLocked()) {
            Runnable hook = whenDone;
            whenDone = null;
            pool.runCallback(hook);
        }
    }

    /**
     * Runs {@code hook} on the pool's callback thread once this run is done (at once if it is).
     * One hook per run; {@code mapAsync}'s future sets it as it is made.
     *
     * @param hook what completes the future
     */
    public synchronized void whenDone(Runnable hook) {
        whenDone = Objects.requireNonNull(hook, "hook");
        signal();
    }

    // ---------------------------------------------------------------- Future (mapAsync)

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        synchronized (this) {
            if (isDoneLocked()) {
                return false;
            }
            settleOutstanding(new CancellationException(kind + " was cancelled"));
            cancelled = true;
            signal();
        }
        pool.cancelled(this, mayInterruptIfRunning);
        return true;
    }

    @Override
    public synchronized boolean isCancelled() {
        return cancelled;
    }

    @Override
    public synchronized boolean isDone() {
        return isDoneLocked();
    }

    @Override
    public synchronized List<R> get() throws InterruptedException, ExecutionException {
        while (!isDoneLocked()) {
            wait();
        }
        return report();
    }

    @Override
    public synchronized List<R> get(long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = Deadline.deadline(timeout, unit);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        while (!isDoneLocked()) {
            long left = Deadline.remaining(deadline);
            if (left <= 0) {
                throw new TimeoutException(kind + " not done within " + timeout + " " + unit + ": " + completed
                        + " of " + pulled + (inputEnded ? "" : "+") + " results ready");
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return report();
    }

    private List<R> report() throws ExecutionException {
        if (cancelled) {
            throw new CancellationException(kind + " was cancelled");
        }
        if (failure != null) {
            throw new ExecutionException(failure);
        }
        return value;
    }

    // ---------------------------------------------------------------- iterators

    /** @return the results in argument order (imap) */
    ResultIterator<R> ordered() {
        return new Results(false);
    }

    /** @return the results in completion order (imapUnordered) */
    ResultIterator<R> unordered() {
        if (completionOrder == null) {
            throw new IllegalStateException("run was not made for unordered results");
        }
        return new Results(true);
    }

    private void awaitUnchecked() {
        try {
            wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        }
    }

    private void awaitUntil(long deadline, long timeout, TimeUnit unit) throws InterruptedException, TimeoutException {
        long left = Deadline.remaining(deadline);
        if (left <= 0) {
            throw new TimeoutException("no " + kind + " result within " + timeout + " " + unit);
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
    }

    private R unchecked(Outcome o) {
        try {
            return checked(o);
        } catch (ExecutionException e) {
            throw new CompletionException(e.getCause());
        }
    }

    @SuppressWarnings("unchecked")
    private R checked(Outcome o) throws ExecutionException {
        if (o.ok()) {
            return (R) o.value();
        }
        Throwable t = (Throwable) o.value();
        if (t instanceof CancellationException) {
            throw (CancellationException) t;
        }
        throw new ExecutionException(t);
    }

    /** The iterators: hand out outcomes in argument order, or in completion order. */
    private final class Results implements ResultIterator<R> {
        private final boolean inCompletionOrder;

        Results(boolean inCompletionOrder) {
            this.inCompletionOrder = inCompletionOrder;
        }

        @Override
        public boolean hasNext() {
            synchronized (MapRun.this) {
                while (handedOut >= pulled && !inputEnded) {
                    awaitUnchecked();
                }
                return handedOut < pulled;
            }
        }

        @Override
        public R next() {
            Outcome o;
            boolean wake;
            synchronized (MapRun.this) {
                if (!hasNext()) {
                    throw new NoSuchElementException(kind + ": no more results after " + handedOut);
                }
                while (!readyNow()) {
                    awaitUnchecked();
                }
                o = take();
                wake = handOut();
            }
            if (wake) {
                pool.signalWork();
            }
            return unchecked(o);
        }

        @Override
        public R next(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
            long deadline = Deadline.deadline(timeout, unit);
            Outcome o;
            boolean wake;
            synchronized (MapRun.this) {
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                while (handedOut >= pulled && !inputEnded) {
                    awaitUntil(deadline, timeout, unit);
                }
                if (handedOut >= pulled) {
                    throw new NoSuchElementException(kind + ": no more results after " + handedOut);
                }
                while (!readyNow()) {
                    awaitUntil(deadline, timeout, unit);
                }
                o = take();
                wake = handOut();
            }
            if (wake) {
                pool.signalWork();
            }
            return checked(o);
        }

        private boolean readyNow() {
            return inCompletionOrder ? !completionOrder.isEmpty() : outcomes.get(handedOut) != null;
        }

        private Outcome take() {
            int index = inCompletionOrder ? completionOrder.poll() : handedOut;
            return outcomes.set(index, TAKEN);
        }

        @Override
        public void close() {
            cancel(false);
        }
    }

    @Override
    public synchronized String toString() {
        return "MapRun[" + kind + ", " + completed + " of " + pulled + (inputEnded ? "" : "+") + " done"
                + (cancelled ? ", cancelled" : failure != null ? ", failed: " + failure : "") + "]";
    }
}
