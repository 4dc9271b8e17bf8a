package io.interproc.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.util.ArrayList;

import org.junit.jupiter.api.Test;

class CodecTest {
    record Order(String id, long qty) implements Serializable {
    }

    @Test
    void shouldRoundTripBuiltins() {
        byte[] raw = {1, 2, 3};
        assertArrayEquals(new byte[] {2, 3}, Codec.bytes().decode(raw, 1, 2));
        String s = "héllo ☃";
        byte[] enc = Codec.utf8().encode(s);
        assertEquals(s, Codec.utf8().decode(enc, 0, enc.length));
        byte[] l = Codec.longs().encode(-42L);
        assertEquals(8, l.length);
        assertEquals(-42L, Codec.longs().decode(l, 0, 8));
    }

    @Test
    void shouldRejectBadInputWithCodecException() {
        CodecException e = assertThrows(CodecException.class,
                () -> Codec.utf8().decode(new byte[] {(byte) 0xC3, (byte) 0x28}, 0, 2));
        assertEquals("malformed UTF-8: length=2", e.getMessage());
        e = assertThrows(CodecException.class, () -> Codec.longs().decode(new byte[3], 0, 3));
        assertEquals("Codec.longs() needs 8 bytes: length=3", e.getMessage());
        e = assertThrows(CodecException.class, () -> Codec.longs().encode(null));
        assertEquals("Codec.longs() cannot encode null", e.getMessage());
    }

    @Test
    void shouldSerializeOnlyAllowedClasses() {
        Codec<Order> codec = Codec.serializable(Order.class.getName());
        byte[] bytes = codec.encode(new Order("a1", 5));
        assertEquals(new Order("a1", 5), codec.decode(bytes, 0, bytes.length));

        Codec<ArrayList<String>> lists = Codec.serializable("java.util.ArrayList");
        ArrayList<String> list = new ArrayList<>();
        list.add("x");
        byte[] listBytes = lists.encode(list);
        // A codec whose allow-list lacks ArrayList refuses to instantiate it.
        CodecException e = assertThrows(CodecException.class, () -> codec.decode(listBytes, 0, listBytes.length));
        assertEquals("cannot deserialize " + listBytes.length + " bytes with filter '" + Order.class.getName()
                + ";!*': class not allowed: class=java.util.ArrayList (filter status: REJECTED)", e.getMessage());
        assertThrows(CodecException.class, () -> codec.decode(new byte[] {1, 2, 3}, 0, 3));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, Codec::serializable);
        assertEquals("Codec.serializable needs at least one allowed class pattern", none.getMessage());
    }
}
