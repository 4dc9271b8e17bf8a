package io.interproc.stress;

import io.interproc.core.Codec;
import io.interproc.core.Segment;
import io.interproc.ipc.queue.QueueDescriptor;
import io.interproc.ipc.queue.SharedQueue;

import java.util.Arrays;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.JJ_Result;
import org.openjdk.jcstress.infra.results.ZZI_Result;

/**
 * {@link SharedQueue} across mappings of one segment: FIFO order and no loss or duplication with
 * two producers and two consumers (four attachments), visibility of a just-offered message, a
 * message larger than the ring streamed through it, and futex wake-ups of blocked {@code take()}
 * and {@code put()} ({@link Mode#Termination}).
 */
public final class SharedQueueStress {
    private SharedQueueStress() {
    }

    /** Smallest ring: 256 bytes; a Long message costs 16. */
    static final int CAPACITY = 256;

    /** One pooled queue, through attachment A and through attachment B. */
    static final class Queue<E> {
        final SharedQueue<E> a;
        final SharedQueue<E> b;

        Queue(TwoMappings m, String name, Codec<E> codec) {
            this.a = SharedQueue.openOrCreate(m.a, name, CAPACITY, codec);
            this.b = SharedQueue.open(m.b, name, codec);
        }
    }

    static TwoMappings mappings(Class<?> test, int processSlots) {
        return TwoMappings.create(test, RecycledObjects.segmentSize(1, QueueDescriptor.size(CAPACITY), 0),
                RecycledObjects.directoryEntries(1), processSlots);
    }

    // ------------------------------------------------------------------ 2 producers, 2 consumers

    @JCStressTest
    @Description("Four actors, so jcstress runs it only on four or more CPUs (PutPutTakeTake is the two-CPU "
            + "version). Producer 1 puts 1 then 2, producer 2 puts 3 then 4, consumers 1 and 2 take two each; each "
            + "of the four actors uses its own attachment of the segment. Every value arrives exactly once, "
            + "each producer's values in its order, and the takes are consistent with one FIFO order of the "
            + "puts (a consumer that got 2 before 3 rules out the other getting 4 before 1). "
            + "r1, r2 = consumer 1's takes; r3, r4 = consumer 2's.")
    @Outcome(id = "1, 2, 3, 4", expect = Expect.ACCEPTABLE, desc = "consumer 1 took 1, 2; consumer 2 took 3, 4")
    @Outcome(id = "1, 3, 2, 4", expect = Expect.ACCEPTABLE, desc = "consumer 1 took 1, 3; consumer 2 took 2, 4")
    @Outcome(id = "1, 3, 4, 2", expect = Expect.ACCEPTABLE, desc = "consumer 1 took 1, 3; consumer 2 took 4, 2")
    @Outcome(id = "1, 4, 2, 3", expect = Expect.ACCEPTABLE, desc = "consumer 1 took 1, 4; consumer 2 took 2, 3")
    @Outcome(id = "1, 4, 3, 2", expect = Expect.ACCEPTABLE, desc = "consumer 1 took 1, 4; consumer 2 took 3, 2")
    @Outcome(id = "2, 3, 1, 4", expect = Expect.ACCEPTABLE, desc = "consumer 1 took 2, 3; consumer 2 took 1, 4")
    @Outcome(id = "2, 4, 1, 3", expect = Expect.ACCEPTABLE, desc = "consumer 1 took 2, 4; consumer 2 took 1, 3")
    @Outcome(id = "2, 4, 3, 1", expect = Expect.ACCEPTABLE, desc = "consumer 1 took 2, 4; consumer 2 took 3, 1")
    @Outcome(id = "3, 1, 2, 4", expect = Expect.ACCEPTABLE, desc = "consumer 1 took 3, 1; consumer 2 took 2, 4")
    @Outcome(id = "3, 1, 4, 2", expect = Expect.ACCEPTABLE, desc = "consumer 1 took 3, 1; consumer 2 took 4, 2")
    @Outcome(id = "3, 2, 1, 4", expect = Expect.ACCEPTABLE, desc = "consumer 1 took 3, 2; consumer 2 took 1, 4")
    @Outcome(id = "3, 2, 4, 1", expect = Expect.ACCEPTABLE, desc = "consumer 1 took 3, 2; consumer 2 took 4, 1")
    @Outcome(id = "3, 4, 1, 2", expect = Expect.ACCEPTABLE, desc = "consumer 1 took 3, 4; consumer 2 took 1, 2")
    @Outcome(id = "4, 1, 3, 2", expect = Expect.ACCEPTABLE, desc = "consumer 1 took 4, 1; consumer 2 took 3, 2")
    @Outcome(id = "4, 2, 1, 3", expect = Expect.ACCEPTABLE, desc = "consumer 1 took 4, 2; consumer 2 took 1, 3")
    @Outcome(id = "4, 2, 3, 1", expect = Expect.ACCEPTABLE, desc = "consumer 1 took 4, 2; consumer 2 took 3, 1")
    @Outcome(expect = Expect.FORBIDDEN, desc = "a value lost, duplicated or invented, a producer's order broken, "
            + "or no single FIFO order explains the takes")
    @State
    public static class TwoProducersTwoConsumers {
        static final TwoMappings M = mappings(TwoProducersTwoConsumers.class, 8);
        static final Segment C = M.attachAnother();
        static final Segment D = M.attachAnother();
        static final RecycledObjects<FourHandles> OBJECTS = new RecycledObjects<>(slot -> new FourHandles("q" + slot));

