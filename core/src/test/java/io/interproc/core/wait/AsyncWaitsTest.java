package io.interproc.core.wait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.Segment;
import io.interproc.core.SharedIntArray;
import io.interproc.core.memory.SharedBuffer;
import io.interproc.core.testing.ChildJvms;
import io.interproc.core.testing.TempSegments;
import io.interproc.core.value.ArrayDescriptor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link AsyncWaits}: futures completed by the waiter machinery, with no thread per wait. The
 * "resource" is a counter of tokens in shared memory: an attempt takes one token with a CAS and
 * sleeps on the counter word; a producer adds tokens and wakes the waiters.
 */
class AsyncWaitsTest {
    private static final long LONG_SECONDS = 60;

    @RegisterExtension
    final TempSegments segments = new TempSegments();

    private Segment segment;
    private SharedBuffer buffer;
    private int tokens;
    private int waiters;
    private final AtomicInteger attempts = new AtomicInteger();

    private void newSegment() {
        segment = segments.create(1 << 20);
        SharedIntArray.create(segment, "w", 4);
        buffer = segment.buffer();
        tokens = segment.objects().get(0).offset() + ArrayDescriptor.DATA_OFFSET;
        waiters = tokens + Integer.BYTES;
    }

    /** Takes one token if there is one. */
    private long takeToken(java.util.function.Consumer<? super Integer> done) {
        attempts.incrementAndGet();
        int t = buffer.getIntVolatile(tokens);
        while (t > 0) {
            int seen = buffer.compareAndExchangeInt(tokens, t, t - 1);
            if (seen == t) {
                done.accept(t);
                return WaitLoop.DONE;
            }
            t = seen;
        }
        return t & 0xFFFF_FFFFL;
    }

    private CompletableFuture<Integer> awaitToken(long timeoutNanos, Runnable onAbandon) {
        return AsyncWaits.<Integer>await(segment, tokens, waiters, this::takeToken, segment::ensureOpen, timeoutNanos,
                null, onAbandon);
    }

    private CompletableFuture<Integer> awaitToken() {
        return awaitToken(WaitLoop.FOREVER, () -> { });
    }

    private void addTokens(int n) {
        buffer.getAndAddInt(tokens, n);
        WaitLoop.wakeIfWaiting(buffer, tokens, waiters, Integer.MAX_VALUE);
    }

    private void awaitNothingPending() throws InterruptedException {
        ChildJvms.awaitCondition("no asynchronous wait left", LONG_SECONDS,
                () -> AsyncWaits.pending() == 0 && buffer.getIntVolatile(waiters) == 0);
    }

    @Test
    void aTokenThereNowCompletesTheFutureAtOnceWithoutRegistering() throws Exception {
        newSegment();
        addTokens(1);
        CompletableFuture<Integer> f = awaitToken();
        assertTrue(f.isDone());
        assertEquals(1, f.get());
        assertEquals(0, buffer.getIntVolatile(waiters));
        assertEquals(0, AsyncWaits.pending());
    }

    @Test
    void aWaitCompletesWhenATokenArrives() throws Exception {
        newSegment();
        CompletableFuture<Integer> f = awaitToken();
        assertFalse(f.isDone());
        ChildJvms.awaitCondition("the wait is registered", LONG_SECONDS, () -> buffer.getIntVolatile(waiters) == 1);
        addTokens(1);
        assertEquals(1, f.get(LONG_SECONDS, TimeUnit.SECONDS));
        assertEquals(0, buffer.getIntVolatile(tokens));
        awaitNothingPending();
    }

