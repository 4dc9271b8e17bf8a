package io.interproc.core.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PosixTest {
    @TempDir
    Path dir;

    @BeforeEach
    void supported() {
        assumeTrue(Posix.isSupported(), "POSIX calls need Linux on x86_64 or aarch64");
    }

    @Test
    void shouldMakeOfdLocksConflictBetweenDescriptorsOfOneProcess() throws Exception {
        Path file = Files.write(dir.resolve("f"), new byte[16]);
        int a = Posix.open(file.toString(), Posix.O_RDWR);
        int b = Posix.open(file.toString(), Posix.O_RDWR);
        try {
            assertTrue(Posix.tryLockExclusive(a, 3));
            assertFalse(Posix.tryLockExclusive(b, 3), "another description of the same process conflicts");
            assertTrue(Posix.tryLockExclusive(b, 4), "other bytes are free");
            assertTrue(Posix.isLockedExclusive(b, 3));
            assertFalse(Posix.isLockedExclusive(a, 3), "a description's own lock is no conflict");
            assertFalse(Posix.isLockedExclusive(b, 5));
            CompletableFuture<Void> waiter = CompletableFuture.runAsync(() -> {
                try {
                    Posix.awaitUnlocked(b, 3);
                } catch (Posix.PosixException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertFalse(waiter.isDone());
            Posix.close(a);
            a = -1;
            waiter.get(10, TimeUnit.SECONDS);
            assertFalse(Posix.isLockedExclusive(b, 3), "closing the description dropped its lock");
        } finally {
            if (a >= 0) {
                Posix.close(a);
            }
            Posix.close(b);
        }
    }

    @Test
    void shouldOpenAFifoWithoutBlockingAndSayItIsNotARegularFile() throws Exception {
        Path fifo = dir.resolve("fifo");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assumeTrue(mk.waitFor() == 0, "mkfifo");
        int fd = Posix.open(fifo.toString(), Posix.O_RDONLY);
        try {
            Posix.Stat st = Posix.fstat(fd);
            assertFalse(st.isRegularFile());
        } finally {
            Posix.close(fd);
        }
        Path file = Files.write(dir.resolve("g"), new byte[100]);
        fd = Posix.open(file.toString(), Posix.O_RDONLY);
        try {
            Posix.Stat st = Posix.fstat(fd);
            assertTrue(st.isRegularFile());
            assertEquals(100, st.size());
        } finally {
            Posix.close(fd);
        }
    }

    @Test
    void shouldRefuseASymbolicLink() throws Exception {
        Path file = Files.write(dir.resolve("h"), new byte[1]);
        Path link = Files.createSymbolicLink(dir.resolve("link"), file);
        Posix.PosixException e = assertThrows(Posix.PosixException.class,
                () -> Posix.open(link.toString(), Posix.O_RDONLY));
        assertEquals(Posix.ELOOP, e.errno());
    }
}
