package io.interproc.ipc.queue.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The {@link BlockingQueue} contract, written from the JDK's documentation after the pattern of
 * the JSR-166 TCK's {@code BlockingQueueTest} and {@code AbstractQueueTest}: one abstract suite,
 * run against interproc's three queues and, as a control, {@link java.util.concurrent.ArrayBlockingQueue}.
 * Every queue holds {@link #CAPACITY} elements of the form {@link #e(int)} (all of one size, so
 * that a byte ring's capacity in elements is exact). Tests of a deliberate difference (the
 * collection view and the examine methods, which interproc's queues do not offer) are skipped,
 * with the reason, where they do not apply.
 */
abstract class BlockingQueueContract {
    /** Elements each queue under test holds. */
    static final int CAPACITY = 16;
    /** A wait that should end by timing out. */
    static final long SHORT_MILLIS = 50;
    /** A bound for a wait that should succeed: reached only if the test fails. */
    static final long LONG_MILLIS = 30_000;

    /** @return a new empty queue holding exactly {@link #CAPACITY} elements of {@link #e(int)}'s size */
    abstract BlockingQueue<String> emptyQueue();

    /** @return true if the queue offers the collection view and the examine methods */
    abstract boolean offersCollectionView();

    /** @return the {@code i}-th element: six digits, so every element has the same size */
    static String e(int i) {
        return String.format("%06d", i);
    }

    private BlockingQueue<String> fullQueue() {
        BlockingQueue<String> q = emptyQueue();
        for (int i = 0; i < CAPACITY; i++) {
            assertTrue(q.offer(e(i)), "offer " + i);
        }
        return q;
    }

    private BlockingQueue<String> queueOf(int n) {
        BlockingQueue<String> q = emptyQueue();
        for (int i = 0; i < n; i++) {
            assertTrue(q.offer(e(i)));
        }
        return q;
    }

    // ---------------------------------------------------------------- size and capacity

    @Test
    void anEmptyQueueIsEmpty() {
        BlockingQueue<String> q = emptyQueue();
        assertTrue(q.isEmpty());
        assertEquals(0, q.size());
        assertNull(q.poll());
        assertThrows(NoSuchElementException.class, q::remove);
    }

    @Test
    void sizeAndIsEmptyFollowInsertsAndRemoves() {
        BlockingQueue<String> q = emptyQueue();
        for (int i = 0; i < CAPACITY; i++) {
            assertEquals(i, q.size());
            assertTrue(q.offer(e(i)));
            assertFalse(q.isEmpty());
        }
        for (int i = 0; i < CAPACITY; i++) {
            assertEquals(CAPACITY - i, q.size());
            assertEquals(e(i), q.remove());
        }
        assertTrue(q.isEmpty());
    }

    @Test
    void remainingCapacityCountsElementsOfTheSizeInUse() {
        BlockingQueue<String> q = emptyQueue();
        assertTrue(q.offer(e(0)));
        assertEquals(e(0), q.poll()); // the queue has now seen the element size
        assertEquals(CAPACITY, q.remainingCapacity());
        for (int i = 0; i < CAPACITY; i++) {
            assertEquals(CAPACITY - i, q.remainingCapacity());
            assertEquals(i, q.size());
            assertTrue(q.add(e(i)));
        }
        assertEquals(0, q.remainingCapacity());
        for (int i = 0; i < CAPACITY; i++) {
            assertEquals(i, q.remainingCapacity());
            q.remove();
        }
        assertEquals(CAPACITY, q.remainingCapacity());
    }

    // ---------------------------------------------------------------- inserts

    @Test
    void offerAndAddFailWhenFull() {
        BlockingQueue<String> q = fullQueue();
        assertFalse(q.offer(e(CAPACITY)));
        assertThrows(IllegalStateException.class, () -> q.add(e(CAPACITY)));
        assertEquals(CAPACITY, q.size());
        assertEquals(e(0), q.poll(), "nothing changed");
    }

    @Test
    void nullsAreRefused() {
        BlockingQueue<String> q = emptyQueue();
        assertThrows(NullPointerException.class, () -> q.offer(null));
        assertThrows(NullPointerException.class, () -> q.add(null));
        assertThrows(NullPointerException.class, () -> q.put(null));
        assertThrows(NullPointerException.class, () -> q.offer(null, SHORT_MILLIS, TimeUnit.MILLISECONDS));
        assertThrows(NullPointerException.class, () -> q.addAll(null));
        assertThrows(NullPointerException.class, () -> q.drainTo(null));
        assertThrows(NullPointerException.class, () -> q.drainTo(null, 1));
        assertTrue(q.isEmpty(), "a refused null adds nothing");
    }

    @Test
    void addAllAddsUpToANullAndRefusesItself() {
        BlockingQueue<String> q = emptyQueue();
        assertThrows(IllegalArgumentException.class, () -> q.addAll(q));
        assertThrows(NullPointerException.class, () -> q.addAll(Arrays.asList(e(0), null, e(2))));
        assertEquals(1, q.size(), "the elements before the null stay added");
        assertTrue(q.addAll(List.of(e(1), e(2))));
        assertEquals(List.of(e(0), e(1), e(2)), drain(q));
    }

    @Test
    void addAllThrowsWhenTheElementsDoNotFit() {
        BlockingQueue<String> q = queueOf(CAPACITY - 1);
        assertThrows(IllegalStateException.class, () -> q.addAll(List.of(e(100), e(101))));
        assertEquals(CAPACITY, q.size(), "the one that fitted was added");
    }

    @Test
    void timedOfferTimesOutWhenFull() throws Exception {
        BlockingQueue<String> q = fullQueue();
        assertFalse(q.offer(e(99), SHORT_MILLIS, TimeUnit.MILLISECONDS));
        assertFalse(q.offer(e(99), 0, TimeUnit.MILLISECONDS));
        assertFalse(q.offer(e(99), -1, TimeUnit.MILLISECONDS));
        assertFalse(q.offer(e(99), Long.MIN_VALUE, TimeUnit.NANOSECONDS));
        assertEquals(CAPACITY, q.size());
    }

    @Test
    void putWaitsForRoomThatATakeMakes() throws Exception {
        BlockingQueue<String> q = fullQueue();
        CompletableFuture<Void> put = CompletableFuture.runAsync(() -> {
            try {
                q.put(e(CAPACITY));
            } catch (InterruptedException ie) {
                throw new IllegalStateException(ie);
            }
        });
        assertEquals(e(0), q.take());
        put.get(LONG_MILLIS, TimeUnit.MILLISECONDS);
        List<String> rest = drain(q);
        assertEquals(CAPACITY, rest.size());
        assertEquals(e(CAPACITY), rest.get(CAPACITY - 1), "FIFO: the put element is last");
    }

    @Test
    void timedOfferSucceedsWhenRoomIsMadeBeforeTheTimeout() throws Exception {
        BlockingQueue<String> q = fullQueue();
        CompletableFuture<Boolean> offer = CompletableFuture.supplyAsync(() -> {
            try {
                return q.offer(e(CAPACITY), LONG_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException ie) {
                throw new IllegalStateException(ie);
            }
        });
        assertEquals(e(0), q.poll(LONG_MILLIS, TimeUnit.MILLISECONDS));
        assertTrue(offer.get(LONG_MILLIS, TimeUnit.MILLISECONDS));
    }

    // ---------------------------------------------------------------- removes

    @Test
    void removesAreFifo() throws Exception {
        BlockingQueue<String> q = fullQueue();
        for (int i = 0; i < CAPACITY; i++) {
            String expected = e(i);
            String got = switch (i % 4) {
                case 0 -> q.poll();
                case 1 -> q.remove();
                case 2 -> q.take();
                default -> q.poll(SHORT_MILLIS, TimeUnit.MILLISECONDS);
            };
            assertEquals(expected, got);
        }
        assertNull(q.poll());
    }

    @Test
    void timedPollTimesOutWhenEmpty() throws Exception {
        BlockingQueue<String> q = emptyQueue();
        assertNull(q.poll(SHORT_MILLIS, TimeUnit.MILLISECONDS));
        assertNull(q.poll(0, TimeUnit.MILLISECONDS));
        assertNull(q.poll(-1, TimeUnit.MILLISECONDS));
        assertNull(q.poll(Long.MIN_VALUE, TimeUnit.NANOSECONDS));
    }

    @Test
    void takeReturnsAnElementPutLater() throws Exception {
        BlockingQueue<String> q = emptyQueue();
        CompletableFuture<String> take = CompletableFuture.supplyAsync(() -> {
            try {
                return q.take();
            } catch (InterruptedException ie) {
                throw new IllegalStateException(ie);
            }
        });
        q.put(e(7));
        assertEquals(e(7), take.get(LONG_MILLIS, TimeUnit.MILLISECONDS));
        assertTrue(q.isEmpty());
    }

    @Test
    void timedPollReturnsAnElementOfferedBeforeTheTimeout() throws Exception {
        BlockingQueue<String> q = emptyQueue();
        CompletableFuture<String> poll = CompletableFuture.supplyAsync(() -> {
            try {
                return q.poll(LONG_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException ie) {
                throw new IllegalStateException(ie);
            }
        });
        assertTrue(q.offer(e(3)));
        assertEquals(e(3), poll.get(LONG_MILLIS, TimeUnit.MILLISECONDS));
    }

    @Test
    void elementsPassBetweenAProducerAndAConsumerThreadInOrder() throws Exception {
        BlockingQueue<String> q = emptyQueue();
        int n = CAPACITY * 8; // the producer must wait for room many times
        CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
            try {
                for (int i = 0; i < n; i++) {
                    q.put(e(i));
                }
            } catch (InterruptedException ie) {
                throw new IllegalStateException(ie);
            }
        });
        for (int i = 0; i < n; i++) {
            assertEquals(e(i), q.poll(LONG_MILLIS, TimeUnit.MILLISECONDS));
        }
        producer.get(LONG_MILLIS, TimeUnit.MILLISECONDS);
        assertTrue(q.isEmpty());
    }

    // ---------------------------------------------------------------- interrupts

    @Test
    void aThreadInterruptedBeforeABlockingCallThrowsAndLosesItsStatus() throws Exception {
        BlockingQueue<String> empty = emptyQueue();
        BlockingQueue<String> full = fullQueue();
        List<Callable<Object>> calls = List.of(
                () -> empty.take(),
                () -> empty.poll(LONG_MILLIS, TimeUnit.MILLISECONDS),
                () -> {
                    full.put(e(99));
                    return null;
                },
                () -> full.offer(e(99), LONG_MILLIS, TimeUnit.MILLISECONDS));
        for (Callable<Object> call : calls) {
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, call::call);
            assertFalse(Thread.interrupted(), "the status is cleared");
        }
        assertTrue(empty.isEmpty());
        assertEquals(CAPACITY, full.size());
    }

    @Test
    void anInterruptEndsABlockedTake() throws Exception {
        BlockingQueue<String> q = emptyQueue();
        assertInterruptible(() -> q.take());
        assertInterruptible(() -> q.poll(LONG_MILLIS, TimeUnit.MILLISECONDS));
        assertTrue(q.isEmpty());
    }

    @Test
    void anInterruptEndsABlockedPut() throws Exception {
        BlockingQueue<String> q = fullQueue();
        assertInterruptible(() -> {
            q.put(e(99));
            return null;
        });
        assertInterruptible(() -> q.offer(e(99), LONG_MILLIS, TimeUnit.MILLISECONDS));
        assertEquals(CAPACITY, q.size(), "an interrupted put adds nothing");
        assertEquals(e(0), q.poll());
    }

    /**
     * Starts {@code call} in a new thread, waits until that thread is blocked (or the call has
     * ended), interrupts it, and expects {@link InterruptedException}. Either order of interrupt
     * and block must give the exception, so no sleep is needed for the assertion to be sound.
     */
    private static void assertInterruptible(Callable<Object> call) throws Exception {
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                call.call();
                thrown.complete(null);
            } catch (Throwable x) {
                thrown.complete(x);
            }
        }, "contract-blocked");
        t.start();
        awaitBlockedOrEnded(t);
        t.interrupt();
        Throwable x;
        try {
            x = thrown.get(LONG_MILLIS, TimeUnit.MILLISECONDS);
        } finally {
            t.join(LONG_MILLIS);
        }
        assertInstanceOf(InterruptedException.class, x, "the blocked call's outcome");
        assertFalse(t.isAlive());
    }

    /**
     * Waits (with a deadline) until {@code t} is in a waiting state, or in native code, or done:
     * only to interrupt a call that is really blocked most of the time; the assertion holds either way.
     */
    private static void awaitBlockedOrEnded(Thread t) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() - deadline < 0) {
            Thread.State s = t.getState();
            if (s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING || s == Thread.State.TERMINATED) {
                return;
            }
            StackTraceElement[] stack = t.getStackTrace();
            if (stack.length > 0 && stack[0].isNativeMethod()) {
                return; // a futex sleep: RUNNABLE in native code
            }
            Thread.onSpinWait();
        }
    }

    // ---------------------------------------------------------------- drainTo

    @Test
    void drainToRefusesNullAndItself() {
        BlockingQueue<String> q = queueOf(3);
        assertThrows(NullPointerException.class, () -> q.drainTo(null));
        assertThrows(IllegalArgumentException.class, () -> q.drainTo(q));
        assertThrows(NullPointerException.class, () -> q.drainTo(null, 2));
        assertThrows(IllegalArgumentException.class, () -> q.drainTo(q, 2));
        assertEquals(3, q.size(), "nothing was removed");
    }

    @Test
    void drainToRemovesEverythingInOrder() {
        BlockingQueue<String> q = queueOf(5);
        List<String> into = new ArrayList<>(List.of("before"));
        assertEquals(5, q.drainTo(into));
        assertEquals(List.of("before", e(0), e(1), e(2), e(3), e(4)), into);
        assertTrue(q.isEmpty());
        assertEquals(0, q.drainTo(into));
        assertEquals(6, into.size());
    }

    @Test
    void drainToWithALimitRemovesAtMostThatMany() {
        BlockingQueue<String> q = emptyQueue();
        for (int limit = 0; limit < CAPACITY + 2; limit++) {
            for (int i = 0; i < CAPACITY; i++) {
                assertTrue(q.offer(e(i)));
            }
            List<String> into = new ArrayList<>();
            int expected = Math.min(limit, CAPACITY);
            assertEquals(expected, q.drainTo(into, limit));
            assertEquals(expected, into.size());
            assertEquals(CAPACITY - expected, q.size());
            for (int i = 0; i < expected; i++) {
                assertEquals(e(i), into.get(i));
            }
            if (expected < CAPACITY) {
                assertEquals(e(expected), q.poll(), "the rest stays, head first");
            }
            q.clear();
            assertTrue(q.isEmpty());
        }
    }

    @Test
    void drainToWithANegativeLimitRemovesNothing() {
        BlockingQueue<String> q = queueOf(2);
        List<String> into = new ArrayList<>();
        assertEquals(0, q.drainTo(into, -1));
        assertEquals(0, q.drainTo(into, Integer.MIN_VALUE));
        assertTrue(into.isEmpty());
        assertEquals(2, q.size());
    }

    @Test
    void drainToMakesRoomForABlockedPut() throws Exception {
        BlockingQueue<String> q = fullQueue();
        CompletableFuture<Void> put = CompletableFuture.runAsync(() -> {
            try {
                q.put(e(CAPACITY));
            } catch (InterruptedException ie) {
                throw new IllegalStateException(ie);
            }
        });
        List<String> into = new ArrayList<>();
        q.drainTo(into);
        put.get(LONG_MILLIS, TimeUnit.MILLISECONDS);
        q.drainTo(into);
        assertEquals(CAPACITY + 1, into.size());
        assertEquals(e(CAPACITY), into.get(CAPACITY));
    }

    @Test
    void clearEmptiesTheQueue() {
        BlockingQueue<String> q = fullQueue();
        q.clear();
        assertTrue(q.isEmpty());
        assertEquals(0, q.size());
        assertEquals(CAPACITY, q.remainingCapacity());
        assertTrue(q.offer(e(1)));
        assertEquals(e(1), q.poll());
    }

    // ---------------------------------------------------------------- examine and the collection view

    @Test
    void peekAndElementShowTheHeadWithoutRemovingIt() {
        assumeTrue(offersCollectionView(), "deliberate difference: interproc's queues have no peek or element"
                + " (the ring has no non-consuming read); see unsupportedMethodsThrow");
        BlockingQueue<String> q = emptyQueue();
        assertNull(q.peek());
        assertThrows(NoSuchElementException.class, q::element);
        assertTrue(q.offer(e(1)));
        assertTrue(q.offer(e(2)));
        assertEquals(e(1), q.peek());
        assertEquals(e(1), q.element());
        assertEquals(2, q.size());
    }

    @Test
    void theIteratorIsAWeaklyConsistentViewInOrder() {
        assumeTrue(offersCollectionView(), "deliberate difference: interproc's queues have no collection view;"
                + " see unsupportedMethodsThrow");
        BlockingQueue<String> q = queueOf(3);
        Iterator<String> it = q.iterator();
        assertTrue(q.offer(e(3))); // weakly consistent: no ConcurrentModificationException
        List<String> seen = new ArrayList<>();
        it.forEachRemaining(seen::add);
        assertEquals(List.of(e(0), e(1), e(2)), seen.subList(0, 3));
        assertTrue(q.contains(e(1)));
        assertFalse(q.contains(e(42)));
        assertTrue(q.remove(e(1)));
        assertFalse(q.remove(e(1)));
        assertEquals(List.of(e(0), e(2), e(3)), Arrays.asList(q.toArray(new String[0])));
        assertEquals(3, q.toArray().length);
    }

    @Test
    void unsupportedMethodsThrowAndChangeNothing() {
        assumeTrue(!offersCollectionView(), "the control offers the collection view");
        BlockingQueue<String> q = queueOf(2);
        List<Runnable> calls = List.of(q::peek, q::element, q::iterator, () -> q.contains(e(0)),
                () -> q.remove(e(0)), q::toArray, () -> q.toArray(new String[0]),
                () -> q.containsAll(List.of(e(0))), () -> q.removeAll(List.of(e(0))),
                () -> q.retainAll(List.of(e(0))), () -> q.forEach(x -> { }), () -> q.removeIf(x -> true),
                () -> q.stream().count());
        for (Runnable call : calls) {
            UnsupportedOperationException x = assertThrows(UnsupportedOperationException.class, call::run);
            assertNotNull(x.getMessage());
        }
        assertEquals(2, q.size());
        assertEquals(e(0), q.poll());
    }

    @Test
    void toStringEqualsAndHashCodeWork() {
        BlockingQueue<String> q = queueOf(2);
        assertNotNull(q.toString());
        assertTrue(q.equals(q));
        assertFalse(q.equals(emptyQueue()), "identity, as for the JDK's queues");
        assertEquals(q.hashCode(), q.hashCode());
        assertSame(q, q);
    }

    // ---------------------------------------------------------------- helpers

    static List<String> drain(BlockingQueue<String> q) {
        List<String> out = new ArrayList<>();
        q.drainTo(out);
        return out;
    }
}
