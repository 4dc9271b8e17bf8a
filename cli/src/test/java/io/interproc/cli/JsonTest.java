package io.interproc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void shouldWriteScalarsAndEscapeStrings() {
        assertEquals("null", Json.write(null, false));
        assertEquals("true", Json.write(true, false));
        assertEquals("42", Json.write(42, false));
        assertEquals("-7", Json.write(-7L, false));
        assertEquals("0.5", Json.write(0.5, false));
        assertEquals("\"NaN\"", Json.write(Double.NaN, false));
        assertEquals("\"Infinity\"", Json.write(Double.POSITIVE_INFINITY, false));
        assertEquals("\"a\\\"b\\\\c\\nd\\te\\u0001\\u2028\"", Json.write("a\"b\\c\nd\te\u0001\u2028", false));
        assertEquals("\"pid 1 (alive)\"", Json.write("pid 1 (alive)", false));
    }

    @Test
    void shouldWriteMapsInOrderAndListsCompactOrPretty() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("z", 1);
        m.put("a", List.of(1, "x", false));
        m.put("empty", Map.of());
        m.put("none", List.of());
        assertEquals("{\"z\":1,\"a\":[1,\"x\",false],\"empty\":{},\"none\":[]}", Json.write(m, false));
        assertEquals("{\n  \"z\": 1,\n  \"a\": [\n    1,\n    \"x\",\n    false\n  ],\n  \"empty\": {},\n  \"none\": []\n}",
                Json.write(m, true));
    }

    @Test
    void shouldRoundTripThroughAParser() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "q\"uote\\d \u00e9 \u0007");
        m.put("count", 12L);
        m.put("ratio", 0.25);
        m.put("flag", false);
        m.put("missing", null);
        m.put("list", new ArrayList<>(Arrays.asList(1L, "two", null, List.of(3L))));
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("k", "v");
        m.put("nested", nested);
        assertEquals(m, MiniJson.parse(Json.write(m, true)));
        assertEquals(m, MiniJson.parse(Json.write(m, false)));
    }
}