        /** One pooled queue through four attachments. */
        static final class FourHandles {
            final Queue<Long> ab;
            final SharedQueue<Long> c;
            final SharedQueue<Long> d;

            FourHandles(String name) {
                ab = new Queue<>(M, name, Codec.longs());
                c = SharedQueue.open(C, name, Codec.longs());
                d = SharedQueue.open(D, name, Codec.longs());
            }
        }

        final RecycledObjects.Lease<FourHandles> q = OBJECTS.claim();

        public TwoProducersTwoConsumers() {
            // a queue is empty again once its state is done: 4 puts, 4 takes
        }

        static void put(SharedQueue<Long> queue, long first, long second) {
            Unchecked.run(() -> {
                queue.put(first);
                queue.put(second);
            });
        }

        static int take(SharedQueue<Long> queue) {
            return Unchecked.get(queue::take).intValue();
        }

        @Actor
        public void producer1() {
            put(q.item.ab.a, 1, 2);
        }

        @Actor
        public void producer2() {
            put(q.item.ab.b, 3, 4);
        }

        @Actor
        public void consumer1(IIII_Result r) {
            r.r1 = take(q.item.c);
            r.r2 = take(q.item.c);
        }

        @Actor
        public void consumer2(IIII_Result r) {
            r.r3 = take(q.item.d);
            r.r4 = take(q.item.d);
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            q.check();
        }
    }

    // ------------------------------------------------------------------ 2 processes, each producer and consumer

