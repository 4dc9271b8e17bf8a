package io.interproc.stress;

import io.interproc.core.SharedBytes;
import io.interproc.core.spi.ObjectRegion;
import io.interproc.sync.SharedEvent;
import io.interproc.sync.internal.EventDescriptor;
import io.interproc.sync.internal.SyncKinds;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.ZZ_Result;

/**
 * {@link SharedEvent} across two mappings of one segment: visibility of plain writes made before
 * {@code set()} to a thread whose {@code isSet()} or {@code await()} saw it, {@code set()} racing
 * {@code clear()}, and futex wake-ups of blocked {@code await()} callers ({@link Mode#Termination}),
 * also when the event is cleared again at once.
 */
public final class SharedEventStress {
    private SharedEventStress() {
    }

    /** One pooled event, through attachment A and through attachment B. */
    static final class Event {
        final SharedEvent a;
        final SharedEvent b;

        Event(TwoMappings m, String name) {
            this.a = SharedEvent.openOrCreate(m.a, name);
            this.b = SharedEvent.open(m.b, name);
        }
    }

    static TwoMappings mappings(Class<?> test, long extraBytes) {
        return TwoMappings.create(test, RecycledObjects.segmentSize(1, EventDescriptor.SIZE, extraBytes),
                RecycledObjects.directoryEntries(1));
    }

