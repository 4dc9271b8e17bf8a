package io.interproc.redis;

import java.util.List;

import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/** Runs the Lua scripts of this module: every key a script touches shares one hash tag (one cluster slot). */
final class Lua {
    private final RScript script;

    Lua(RedissonClient client) {
        this.script = client.getScript(StringCodec.INSTANCE);
    }

    /** @return the script's integer result */
    long integer(String source, List<Object> keys, Object... args) {
        Long r = script.eval(RScript.Mode.READ_WRITE, source, RScript.ReturnType.INTEGER, keys, strings(args));
        return r == null ? 0 : r;
    }

    /** @return the script's status or bulk-string result, null for nil */
    String string(String source, List<Object> keys, Object... args) {
        return script.eval(RScript.Mode.READ_WRITE, source, RScript.ReturnType.VALUE, keys, strings(args));
    }

    private static Object[] strings(Object[] args) {
        Object[] s = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            s[i] = String.valueOf(args[i]);
        }
        return s;
    }
}