    @JCStressTest
    @Description("TwoProducersTwoConsumers for two CPUs (jcstress does not run a four-actor test on fewer than "
            + "four): process 1 (mapping A) puts 1 then 2 then takes two; process 2 (mapping B) puts 3 then 4 "
            + "then takes two. Every value arrives exactly once, each producer's values in its order, and the "
            + "takes are consistent with one FIFO order of the puts. r1, r2 = process 1's takes; r3, r4 = "
            + "process 2's.")
    @Outcome(id = "1, 2, 3, 4", expect = Expect.ACCEPTABLE, desc = "process 1 took 1, 2; process 2 took 3, 4")
    @Outcome(id = "1, 3, 2, 4", expect = Expect.ACCEPTABLE, desc = "process 1 took 1, 3; process 2 took 2, 4")
    @Outcome(id = "1, 3, 4, 2", expect = Expect.ACCEPTABLE, desc = "process 1 took 1, 3; process 2 took 4, 2")
    @Outcome(id = "1, 4, 2, 3", expect = Expect.ACCEPTABLE, desc = "process 1 took 1, 4; process 2 took 2, 3")
    @Outcome(id = "1, 4, 3, 2", expect = Expect.ACCEPTABLE, desc = "process 1 took 1, 4; process 2 took 3, 2")
    @Outcome(id = "2, 3, 1, 4", expect = Expect.ACCEPTABLE, desc = "process 1 took 2, 3; process 2 took 1, 4")
    @Outcome(id = "2, 4, 1, 3", expect = Expect.ACCEPTABLE, desc = "process 1 took 2, 4; process 2 took 1, 3")
    @Outcome(id = "2, 4, 3, 1", expect = Expect.ACCEPTABLE, desc = "process 1 took 2, 4; process 2 took 3, 1")
    @Outcome(id = "3, 1, 2, 4", expect = Expect.ACCEPTABLE, desc = "process 1 took 3, 1; process 2 took 2, 4")
    @Outcome(id = "3, 1, 4, 2", expect = Expect.ACCEPTABLE, desc = "process 1 took 3, 1; process 2 took 4, 2")
    @Outcome(id = "3, 2, 1, 4", expect = Expect.ACCEPTABLE, desc = "process 1 took 3, 2; process 2 took 1, 4")
    @Outcome(id = "3, 2, 4, 1", expect = Expect.ACCEPTABLE, desc = "process 1 took 3, 2; process 2 took 4, 1")
    @Outcome(id = "3, 4, 1, 2", expect = Expect.ACCEPTABLE, desc = "process 1 took 3, 4; process 2 took 1, 2")
    @Outcome(id = "4, 1, 3, 2", expect = Expect.ACCEPTABLE, desc = "process 1 took 4, 1; process 2 took 3, 2")
    @Outcome(id = "4, 2, 1, 3", expect = Expect.ACCEPTABLE, desc = "process 1 took 4, 2; process 2 took 1, 3")
    @Outcome(id = "4, 2, 3, 1", expect = Expect.ACCEPTABLE, desc = "process 1 took 4, 2; process 2 took 3, 1")
    @Outcome(expect = Expect.FORBIDDEN, desc = "a value lost, duplicated or invented, a producer's order broken, "
            + "or no single FIFO order explains the takes")
    @State
    public static class PutPutTakeTake {
        static final TwoMappings M = mappings(PutPutTakeTake.class, 8);
        static final RecycledObjects<Queue<Long>> OBJECTS =
                new RecycledObjects<>(slot -> new Queue<>(M, "q" + slot, Codec.longs()));

        final RecycledObjects.Lease<Queue<Long>> q = OBJECTS.claim();

        public PutPutTakeTake() {
            // a queue is empty again once its state is done: 4 puts, 4 takes
        }

        @Actor
        public void process1(IIII_Result r) {
            SharedQueue<Long> queue = q.item.a;
            TwoProducersTwoConsumers.put(queue, 1, 2);
            r.r1 = TwoProducersTwoConsumers.take(queue);
            r.r2 = TwoProducersTwoConsumers.take(queue);
        }

        @Actor
        public void process2(IIII_Result r) {
            SharedQueue<Long> queue = q.item.b;
            TwoProducersTwoConsumers.put(queue, 3, 4);
            r.r3 = TwoProducersTwoConsumers.take(queue);
            r.r4 = TwoProducersTwoConsumers.take(queue);
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            q.check();
        }
    }

    // ------------------------------------------------------------------ offer vs. poll

    @JCStressTest
    @Description("Actor 1 offers one 8-byte message (mapping A) while actor 2 polls once (mapping B); the arbiter "
            + "counts what is left. The poll sees nothing or the whole message, never part of it, and the "
            + "message is never lost. r1 = value polled (-1: none), r2 = size() afterwards.")
    @Outcome(id = "72623859790382856, 0", expect = Expect.ACCEPTABLE, desc = "polled after the offer: got the whole message")
    @Outcome(id = "-1, 1", expect = Expect.ACCEPTABLE, desc = "polled before the offer: the message waits in the queue")
    @Outcome(expect = Expect.FORBIDDEN, desc = "a torn or invented message, or a message lost or counted twice")
    @State
    public static class OfferPoll {
        static final long VALUE = 0x0102030405060708L;
        static final TwoMappings M = mappings(OfferPoll.class, 8);
        static final RecycledObjects<Queue<Long>> OBJECTS =
                new RecycledObjects<>(slot -> new Queue<>(M, "q" + slot, Codec.longs()));

        final RecycledObjects.Lease<Queue<Long>> q = OBJECTS.claim();

        public OfferPoll() {
            while (q.item.a.poll() != null) {
                // left by the previous state that used this queue
            }
        }