    @Test
    void aThousandPendingWaitsNeedNoThreadEach() throws Exception {
        newSegment();
        int n = 1000;
        int threadsBefore = Thread.activeCount();
        List<CompletableFuture<Integer>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            futures.add(awaitToken());
        }
        ChildJvms.awaitCondition("all registered", LONG_SECONDS, () -> buffer.getIntVolatile(waiters) == n);
        assertEquals(n, AsyncWaits.pending());
        int threadsDuring = Thread.activeCount();
        assertTrue(threadsDuring - threadsBefore <= 10,
                "a few threads (one helper, the async-waits thread), not one per wait: before=" + threadsBefore
                        + ", during=" + threadsDuring);
        for (CompletableFuture<Integer> f : futures) {
            assertFalse(f.isDone());
        }
        addTokens(n);
        CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).get(LONG_SECONDS, TimeUnit.SECONDS);
        assertEquals(0, buffer.getIntVolatile(tokens), "each wait took exactly one token");
        awaitNothingPending();
    }

    @Test
    void aTimedWaitCompletesWithTheTimeoutValueAndPassesItsWakeUpOn() throws Exception {
        newSegment();
        AtomicInteger abandoned = new AtomicInteger();
        CompletableFuture<Integer> f = awaitToken(TimeUnit.MILLISECONDS.toNanos(50), abandoned::incrementAndGet);
        assertNull(f.get(LONG_SECONDS, TimeUnit.SECONDS));
        assertEquals(1, abandoned.get());
        awaitNothingPending();
        assertNull(awaitToken(0, abandoned::incrementAndGet).get(), "a zero timeout tries once");
        assertEquals(1, abandoned.get(), "a try that never registered has no wake-up to pass on");
    }

    @Test
    void cancelDeregistersAndNeverAttemptsAgain() throws Exception {
        newSegment();
        AtomicInteger abandoned = new AtomicInteger();
        CompletableFuture<Integer> f = awaitToken(WaitLoop.FOREVER, abandoned::incrementAndGet);
        ChildJvms.awaitCondition("registered", LONG_SECONDS, () -> buffer.getIntVolatile(waiters) == 1);
        assertTrue(f.cancel(false));
        assertTrue(f.isCancelled());
        assertThrows(CancellationException.class, f::join);
        assertEquals(0, buffer.getIntVolatile(waiters));
        assertEquals(0, AsyncWaits.pending());
        assertEquals(1, abandoned.get());
        int attemptsAfterCancel = attempts.get();
        addTokens(1);
        CompletableFuture<Integer> probe = awaitToken(); // a fresh wait takes the token
        assertEquals(1, probe.get(LONG_SECONDS, TimeUnit.SECONDS));
        assertEquals(attemptsAfterCancel + 1, attempts.get(), "only the probe attempted");
    }

    @Test
    void orTimeoutAndExternalCompletionEndTheWait() throws Exception {
        newSegment();
        CompletableFuture<Integer> timed = awaitToken().orTimeout(50, TimeUnit.MILLISECONDS);
        ExecutionException x = assertThrows(ExecutionException.class, () -> timed.get(LONG_SECONDS, TimeUnit.SECONDS));
        assertInstanceOf(TimeoutException.class, x.getCause());
        CompletableFuture<Integer> f = awaitToken();
        assertTrue(f.complete(-1));
        assertEquals(-1, f.get());
        assertThrows(UnsupportedOperationException.class, () -> f.obtrudeValue(3));
        awaitNothingPending();
        addTokens(1);
        assertEquals(1, buffer.getIntVolatile(tokens), "no ended wait took the token");
    }

    @Test
    void cancellationRacingWithTokensNeverLosesOne() throws Exception {
        newSegment();
        int rounds = 2000;
        int completed = 0;
        for (int i = 0; i < rounds; i++) {
            CompletableFuture<Integer> f = awaitToken();
            addTokens(1);
            if (!f.cancel(false)) {
                assertEquals(1, f.get(LONG_SECONDS, TimeUnit.SECONDS), "cancel lost: the future holds the token");
                completed++;
            } else {
                assertTrue(f.isCancelled());
                assertEquals(1, buffer.getIntVolatile(tokens), "a cancelled wait took nothing");
                buffer.getAndAddInt(tokens, -1);
            }
            assertEquals(0, buffer.getIntVolatile(tokens), "round " + i);
        }
        awaitNothingPending();
    }

    @Test
    void closingTheSegmentFailsPendingWaitsAndDoesNotHangTheClose() throws Exception {
        newSegment();
        CompletableFuture<Integer> f = awaitToken();
        ChildJvms.awaitCondition("registered", LONG_SECONDS, () -> buffer.getIntVolatile(waiters) == 1);
        segment.close();
        ExecutionException x = assertThrows(ExecutionException.class, () -> f.get(LONG_SECONDS, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, x.getCause());
        assertEquals(0, AsyncWaits.pending());
        CompletableFuture<Integer> late = awaitToken();
        assertTrue(late.isCompletedExceptionally(), "a wait on a closed segment fails at once");
    }

    @Test
    void aDependentStageMayCancelOrCompleteItsOwnSourceWithoutDeadlock() throws Exception {
        newSegment();
        CompletableFuture<Integer> f = awaitToken();
        CompletableFuture<Boolean> cancelInside = f.thenApply(v -> f.cancel(false) || f.complete(-1));
        addTokens(1);
        assertFalse(cancelInside.get(LONG_SECONDS, TimeUnit.SECONDS), "completed already: both refuse");
        assertEquals(1, f.get());
        addTokens(1);
        CompletableFuture<Integer> g = awaitToken(); // completed by the first try, in this thread
        assertTrue(g.isDone());
        assertFalse(g.thenApply(v -> g.cancel(false)).get(LONG_SECONDS, TimeUnit.SECONDS));
        awaitNothingPending();
    }

    @Test
    void dependentStagesArePlainFutures() throws Exception {
        newSegment();
        CompletableFuture<Integer> f = awaitToken();
        CompletableFuture<Integer> plusOne = f.thenApply(v -> v + 1);
        assertEquals(CompletableFuture.class, plusOne.getClass());
        addTokens(1);
        assertEquals(2, plusOne.get(LONG_SECONDS, TimeUnit.SECONDS));
        awaitNothingPending();
    }
}
