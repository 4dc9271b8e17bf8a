package io.interproc.sync.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConditionDescriptorTest {
    @Test
    void shouldPlaceEveryFieldAtItsDocumentedOffset() {
        assertEquals(0, ConditionDescriptor.SEQUENCE_OFFSET);
        assertEquals(4, ConditionDescriptor.SLEEPERS_OFFSET);
        assertEquals(8, ConditionDescriptor.SIGNAL_WORD_OFFSET);
        assertEquals(16, ConditionDescriptor.UNSIGNALLED_OFFSET);
        assertEquals(20, ConditionDescriptor.LOCK_KIND_OFFSET);
        assertEquals(24, ConditionDescriptor.LOCK_OFFSET_OFFSET);
        assertEquals(128, ConditionDescriptor.SIZE);
    }

    @Test
    void shouldAlignTheFutexWordToFourAndTheSignalWordToEightBytes() {
        assertEquals(0, ConditionDescriptor.SEQUENCE_OFFSET % 4, "sequence is a futex word");
        assertEquals(0, ConditionDescriptor.SLEEPERS_OFFSET % 4);
        assertEquals(0, ConditionDescriptor.SIGNAL_WORD_OFFSET % 8, "signal word is CASed as a long");
        assertEquals(0, ConditionDescriptor.UNSIGNALLED_OFFSET % 4);
        assertEquals(0, ConditionDescriptor.LOCK_KIND_OFFSET % 4);
        assertEquals(0, ConditionDescriptor.LOCK_OFFSET_OFFSET % 4);
    }

    @Test
    void shouldNotOverlapFieldsAndStayOnOneLine() {
        assertTrue(ConditionDescriptor.UNSIGNALLED_OFFSET >= ConditionDescriptor.SIGNAL_WORD_OFFSET + 8);
        assertTrue(ConditionDescriptor.LOCK_OFFSET_OFFSET + 4 <= 128);
        assertEquals(0, ConditionDescriptor.SIZE % 128);
    }

    @Test
    void shouldPackEpochAndSignalsIntoOneWord() {
        long word = ConditionDescriptor.signalWord(0x7654_3210, 5);
        assertEquals(0x7654_3210, ConditionDescriptor.epoch(word));
        assertEquals(5, ConditionDescriptor.signals(word));
        assertEquals(4, ConditionDescriptor.signals(word - 1), "a waiter takes a signal with word - 1");
        assertEquals(0x7654_3210, ConditionDescriptor.epoch(word - 1));
        long wrapped = ConditionDescriptor.signalWord(-1, 0);
        assertEquals(-1, ConditionDescriptor.epoch(wrapped));
        assertEquals(0, ConditionDescriptor.epoch(ConditionDescriptor.signalWord(-1 + 1, 0)));
    }
}