        @Actor
        public void producer() {
            if (!q.item.a.offer(VALUE)) {
                throw new IllegalStateException("offer to an empty queue failed");
            }
        }

        @Actor
        public void consumer(JJ_Result r) {
            Long v = q.item.b.poll();
            r.r1 = v == null ? -1 : v;
        }

        @Arbiter
        public void arbiter(JJ_Result r) {
            r.r2 = q.item.a.size();
            q.check();
        }
    }

    // ------------------------------------------------------------------ concurrent offers / polls

    @JCStressTest
    @Description("Two producers offer() one message each (mappings A and B) into an empty queue with room for "
            + "many. Unlike BlockingQueue.offer, SharedQueue.offer also returns false when another producer holds "
            + "the producer lock at that moment (documented: 'if there is room now (and the producer lock is free "
            + "now)'); that shows up here as INTERESTING. r1, r2 = offers accepted; r3 = size() afterwards.")
    @Outcome(id = "true, true, 2", expect = Expect.ACCEPTABLE, desc = "both offers accepted")
    @Outcome(id = "true, false, 1", expect = Expect.ACCEPTABLE_INTERESTING,
            desc = "actor 2's offer refused with room to spare: actor 1 held the producer lock")
    @Outcome(id = "false, true, 1", expect = Expect.ACCEPTABLE_INTERESTING,
            desc = "actor 1's offer refused with room to spare: actor 2 held the producer lock")
    @Outcome(expect = Expect.FORBIDDEN, desc = "an accepted message is missing, or both offers were refused")
    @State
    public static class ConcurrentOffers {
        static final TwoMappings M = mappings(ConcurrentOffers.class, 8);
        static final RecycledObjects<Queue<Long>> OBJECTS =
                new RecycledObjects<>(slot -> new Queue<>(M, "q" + slot, Codec.longs()));

        final RecycledObjects.Lease<Queue<Long>> q = OBJECTS.claim();

        public ConcurrentOffers() {
            while (q.item.a.poll() != null) {
                // left by the previous state that used this queue
            }
        }

        @Actor
        public void producer1(ZZI_Result r) {
            r.r1 = q.item.a.offer(1L);
        }

        @Actor
        public void producer2(ZZI_Result r) {
            r.r2 = q.item.b.offer(2L);
        }

        @Arbiter
        public void arbiter(ZZI_Result r) {
            r.r3 = q.item.a.size();
            q.check();
        }
    }

    @JCStressTest
    @Description("Two consumers poll() once each (mappings A and B) from a queue holding 1 then 2. Unlike "
            + "BlockingQueue.poll, SharedQueue.poll also returns null when another consumer holds the consumer "
            + "lock at that moment (documented); that shows up here as INTERESTING. r1, r2 = values polled "
            + "(-1: null); r3 = size() afterwards.")
    @Outcome(id = "1, 2, 0", expect = Expect.ACCEPTABLE, desc = "actor 1 polled first")
    @Outcome(id = "2, 1, 0", expect = Expect.ACCEPTABLE, desc = "actor 2 polled first")
    @Outcome(id = "1, -1, 1", expect = Expect.ACCEPTABLE_INTERESTING,
            desc = "actor 2 got null with a message queued: actor 1 held the consumer lock")
    @Outcome(id = "-1, 1, 1", expect = Expect.ACCEPTABLE_INTERESTING,
            desc = "actor 1 got null with a message queued: actor 2 held the consumer lock")
    @Outcome(expect = Expect.FORBIDDEN, desc = "a message lost, taken twice or out of order, or both polls refused")
    @State
    public static class ConcurrentPolls {
        static final TwoMappings M = mappings(ConcurrentPolls.class, 8);
        static final RecycledObjects<Queue<Long>> OBJECTS =
                new RecycledObjects<>(slot -> new Queue<>(M, "q" + slot, Codec.longs()));

        final RecycledObjects.Lease<Queue<Long>> q = OBJECTS.claim();

        public ConcurrentPolls() {
            while (q.item.a.poll() != null) {
                // left by the previous state that used this queue
            }
            if (!q.item.a.offer(1L) || !q.item.a.offer(2L)) {
                throw new IllegalStateException("offer to an empty queue failed");
            }
        }