    /**
     * For a {@code @Signal} method: waits until {@code condition} holds, at most 10 s (then goes on,
     * and the test shows what happens without it), yielding the CPU to the actor meanwhile.
     */
    static void waitFor(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean() && System.nanoTime() - deadline < 0) {
            SharedLockStress.spin();
        }
    }

    // ------------------------------------------------------------------ visibility

    @JCStressTest
    @Description("Actor 1 makes two plain writes, a Java field and a byte of the segment through mapping A, then "
            + "set()s the event through A. Actor 2 reads isSet() through mapping B, then the field, then the byte "
            + "through B. set() is a volatile CAS and isSet() a volatile read of one word seen through two "
            + "mappings: once actor 2 sees the event set, both writes must be visible. r1 = isSet (1/0), r2 = the "
            + "field, r3 = the shared byte.")
    @Outcome(id = "1, 1, 1", expect = Expect.ACCEPTABLE, desc = "saw the event set, and both writes made before it")
    @Outcome(id = "0, 0, 0", expect = Expect.ACCEPTABLE, desc = "looked before actor 1 wrote anything")
    @Outcome(id = "0, 1, 1", expect = Expect.ACCEPTABLE, desc = "looked between the writes and the set")
    @Outcome(id = "0, 1, 0", expect = Expect.ACCEPTABLE, desc = "looked between the two writes")
    @Outcome(id = "0, 0, 1", expect = Expect.ACCEPTABLE_INTERESTING,
            desc = "not set yet; saw the byte but not the field written before it (plain accesses, no order promised)")
    @Outcome(expect = Expect.FORBIDDEN, desc = "saw the event set but missed a write made before set()")
    @State
    public static class SetThenIsSet {
        static final TwoMappings M = mappings(SetThenIsSet.class, RecycledObjects.SIZE);
        static final SharedBytes DATA_A = SharedBytes.create(M.a, "data", RecycledObjects.SIZE);
        static final SharedBytes DATA_B = SharedBytes.open(M.b, "data");
        static final RecycledObjects<Event> OBJECTS = new RecycledObjects<>(slot -> new Event(M, "e" + slot));

        final RecycledObjects.Lease<Event> event = OBJECTS.claim();
        int plain;

        public SetThenIsSet() {
            event.item.a.clear();
            DATA_A.put(event.slot, (byte) 0);
        }

        @Actor
        public void setter() {
            plain = 1;
            DATA_A.put(event.slot, (byte) 1);
            event.item.a.set();
        }

        @Actor
        public void observer(III_Result r) {
            r.r1 = event.item.b.isSet() ? 1 : 0;
            r.r2 = plain;
            r.r3 = DATA_B.get(event.slot);
        }

        @Arbiter
        public void arbiter(III_Result r) {
            event.check();
        }
    }

    @JCStressTest
    @Description("As SetThenIsSet, but actor 2 await()s the event through mapping B before it reads the Java "
            + "field and the shared byte: a return from await() happens after the set() that released it, so "
            + "both writes are visible. r1 = the field, r2 = the shared byte.")
    @Outcome(id = "1, 1", expect = Expect.ACCEPTABLE, desc = "await() returned after the set, and both writes were visible")
    @Outcome(expect = Expect.FORBIDDEN, desc = "await() returned but a write made before set() was not visible")
    @State
    public static class SetThenAwait {
        static final TwoMappings M = mappings(SetThenAwait.class, RecycledObjects.SIZE);
        static final SharedBytes DATA_A = SharedBytes.create(M.a, "data", RecycledObjects.SIZE);
        static final SharedBytes DATA_B = SharedBytes.open(M.b, "data");
        static final RecycledObjects<Event> OBJECTS = new RecycledObjects<>(slot -> new Event(M, "e" + slot));

        final RecycledObjects.Lease<Event> event = OBJECTS.claim();
        int plain;

        public SetThenAwait() {
            event.item.a.clear();
            DATA_A.put(event.slot, (byte) 0);
        }

        @Actor
        public void setter() {
            plain = 1;
            DATA_A.put(event.slot, (byte) 1);
            event.item.a.set();
        }

        @Actor
        public void waiter(II_Result r) {
            Unchecked.run(event.item.b::await);
            r.r1 = plain;
            r.r2 = DATA_B.get(event.slot);
        }

        @Arbiter
        public void arbiter(II_Result r) {
            event.check();
        }
    }

    // ------------------------------------------------------------------ set vs. clear

    @JCStressTest
    @Description("A clear event; actor 1 set()s it (mapping A) while actor 2 clear()s it and then reads isSet() "
            + "(mapping B); the arbiter reads isSet() at the end. The final state is the last change's: clear "
            + "if the clear came after the set, set if the set came after the clear. r1 = actor 2's isSet() right "
            + "after its clear(), r2 = isSet() at the end.")
    @Outcome(id = "false, false", expect = Expect.ACCEPTABLE, desc = "set, then clear: the event ends clear")
    @Outcome(id = "false, true", expect = Expect.ACCEPTABLE, desc = "clear (of a clear event), isSet, then set")
    @Outcome(id = "true, true", expect = Expect.ACCEPTABLE, desc = "clear (of a clear event), set, then isSet")
    @Outcome(expect = Expect.FORBIDDEN, desc = "actor 2 saw the set after its clear, yet the event ended clear "
            + "(a clear undone or a set lost)")
    @State
    public static class SetClearRace {
        static final TwoMappings M = mappings(SetClearRace.class, 0);
        static final RecycledObjects<Event> OBJECTS = new RecycledObjects<>(slot -> new Event(M, "e" + slot));

        final RecycledObjects.Lease<Event> event = OBJECTS.claim();

        public SetClearRace() {
            event.item.a.clear();
        }

        @Actor
        public void setter() {
            event.item.a.set();
        }

        @Actor
        public void clearer(ZZ_Result r) {
            event.item.b.clear();
            r.r1 = event.item.b.isSet();
        }

        @Arbiter
        public void arbiter(ZZ_Result r) {
            r.r2 = event.item.a.isSet();
            event.check();
        }
    }

    // ------------------------------------------------------------------ wake-ups (termination)

    /** The event of a termination test: one per test, reused by the states one after the other. */
    static final class SingleEvent {
        final SharedEvent a;
        final SharedEvent b;
        /** The event's region through A, to read its sleeper count (EventDescriptor). */
        final ObjectRegion region;

        SingleEvent(Class<?> test) {
            TwoMappings m = TwoMappings.create(test, 1L << 20, 16);
            this.a = SharedEvent.create(m.a, "event");
            this.b = SharedEvent.open(m.b, "event");
            this.region = m.a.openObject("event", SyncKinds.EVENT);
        }

        /** @return threads asleep on the event (registered in its waiter count), any mapping */
        int sleepers() {
            return region.buffer().getIntVolatile(region.offset() + EventDescriptor.WAITERS_OFFSET);
        }
    }

    @JCStressTest(Mode.Termination)
    @Description("A thread blocked in await() on a clear event (mapping B) must wake when another thread set()s "
            + "it (mapping A): the set's futex wake must reach a sleeper on another mapping. Wait slices are "
            + "120 s here, so a lost wake-up hangs past jcstress's 30 s limit.")
    @Outcome(id = "TERMINATED", expect = Expect.ACCEPTABLE, desc = "the waiter returned")
    @Outcome(id = "STALE", expect = Expect.FORBIDDEN, desc = "the waiter never woke: lost wake-up")
    @Outcome(expect = Expect.FORBIDDEN, desc = "the waiter failed with an exception")
    @State
    public static class AwaitWokenBySet {
        static final SingleEvent EVENT = new SingleEvent(AwaitWokenBySet.class);

        public AwaitWokenBySet() {
            EVENT.a.clear();
        }

        @Actor
        public void waiter() throws InterruptedException {
            EVENT.b.await();
        }

        @Signal
        public void setter() {
            EVENT.a.set();
        }
    }

    @JCStressTest(Mode.Termination)
    @Description("As AwaitWokenBySet, with the timed await(1 h): it must return true when the event is set.")
    @Outcome(id = "TERMINATED", expect = Expect.ACCEPTABLE, desc = "the waiter returned true")
    @Outcome(id = "STALE", expect = Expect.FORBIDDEN, desc = "the waiter never woke: lost wake-up")
    @Outcome(expect = Expect.FORBIDDEN, desc = "the waiter failed, or await returned false")
    @State
    public static class TimedAwaitWokenBySet {
        static final SingleEvent EVENT = new SingleEvent(TimedAwaitWokenBySet.class);

        public TimedAwaitWokenBySet() {
            EVENT.a.clear();
        }

        @Actor
        public void waiter() throws InterruptedException {
            if (!EVENT.b.await(1, TimeUnit.HOURS)) {
                throw new IllegalStateException("await(1 h) returned false");
            }
        }

        @Signal
        public void setter() {
            EVENT.a.set();
        }
    }

    @JCStressTest(Mode.Termination)
    @Description("A thread blocked in await() (mapping B) must be released by set() immediately followed by "
            + "clear() (mapping A), although the event is clear again when it wakes (the set count in the "
            + "event's word tells it a set happened). The signaller first waits (at most 10 s) until the waiter "
            + "is registered as a sleeper, so the set and clear cannot both come before the await starts "
            + "(a waiter that starts after them rightly waits for the next set).")
    @Outcome(id = "TERMINATED", expect = Expect.ACCEPTABLE, desc = "the waiter was released")
    @Outcome(id = "STALE", expect = Expect.FORBIDDEN, desc = "the waiter stayed blocked: the set was missed")
    @Outcome(expect = Expect.FORBIDDEN, desc = "the waiter failed with an exception")
    @State
    public static class AwaitWokenBySetThenClear {
        static final SingleEvent EVENT = new SingleEvent(AwaitWokenBySetThenClear.class);

        public AwaitWokenBySetThenClear() {
            EVENT.a.clear();
        }

        @Actor
        public void waiter() throws InterruptedException {
            EVENT.b.await();
        }

        @Signal
        public void setter() {
            waitFor(() -> EVENT.sleepers() > 0);
            EVENT.a.set();
            EVENT.a.clear();
        }
    }
}
