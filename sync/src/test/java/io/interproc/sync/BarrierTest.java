package io.interproc.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.CorruptSegmentException;
import io.interproc.core.KindMismatchException;
import io.interproc.core.Segment;
import io.interproc.core.testing.ChildJvms;
import io.interproc.core.testing.TempSegments;
import io.interproc.core.wait.WaitLoop;
import io.interproc.sync.internal.BarrierDescriptor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;

class BarrierTest {
    @RegisterExtension
    final TempSegments segments = new TempSegments();

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() throws InterruptedException {
        threads.shutdownNow();
        assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS), "test threads ended");
    }

    private static int base(Segment s, String name) {
        return s.objects().stream().filter(o -> o.name().equals(name)).findFirst().orElseThrow().offset();
    }

    private static <T> T result(Future<T> f) throws Exception {
        return f.get(20, TimeUnit.SECONDS);
    }

    private static Throwable failure(Future<?> f) {
        return assertThrows(ExecutionException.class, () -> f.get(20, TimeUnit.SECONDS)).getCause();
    }

    private static void awaitWaiting(SharedBarrier b, int n) throws InterruptedException {
        ChildJvms.awaitCondition(n + " parties waiting at " + b.name(), 10, () -> b.numberWaiting() == n);
    }

    private static void awaitSleepers(Segment s, String name, int n) throws InterruptedException {
        int at = base(s, name) + BarrierDescriptor.WAITERS_OFFSET;
        ChildJvms.awaitCondition(n + " sleepers on " + name, 10, () -> s.buffer().getIntVolatile(at) == n);
    }

    private Future<Integer> party(SharedBarrier b) {
        return threads.submit(() -> b.await());
    }

    private static String brokenMessage(String name) {
        return "barrier '" + name + "' is broken";
    }

    private static void assertBroken(String name, Throwable t) {
        assertTrue(t instanceof BrokenBarrierException, "expected BrokenBarrierException: " + t);
        assertEquals(brokenMessage(name), t.getMessage());
    }

    @Test
    void shouldRejectPartiesOutOfRange() {
        Segment s = segments.create(1 << 20);
        for (int p : new int[] {0, -1, 1025, Integer.MIN_VALUE}) {
            assertEquals("parties must be 1 to 1024: parties=" + p,
                    assertThrows(IllegalArgumentException.class, () -> SharedBarrier.create(s, "b", p)).getMessage());
            assertEquals("parties must be 1 to 1024: parties=" + p,
                    assertThrows(IllegalArgumentException.class,
                            () -> SharedBarrier.openOrCreate(s, "b", p, () -> { })).getMessage());
        }
        assertTrue(s.objects().isEmpty(), "nothing was created");
        assertEquals(1024, SharedBarrier.create(s, "max", 1024).parties());
        assertEquals(SharedBarrier.MAX_PARTIES, BarrierDescriptor.MAX_PARTIES);
    }

    @Test
    void shouldDescribeTheBarrier() {
        Segment s = segments.create(1 << 20);
        SharedBarrier b = SharedBarrier.create(s, "b", 3);
        assertEquals("b", b.name());
        assertEquals(3, b.parties());
        assertEquals(0, b.numberWaiting());
        assertFalse(b.isBroken());
        assertEquals(3, SharedBarrier.open(s, "b").parties());
        assertEquals(3, SharedBarrier.open(s, "b", () -> { }).parties());
        assertEquals(3, SharedBarrier.openOrCreate(s, "b", 7).parties(), "parties of an existing barrier ignored");
        assertEquals(5, SharedBarrier.openOrCreate(s, "c", 5).parties());
        assertEquals(2, SharedBarrier.create(s, "d", 2, null).parties());
    }

    @Test
    void shouldReleaseAllPartiesWithTheirArrivalIndices() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedBarrier b = SharedBarrier.create(s, "b", 3);
        Future<Integer> first = party(b);
        awaitWaiting(b, 1);
        Future<Integer> second = party(b);
        awaitWaiting(b, 2);
        assertFalse(first.isDone());
        assertEquals(0, b.await(), "the last to arrive gets 0");
        assertEquals(2, result(first), "the first to arrive gets parties - 1");
        assertEquals(1, result(second));
        assertEquals(0, b.numberWaiting());
        assertFalse(b.isBroken());
    }

    @Test
    void shouldRunTheActionOnceInTheLastArriversThreadBeforeReleasingAnyone() throws Exception {
        Segment s = segments.create(1 << 20);
        AtomicInteger runs = new AtomicInteger();
        AtomicReference<Thread> ranIn = new AtomicReference<>();
        AtomicInteger waitingDuringAction = new AtomicInteger(-1);
        SharedBarrier[] holder = new SharedBarrier[1];
        SharedBarrier b = SharedBarrier.create(s, "b", 3, () -> {
            runs.incrementAndGet();
            ranIn.set(Thread.currentThread());
            waitingDuringAction.set(holder[0].numberWaiting());
        });
        holder[0] = b;
        List<Future<Integer>> parties = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            parties.add(threads.submit(() -> {
                int index = b.await();
                if (index == 0) {
                    assertSame(Thread.currentThread(), ranIn.get(), "the action ran in the last arriver's thread");
                }
                assertEquals(1, runs.get(), "the action ran before this party was released");
                return index;
            }));
        }
        Set<Integer> indices = new HashSet<>();
        for (Future<Integer> p : parties) {
            indices.add(result(p));
        }
        assertEquals(Set.of(0, 1, 2), indices);
        assertEquals(1, runs.get());
        assertEquals(3, waitingDuringAction.get(), "all parties count as waiting while the action runs");
    }

    @Test
    void shouldRunTheActionOfTheLastArriversHandle() throws Exception {
        Segment a = segments.create(1 << 20);
        Segment other = segments.track(Segment.open(a.name(), segments.options()));
        AtomicInteger actionA = new AtomicInteger();
        AtomicInteger actionB = new AtomicInteger();
        SharedBarrier barrierA = SharedBarrier.create(a, "b", 2, actionA::incrementAndGet);
        SharedBarrier barrierB = SharedBarrier.open(other, "b", actionB::incrementAndGet);
        Future<Integer> firstA = party(barrierA);
        awaitWaiting(barrierA, 1);
        assertEquals(0, barrierB.await());
        assertEquals(1, result(firstA));
        assertEquals(0, actionA.get(), "the first arriver's action does not run");
        assertEquals(1, actionB.get());
        Future<Integer> firstB = party(barrierB);
        awaitWaiting(barrierA, 1);
        SharedBarrier noAction = SharedBarrier.open(a, "b");
        assertEquals(0, noAction.await(), "a handle without an action trips without one");
        assertEquals(1, result(firstB));
        assertEquals(0, actionA.get());
        assertEquals(1, actionB.get());
    }

    @Test
    void shouldPassManyGenerationsInARow() throws Exception {
        Segment s = segments.create(1 << 20);
        int parties = 3;
        int rounds = 300;
        AtomicLong generation = new AtomicLong();
        SharedBarrier b = SharedBarrier.create(s, "b", parties, generation::incrementAndGet);
        List<Future<Integer>> workers = new ArrayList<>();
        for (int t = 0; t < parties; t++) {
            workers.add(threads.submit(() -> {
                int lastArrivals = 0;
                for (int r = 1; r <= rounds; r++) {
                    if (b.await(20, TimeUnit.SECONDS) == 0) {
                        lastArrivals++;
                    }
                    assertEquals(r, generation.get(), "the action of this generation ran exactly once");
                }
                return lastArrivals;
            }));
        }
        int last = 0;
        for (Future<Integer> w : workers) {
            last += result(w);
        }
        assertEquals(rounds, last, "one last arriver per generation");
        assertEquals(rounds, generation.get());
        assertFalse(b.isBroken());
    }

    @Test
    void shouldLetMoreThreadsThanPartiesFormSuccessiveGenerations() throws Exception {
        Segment s = segments.create(1 << 20);
        AtomicInteger trips = new AtomicInteger();
        SharedBarrier b = SharedBarrier.create(s, "b", 2, trips::incrementAndGet);
        // 400 arrivals, handed out as tickets: whoever takes one arrives, so every arrival finds a partner.
        AtomicInteger tickets = new AtomicInteger(400);
        List<Future<Integer>> workers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            workers.add(threads.submit(() -> {
                int arrivals = 0;
                while (tickets.getAndDecrement() > 0) {
                    b.await(20, TimeUnit.SECONDS);
                    arrivals++;
                }
                return arrivals;
            }));
        }
        int arrivals = 0;
        for (Future<Integer> w : workers) {
            arrivals += result(w);
        }
        assertEquals(400, arrivals);
        assertEquals(200, trips.get());
        assertFalse(b.isBroken());
    }

    @Test
    void shouldTripAtOnceWithOneParty() throws Exception {
        Segment s = segments.create(1 << 20);
        AtomicInteger trips = new AtomicInteger();
        SharedBarrier b = SharedBarrier.create(s, "b", 1, trips::incrementAndGet);
        assertEquals(0, b.await());
        assertEquals(0, b.await(0, TimeUnit.SECONDS), "the last arriver never times out");
        assertEquals(0, b.await(Duration.ZERO));
        assertEquals(3, trips.get());
    }

    @Test
    void shouldBreakForEveryWaiterWhenOneTimesOut() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedBarrier b = SharedBarrier.create(s, "b", 4);
        Future<Integer> untimed = party(b);
        Future<Integer> timedLong = threads.submit(() -> b.await(30, TimeUnit.SECONDS));
        awaitWaiting(b, 2);
        long t0 = System.nanoTime();
        TimeoutException e = assertThrows(TimeoutException.class, () -> b.await(100, TimeUnit.MILLISECONDS));
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(100), "waited the whole timeout");
        assertEquals("barrier 'b' timed out waiting for the other parties: timeoutNanos=100000000, parties=4; "
                + "the barrier is now broken", e.getMessage());
        assertBroken("b", failure(untimed));
        assertBroken("b", failure(timedLong));
        assertTrue(b.isBroken());
        assertEquals(0, b.numberWaiting());
        assertBroken("b", assertThrows(BrokenBarrierException.class, b::await));
        assertBroken("b", assertThrows(BrokenBarrierException.class, () -> b.await(1, TimeUnit.SECONDS)));
        assertBroken("b", assertThrows(BrokenBarrierException.class, () -> b.await(Duration.ofSeconds(1))));
    }

    @Test
    void shouldTimeOutAtOnceWhenTheTimeoutIsNotPositive() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedBarrier b = SharedBarrier.create(s, "b", 2);
        assertEquals("barrier 'b' timed out waiting for the other parties: timeoutNanos=0, parties=2; "
                + "the barrier is now broken",
                assertThrows(TimeoutException.class, () -> b.await(0, TimeUnit.SECONDS)).getMessage());
        assertTrue(b.isBroken());
        b.reset();
        assertThrows(TimeoutException.class, () -> b.await(Duration.ofMillis(-1)));
        assertTrue(b.isBroken());
        b.reset();
        Future<Integer> first = party(b);
        awaitWaiting(b, 1);
        assertEquals(0, b.await(0, TimeUnit.NANOSECONDS), "the last to arrive does not wait, so cannot time out");
        assertEquals(1, result(first));
    }

    @Test
    void shouldBreakWhenAWaiterIsInterrupted() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedBarrier b = SharedBarrier.create(s, "b", 3);
        Thread[] victim = new Thread[1];
        Future<Boolean> interrupted = threads.submit(() -> {
            victim[0] = Thread.currentThread();
            try {
                b.await();
                return false;
            } catch (InterruptedException e) {
                return !Thread.currentThread().isInterrupted();
            }
        });
        awaitWaiting(b, 1);
        Future<Integer> other = party(b);
        awaitWaiting(b, 2);
        awaitSleepers(s, "b", 2);
        victim[0].interrupt();
        assertTrue(result(interrupted), "InterruptedException with the status cleared");
        assertBroken("b", failure(other));
        assertTrue(b.isBroken());
    }

    @Test
    void shouldBreakWhenInterruptedOnEntry() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedBarrier b = SharedBarrier.create(s, "b", 2);
        Future<Integer> other = party(b);
        awaitWaiting(b, 1);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, b::await);
        assertFalse(Thread.interrupted(), "status cleared");
        assertBroken("b", failure(other));
        assertTrue(b.isBroken());
    }

    @Test
    void shouldResetABrokenBarrier() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedBarrier b = SharedBarrier.create(s, "b", 2);
        b.abort();
        assertTrue(b.isBroken());
        b.reset();
        assertFalse(b.isBroken());
        assertEquals(0, b.numberWaiting());
        Future<Integer> first = party(b);
        awaitWaiting(b, 1);
        assertEquals(0, b.await());
        assertEquals(1, result(first));
        b.reset();
        b.reset();
        assertFalse(b.isBroken(), "resetting an unbroken barrier leaves it usable");
    }

    @Test
    void shouldBreakWaitersOnReset() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedBarrier b = SharedBarrier.create(s, "b", 3);
        Future<Integer> w1 = party(b);
        Future<Integer> w2 = threads.submit(() -> b.await(30, TimeUnit.SECONDS));
        awaitWaiting(b, 2);
        b.reset();
        assertBroken("b", failure(w1));
        assertBroken("b", failure(w2));
        assertFalse(b.isBroken(), "reset leaves a fresh generation");
        assertEquals(0, b.numberWaiting());
        Future<Integer> n1 = party(b);
        Future<Integer> n2 = party(b);
        awaitWaiting(b, 2);
        assertEquals(0, b.await());
        assertEquals(Set.of(1, 2), Set.of(result(n1), result(n2)));
    }

    @Test
    void shouldBreakOnAbort() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedBarrier b = SharedBarrier.create(s, "b", 2);
        Future<Integer> w = party(b);
        awaitWaiting(b, 1);
        b.abort();
        assertBroken("b", failure(w));
        assertTrue(b.isBroken());
        assertBroken("b", assertThrows(BrokenBarrierException.class, b::await));
        b.abort();
        assertTrue(b.isBroken(), "abort twice is broken");
        b.reset();
        assertFalse(b.isBroken());
    }

    @Test
    void shouldBreakWhenTheActionThrows() throws Exception {
        Segment s = segments.create(1 << 20);
        IllegalStateException boom = new IllegalStateException("boom");
        SharedBarrier b = SharedBarrier.create(s, "b", 2, () -> {
            throw boom;
        });
        Future<Integer> w = party(b);
        awaitWaiting(b, 1);
        assertSame(boom, assertThrows(IllegalStateException.class, b::await), "the last arriver gets the action's exception");
        assertBroken("b", failure(w));
        assertTrue(b.isBroken());
        AssertionError error = new AssertionError("error");
        SharedBarrier e = SharedBarrier.create(s, "e", 1, () -> {
            throw error;
        });
        assertSame(error, assertThrows(AssertionError.class, e::await), "errors pass through too");
        assertTrue(e.isBroken());
    }

    @Test
    void shouldCountWaitingParties() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedBarrier b = SharedBarrier.create(s, "b", 3);
        assertEquals(0, b.numberWaiting());
        Future<Integer> w1 = party(b);
        awaitWaiting(b, 1);
        Future<Integer> w2 = party(b);
        awaitWaiting(b, 2);
        assertEquals(0, b.await());
        result(w1);
        result(w2);
        assertEquals(0, b.numberWaiting());
    }

    @Test
    void shouldBreakWhenTheProcessOfAWaitingPartyGoes() throws Exception {
        Segment a = segments.create(1 << 20);
        Segment gone = segments.track(Segment.open(a.name(), segments.options()));
        SharedBarrier b = SharedBarrier.create(a, "b", 3);
        SharedBarrier bGone = SharedBarrier.open(gone, "b");
        Future<Integer> survivor = party(b);
        awaitWaiting(b, 1);
        Future<Integer> victim = party(bGone);
        awaitWaiting(b, 2);
        gone.close(); // its owner id is now dead, as after kill -9
        Throwable v = failure(victim);
        if (v instanceof IllegalStateException) {
            assertEquals("segment '" + a.name() + "' is closed", v.getMessage());
        } else {
            assertBroken("b", v); // the survivor found it dead and broke the barrier first
        }
        assertBroken("b", failure(survivor));
        assertTrue(b.isBroken());
    }

    @Test
    void shouldTakeTheEntryOfAPartyThatDiedBeforeArriving() throws Exception {
        Segment s = segments.create(1 << 20);
        Segment dead = Segment.open(s.name(), segments.options());
        int deadId = dead.ownerId();
        dead.close();
        SharedBarrier b = SharedBarrier.create(s, "b", 2);
        int entry0 = base(s, "b") + BarrierDescriptor.ENTRIES_OFFSET;
        s.buffer().setLongVolatile(entry0, BarrierDescriptor.entry(0, deadId)); // claimed, never arrived
        Future<Integer> first = party(b);
        awaitWaiting(b, 1);
        assertEquals(0, b.await());
        assertEquals(1, result(first));
        assertFalse(b.isBroken(), "a party that died before arriving never came: nothing is broken");
    }

    @Test
    void shouldTakeOverAClaimThatStaysStuck() throws Exception {
        Segment s = segments.create(1 << 20);
        Segment live = segments.track(Segment.open(s.name(), segments.options()));
        SharedBarrier b = SharedBarrier.create(s, "b", 2);
        int entry0 = base(s, "b") + BarrierDescriptor.ENTRIES_OFFSET;
        s.buffer().setLongVolatile(entry0, BarrierDescriptor.entry(0, live.ownerId())); // a live party that never goes on
        Future<Integer> first = party(b);
        awaitWaiting(b, 1);
        assertEquals(0, b.await());
        assertEquals(1, result(first));
    }

    @Test
    void shouldWaitForARunningActionBeforeResetting() throws Exception {
        Segment s = segments.create(1 << 20);
        CountDownLatch inAction = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        SharedBarrier b = SharedBarrier.create(s, "b", 2, () -> {
            inAction.countDown();
            try {
                finish.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Future<Integer> first = party(b);
        awaitWaiting(b, 1);
        Future<Integer> last = party(b);
        assertTrue(inAction.await(10, TimeUnit.SECONDS));
        Future<?> reset = threads.submit(() -> {
            b.reset();
            return null;
        });
        awaitSleepers(s, "b", 2); // the first party and the resetter sleep while the action runs
        assertFalse(reset.isDone(), "reset waits for the running generation");
        finish.countDown();
        assertEquals(0, result(last));
        assertEquals(1, result(first), "the generation whose action ran passed");
        result(reset);
        assertFalse(b.isBroken());
    }

    @Test
    void shouldNotBreakACommittedGenerationWhenAWaiterTimesOutDuringTheAction() throws Exception {
        Segment s = segments.create(1 << 20);
        CountDownLatch inAction = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        SharedBarrier b = SharedBarrier.create(s, "b", 2, () -> {
            inAction.countDown();
            try {
                finish.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        long t0 = System.nanoTime();
        Future<Integer> timed = threads.submit(() -> b.await(50, TimeUnit.MILLISECONDS));
        awaitWaiting(b, 1);
        Future<Integer> last = party(b);
        assertTrue(inAction.await(10, TimeUnit.SECONDS));
        while (System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(300)) {
            Thread.sleep(20); // let the 50 ms timeout pass while the action runs
        }
        assertFalse(timed.isDone(), "a committed generation waits for its action");
        finish.countDown();
        assertEquals(1, result(timed), "returned normally although its timeout passed during the action");
        assertEquals(0, result(last));
        assertFalse(b.isBroken());
    }

    @Test
    void shouldBreakTheRunningGenerationWhenTheActionAborts() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedBarrier[] self = new SharedBarrier[1];
        SharedBarrier b = SharedBarrier.create(s, "b", 2, () -> self[0].abort());
        self[0] = b;
        Future<Integer> first = party(b);
        awaitWaiting(b, 1);
        assertBroken("b", assertThrows(BrokenBarrierException.class, b::await));
        assertBroken("b", failure(first));
        assertTrue(b.isBroken());
    }

    @Test
    void shouldPassAWaiterThatFindsTheBarrierAlreadyInALaterGeneration() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedBarrier b = SharedBarrier.create(s, "b", 3);
        int base = base(s, "b");
        Future<Integer> w = party(b);
        awaitWaiting(b, 1);
        awaitSleepers(s, "b", 1);
        // Its generation tripped and others went through 100 more before it looked.
        s.buffer().setLongVolatile(base + BarrierDescriptor.STATE_OFFSET,
                BarrierDescriptor.state(101, BarrierDescriptor.FILLING, 0));
        WaitLoop.wakeIfWaiting(s.buffer(), base + BarrierDescriptor.FUTEX_OFFSET,
                base + BarrierDescriptor.WAITERS_OFFSET, Integer.MAX_VALUE);
        assertEquals(2, result(w));
    }

    @Test
    void shouldNotResetPastAPartyThatHasNotSeenTheBreakUntilItsProcessIsGone() throws Exception {
        Segment s = segments.create(1 << 20);
        Segment other = segments.track(Segment.open(s.name(), segments.options()));
        SharedBarrier b = SharedBarrier.create(s, "b", 3);
        int base = base(s, "b");
        // A party of the other attachment arrived in generation 0 and is (as if) still inside await.
        s.buffer().setLongVolatile(base + BarrierDescriptor.ENTRIES_OFFSET, BarrierDescriptor.entry(0, other.ownerId()));
        s.buffer().setLongVolatile(base + BarrierDescriptor.STATE_OFFSET,
                BarrierDescriptor.state(0, BarrierDescriptor.FILLING, 1));
        Future<?> reset = threads.submit(() -> {
            b.reset();
            return null;
        });
        ChildJvms.awaitCondition("broken", 10, b::isBroken);
        awaitSleepers(s, "b", 1);
        assertFalse(reset.isDone(), "the broken generation is kept until its party has seen the break");
        assertBroken("b", assertThrows(BrokenBarrierException.class, b::await));
        other.close();
        result(reset);
        assertFalse(b.isBroken());
        assertEquals(1, BarrierDescriptor.generation(s.buffer().getLongVolatile(base + BarrierDescriptor.STATE_OFFSET)));
        assertEquals(0, s.buffer().getLongVolatile(base + BarrierDescriptor.ENTRIES_OFFSET), "the dead party's entry cleared");
    }

    @Test
    void shouldThrowIllegalStateExceptionOnAClosedSegment() {
        Segment s = segments.create(1 << 20);
        SharedBarrier b = SharedBarrier.create(s, "b", 2);
        s.close();
        String msg = "segment '" + s.name() + "' is closed";
        Executable[] calls = {b::await, () -> b.await(1, TimeUnit.SECONDS), () -> b.await(Duration.ofSeconds(1)),
            b::reset, b::abort, b::isBroken, b::numberWaiting, () -> SharedBarrier.open(s, "b"),
            () -> SharedBarrier.create(s, "c", 2)};
        for (Executable call : calls) {
            assertEquals(msg, assertThrows(IllegalStateException.class, call).getMessage());
        }
        assertEquals(2, b.parties(), "the fixed description stays readable");
    }

    @Test
    void shouldReportCorruptStoredState() {
        Segment s = segments.create(1 << 20);
        SharedBarrier b = SharedBarrier.create(s, "b", 2);
        SharedEvent.create(s, "ev");
        int base = base(s, "b");
        assertEquals("object 'ev' in segment '" + s.name() + "' is a SharedEvent, not a SharedBarrier",
                assertThrows(KindMismatchException.class, () -> SharedBarrier.open(s, "ev")).getMessage());
        s.buffer().setLongVolatile(base + BarrierDescriptor.STATE_OFFSET,
                BarrierDescriptor.state(0, BarrierDescriptor.FILLING, 5));
        assertEquals("SharedBarrier 'b' in segment '" + s.name() + "' is corrupt: arrived=5 is outside [0, 1]",
                assertThrows(CorruptSegmentException.class, b::await).getMessage());
        s.buffer().setIntVolatile(base + BarrierDescriptor.PARTIES_OFFSET, 0);
        assertEquals("SharedBarrier 'b' in segment '" + s.name() + "' is corrupt: parties=0 is outside [1, 1024]",
                assertThrows(CorruptSegmentException.class, () -> SharedBarrier.open(s, "b")).getMessage());
        s.buffer().setIntVolatile(base + BarrierDescriptor.PARTIES_OFFSET, 1000);
        assertThrows(CorruptSegmentException.class, () -> SharedBarrier.open(s, "b"),
                "1000 parties do not fit the allocated region");
    }

}