        static int poll(SharedQueue<Long> queue) {
            Long v = queue.poll();
            return v == null ? -1 : v.intValue();
        }

        @Actor
        public void consumer1(III_Result r) {
            r.r1 = poll(q.item.a);
        }

        @Actor
        public void consumer2(III_Result r) {
            r.r2 = poll(q.item.b);
        }

        @Arbiter
        public void arbiter(III_Result r) {
            r.r3 = q.item.a.size();
            q.check();
        }
    }

    // ------------------------------------------------------------------ streamed message

    @JCStressTest
    @Description("A 1000-byte message through a 256-byte ring: the producer (mapping A) streams it in fragments, "
            + "waiting for the consumer (mapping B) to make room; the consumer gets it whole and intact. "
            + "r1 = length received, r2 = 1 if every byte is right.")
    @Outcome(id = "1000, 1", expect = Expect.ACCEPTABLE, desc = "the message arrived whole")
    @Outcome(expect = Expect.FORBIDDEN, desc = "the message arrived cut, padded or corrupted")
    @State
    public static class StreamedMessage {
        static final byte[] MESSAGE = new byte[1000];
        static final TwoMappings M = mappings(StreamedMessage.class, 8);
        static final RecycledObjects<Queue<byte[]>> OBJECTS =
                new RecycledObjects<>(slot -> new Queue<>(M, "q" + slot, Codec.bytes()));

        static {
            for (int i = 0; i < MESSAGE.length; i++) {
                MESSAGE[i] = (byte) (i * 31 + 7);
            }
        }

        final RecycledObjects.Lease<Queue<byte[]>> q = OBJECTS.claim();

        public StreamedMessage() {
            // the queue is empty again once its state is done
        }

        @Actor
        public void producer() {
            Unchecked.run(() -> q.item.a.put(MESSAGE));
        }

        @Actor
        public void consumer(II_Result r) {
            byte[] got = Unchecked.get(q.item.b::take);
            r.r1 = got.length;
            r.r2 = Arrays.equals(got, MESSAGE) ? 1 : 0;
            q.check();
        }
    }

    // ------------------------------------------------------------------ wake-ups (termination)

    /** The queue of a termination test, through both attachments. */
    static final class SingleQueue {
        final SharedQueue<Long> a;
        final SharedQueue<Long> b;

        SingleQueue(Class<?> test) {
            TwoMappings m = TwoMappings.create(test, 1L << 20, 16);
            this.a = SharedQueue.create(m.a, "queue", CAPACITY, Codec.longs());
            this.b = SharedQueue.open(m.b, "queue", Codec.longs());
        }
    }

    @JCStressTest(Mode.Termination)
    @Description("A consumer blocked in take() on an empty queue (mapping B) must wake when a producer puts "
            + "(mapping A). Wait slices are 120 s here, so a lost wake-up hangs past jcstress's 30 s limit.")
    @Outcome(id = "TERMINATED", expect = Expect.ACCEPTABLE, desc = "the consumer got the message")
    @Outcome(id = "STALE", expect = Expect.FORBIDDEN, desc = "the consumer never woke: lost wake-up")
    @Outcome(expect = Expect.FORBIDDEN, desc = "the consumer failed, or got another value")
    @State
    public static class TakeWokenByPut {
        static final SingleQueue Q = new SingleQueue(TakeWokenByPut.class);

        public TakeWokenByPut() {
            // empty: each state's consumer takes the one message its producer put
        }

        @Actor
        public void consumer() throws InterruptedException {
            long v = Q.b.take();
            if (v != 42) {
                throw new IllegalStateException("took " + v + ", expected 42");
            }
        }

        @Signal
        public void producer() throws InterruptedException {
            Q.a.put(42L);
        }
    }

    @JCStressTest(Mode.Termination)
    @Description("A producer blocked in put() on a full queue (mapping A) must wake when a consumer takes "
            + "(mapping B). Wait slices are 120 s here, so a lost wake-up hangs past jcstress's 30 s limit.")
    @Outcome(id = "TERMINATED", expect = Expect.ACCEPTABLE, desc = "the producer got room and put its message")
    @Outcome(id = "STALE", expect = Expect.FORBIDDEN, desc = "the producer never woke: lost wake-up")
    @Outcome(expect = Expect.FORBIDDEN, desc = "the producer or the consumer failed")
    @State
    public static class PutWokenByTake {
        static final SingleQueue Q = new SingleQueue(PutWokenByTake.class);

