package io.interproc.examples;

import io.interproc.cli.args.ArgParser;
import io.interproc.cli.args.ParsedArgs;
import io.interproc.core.Segment;
import io.interproc.core.SharedLong;
import io.interproc.process.JvmProcess;
import io.interproc.sync.SharedLock;

/**
 * A lock whose holder is killed: a child JVM takes a {@link SharedLock} and hangs on to it; this
 * JVM waits for the lock, kills the child with SIGKILL ({@code kill -9}), and recovers the lock
 * within about one wait slice — then shows that it can tell it recovered it.
 */
public final class LockRecoveryDemo {
    private LockRecoveryDemo() {
    }

    /** The command line: {@code lock-recovery}, no options. */
    static final ArgParser ARGS = new ArgParser("lock-recovery", "lock-recovery").help();

    /**
     * @param args none
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        ARGS.parseOrExit(args, a -> a);
        String name = "demo-recovery-" + ProcessHandle.current().pid();
        try (Segment segment = Segment.create(name, 1 << 20)) {
            try {
                SharedLock lock = SharedLock.create(segment, "lock");
                SharedLong holding = SharedLong.create(segment, "holding");
                try (JvmProcess holder = JvmProcess.builder(Holder.class).args(name).start()) {
                    while (holding.get() == 0) {
                        Thread.sleep(10);
                    }
                    System.out.printf("child pid %d holds the lock (holderPid=%d); tryLock() -> %b%n",
                            holder.pid(), lock.holderPid(), lock.tryLock());
                    holder.kill();
                    long killedAt = System.nanoTime();
                    System.out.printf("killed pid %d with SIGKILL; waiting in lock()...%n", holder.pid());
                    lock.lock();
                    try {
                        System.out.printf("acquired %.0f ms after the kill: lockRecovered()=%b, recoveries()=%d%n",
                                (System.nanoTime() - killedAt) / 1e6, lock.lockRecovered(), lock.recoveries());
                    } finally {
                        lock.unlock();
                    }
                }
            } finally {
                segment.unlink();
            }
        }
    }

    /** Takes the lock and never lets go. Args: segment. */
    public static final class Holder {
        private Holder() {
        }

        /**
         * @param args segment
         * @throws InterruptedException never in practice: it is killed
         */
        public static void main(String[] args) throws InterruptedException {
            Segment segment = Segment.open(args[0]);
            SharedLock.open(segment, "lock").lock();
            SharedLong.open(segment, "holding").set(ProcessHandle.current().pid());
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