        public PutWokenByTake() {
            while (Q.a.poll() != null) {
                // left full by the previous state
            }
            long n = 0;
            while (Q.a.offer(n++)) {
                // fill it
            }
        }

        @Actor
        public void producer() throws InterruptedException {
            Q.a.put(-1L);
        }

        @Signal
        public void consumer() throws InterruptedException {
            if (Q.b.take() != 0) {
                throw new IllegalStateException("the oldest message was not 0");
            }
        }
    }

    // ------------------------------------------------------------------ batch take (drainTo / drainBytes)

    @JCStressTest
    @Description("Batch take: actor 1 offers 1 then 2 (mapping A) while actor 2 drains up to 10 with drainTo "
            + "(mapping B), which publishes the head once for the batch; the arbiter polls what is left. A batch "
            + "is a prefix of the FIFO order, whole, never a duplicate, and what it leaves is the rest. "
            + "r1 = messages drained, r2 = their values as digits (12: 1 then 2), r3 = the values left, likewise.")
    @Outcome(id = "0, 0, 12", expect = Expect.ACCEPTABLE, desc = "drained before the first offer")
    @Outcome(id = "1, 1, 2", expect = Expect.ACCEPTABLE, desc = "drained between the two offers")
    @Outcome(id = "2, 12, 0", expect = Expect.ACCEPTABLE, desc = "drained both")
    @Outcome(expect = Expect.FORBIDDEN, desc = "a message lost, duplicated, reordered or torn")
    @State
    public static class OfferOfferDrain {
        static final TwoMappings M = mappings(OfferOfferDrain.class, 8);
        static final RecycledObjects<Queue<Long>> OBJECTS =
                new RecycledObjects<>(slot -> new Queue<>(M, "q" + slot, Codec.longs()));

        final RecycledObjects.Lease<Queue<Long>> q = OBJECTS.claim();

        public OfferOfferDrain() {
            while (q.item.a.poll() != null) {
                // left by the previous state that used this queue
            }
        }

        @Actor
        public void producer() {
            if (!q.item.a.offer(1L) || !q.item.a.offer(2L)) {
                throw new IllegalStateException("offer to a queue with room failed");
            }
        }

        @Actor
        public void consumer(III_Result r) {
            java.util.List<Long> got = new java.util.ArrayList<>();
            r.r1 = q.item.b.drainTo(got, 10);
            r.r2 = digits(got);
        }

        @Arbiter
        public void arbiter(III_Result r) {
            java.util.List<Long> rest = new java.util.ArrayList<>();
            for (Long v = q.item.a.poll(); v != null; v = q.item.a.poll()) {
                rest.add(v);
            }
            r.r3 = digits(rest);
            q.check();
        }

        static int digits(java.util.List<Long> values) {
            int n = 0;
            for (long v : values) {
                n = n * 10 + (int) v;
            }
            return n;
        }
    }

    // ------------------------------------------------------------------ batch put (offerAllBytes / putAllBytes)

    @JCStressTest
    @Description("Batch put: actor 1 puts 1 and 2 with one offerAllBytes (mapping A), which fit the ring and so "
            + "are published as one run (one tail, one put count); actor 2 drains up to 10 with drainTo (mapping "
            + "B); the arbiter polls what is left and checks the put count against what was taken. A consumer "
            + "sees the run whole or not at all. r1 = messages drained, r2 = their values as digits, r3 = the "
            + "values left, likewise, r4 = size() once all is taken (put count minus taken count: 0 if the run was counted exactly).")
    @Outcome(id = "0, 0, 12, 0", expect = Expect.ACCEPTABLE, desc = "drained before the run was published")
    @Outcome(id = "2, 12, 0, 0", expect = Expect.ACCEPTABLE, desc = "drained the whole run")
    @Outcome(expect = Expect.FORBIDDEN, desc = "half a run seen, a message lost, duplicated, reordered or torn, "
            + "or a wrong put count")
    @State
    public static class BatchPutDrain {
        static final TwoMappings M = mappings(BatchPutDrain.class, 8);
        static final RecycledObjects<Queue<Long>> OBJECTS =
                new RecycledObjects<>(slot -> new Queue<>(M, "q" + slot, Codec.longs()));
        static final byte[] ONE = Codec.longs().encode(1L);
        static final byte[] TWO = Codec.longs().encode(2L);

        final RecycledObjects.Lease<Queue<Long>> q = OBJECTS.claim();
        final java.nio.ByteBuffer[] batch = {java.nio.ByteBuffer.wrap(ONE), java.nio.ByteBuffer.wrap(TWO)};

        public BatchPutDrain() {
            while (q.item.a.poll() != null) {
                // left by the previous state that used this queue
            }
        }

        @Actor
        public void producer() {
            if (q.item.a.offerAllBytes(batch, 0, 2) != 2) {
                throw new IllegalStateException("a batch of two into an empty queue with room for 16 was refused");
            }
        }

        @Actor
        public void consumer(IIII_Result r) {
            java.util.List<Long> got = new java.util.ArrayList<>();
            r.r1 = q.item.b.drainTo(got, 10);
            r.r2 = OfferOfferDrain.digits(got);
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            java.util.List<Long> rest = new java.util.ArrayList<>();
            for (Long v = q.item.a.poll(); v != null; v = q.item.a.poll()) {
                rest.add(v);
            }
            r.r3 = OfferOfferDrain.digits(rest);
            r.r4 = q.item.a.size(); // messages put minus taken, after taking everything
            q.check();
        }
    }

    @JCStressTest(Mode.Termination)
    @Description("A producer blocked in put() on a full queue (mapping A) must wake when a consumer takes a "
            + "batch with drainBytes (mapping B), which publishes the head and checks for sleeping producers "
            + "once per batch. A lost wake-up hangs past jcstress's 30 s limit.")
    @Outcome(id = "TERMINATED", expect = Expect.ACCEPTABLE, desc = "the producer got room and put its message")
    @Outcome(id = "STALE", expect = Expect.FORBIDDEN, desc = "the producer never woke: lost wake-up")
    @Outcome(expect = Expect.FORBIDDEN, desc = "the producer or the consumer failed")
    @State
    public static class PutWokenByDrain {
        static final SingleQueue Q = new SingleQueue(PutWokenByDrain.class);

        public PutWokenByDrain() {
            while (Q.a.poll() != null) {
                // left full by the previous state
            }
            long n = 0;
            while (Q.a.offer(n++)) {
                // fill it
            }
        }

        @Actor
        public void producer() throws InterruptedException {
            Q.a.put(-1L);
        }

        @Signal
        public void consumer() {
            int[] first = {-1};
            int n = Q.b.drainBytes(m -> {
                if (first[0] < 0) {
                    first[0] = (int) m.getLong(0);
                }
            }, 3);
            if (n != 3 || first[0] != 0) {
                throw new IllegalStateException("the batch was " + n + " messages from " + first[0]);
            }
        }
    }

    @JCStressTest(Mode.Termination)
    @Description("A consumer taking two messages in take() (mapping B) while a producer puts two (mapping A): "
            + "a producer skips the futex wake when the head is behind the tail it publishes from (no consumer can "
            + "sleep on that tail yet), so each take must still be woken by the put it waits for. A lost wake-up "
            + "hangs past jcstress's 30 s limit.")
    @Outcome(id = "TERMINATED", expect = Expect.ACCEPTABLE, desc = "the consumer got both messages")
    @Outcome(id = "STALE", expect = Expect.FORBIDDEN, desc = "the consumer never woke: lost wake-up")
    @Outcome(expect = Expect.FORBIDDEN, desc = "the producer or the consumer failed")
    @State
    public static class TwoTakesWokenByTwoPuts {
        static final SingleQueue Q = new SingleQueue(TwoTakesWokenByTwoPuts.class);

        public TwoTakesWokenByTwoPuts() {
            while (Q.a.poll() != null) {
                // nothing should be left, but a failed state may have left some
            }
        }

        @Actor
        public void consumer() throws InterruptedException {
            if (Q.b.take() != 1 || Q.b.take() != 2) {
                throw new IllegalStateException("the messages came out of order");
            }
        }

        @Signal
        public void producer() throws InterruptedException {
            Q.a.put(1L);
            Q.a.put(2L);
        }
    }
}
