package io.interproc.redis;

import io.interproc.core.shared.Barrier;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.redisson.api.RMap;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * {@code Context.barrier} on Redis (Redisson has none): a hash of {@code parties},
 * {@code gen} (generation), {@code count} (arrived in it) and {@code broken}, changed only by Lua
 * scripts. The last arrival records the generation's outcome ({@code T}, tripped) under
 * {@code <key>:o:<gen>} for an hour, starts the next generation and publishes; a reset records
 * {@code B} for a generation with waiters. Waiters read their generation's status on every
 * wake-up. A party whose process dies while waiting is not detected (unlike locally, where a dead
 * party breaks the barrier): the others wait until their timeout, which then breaks it.
 */
final class RedisBarrier implements Barrier {
    private static final String OUTCOME_TTL_MILLIS = "3600000";
    private static final String CREATE = "if redis.call('exists', KEYS[1]) == 0 then redis.call('hset', KEYS[1],"
            + " 'parties', ARGV[1], 'gen', 0, 'count', 0, 'broken', 0) end;"
            + " return tonumber(redis.call('hget', KEYS[1], 'parties'))";
    private static final String ARRIVE = "local h = KEYS[1];"
            + " if redis.call('hget', h, 'broken') == '1' then return 'B' end;"
            + " local p = tonumber(redis.call('hget', h, 'parties')); local g = redis.call('hget', h, 'gen');"
            + " local index = p - redis.call('hincrby', h, 'count', 1);"
            + " if index == 0 then redis.call('set', h .. ':o:' .. g, 'T', 'px', ARGV[2]);"
            + "  redis.call('hset', h, 'count', 0, 'gen', tonumber(g) + 1); redis.call('publish', ARGV[1], 'T') end;"
            + " return index .. ':' .. g";
    private static final String STATUS_OF = " local cur = redis.call('hget', h, 'gen');"
            + " if cur == ARGV[1] then if redis.call('hget', h, 'broken') == '1' then return 'B' end; return 'W' end;"
            + " return redis.call('get', h .. ':o:' .. ARGV[1]) or 'B'";
    private static final String STATUS = "local h = KEYS[1];" + STATUS_OF;
    /** Breaks generation ARGV[1] if it is current and unbroken; then its status. */
    private static final String BREAK = "local h = KEYS[1];"
            + " if redis.call('hget', h, 'gen') == ARGV[1] and redis.call('hget', h, 'broken') == '0' then"
            + " redis.call('hset', h, 'broken', 1); redis.call('publish', ARGV[2], 'B') end;" + STATUS_OF;
    private static final String ABORT = "if redis.call('hget', KEYS[1], 'broken') == '0' then"
            + " redis.call('hset', KEYS[1], 'broken', 1); redis.call('publish', ARGV[1], 'B') end; return 1";
    private static final String RESET = "local h = KEYS[1]; local g = redis.call('hget', h, 'gen');"
            + " if tonumber(redis.call('hget', h, 'count')) > 0 or redis.call('hget', h, 'broken') == '1' then"
            + " redis.call('set', h .. ':o:' .. g, 'B', 'px', ARGV[2]) end;"
            + " redis.call('hset', h, 'gen', tonumber(g) + 1, 'count', 0, 'broken', 0);"
            + " redis.call('publish', ARGV[1], 'R'); return 1";

    private final String name;
    private final String key;
    private final Lua lua;
    private final RMap<String, String> state;
    private final Wakeups.Channel channel;
    private final int parties;

    RedisBarrier(String name, String key, int parties, RedissonClient client, Lua lua, Wakeups wakeups) {
        if (parties < 1) {
            throw new IllegalArgumentException("barrier '" + name + "': parties must be >= 1, was " + parties);
        }
        this.name = name;
        this.key = key;
        this.lua = lua;
        this.state = client.getMap(key, StringCodec.INSTANCE);
        this.channel = wakeups.channel(key + ":wake");
        this.parties = (int) lua.integer(CREATE, List.of(key), parties);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int parties() {
        return parties;
    }

    @Override
    public boolean isBroken() {
        return "1".equals(state.get("broken"));
    }

    @Override
    public int numberWaiting() {
        if (isBroken()) {
            return 0;
        }
        String c = state.get("count");
        return c == null ? 0 : Integer.parseInt(c);
    }

    @Override
    public int await() throws InterruptedException, BrokenBarrierException {
        try {
            return doAwait(Long.MAX_VALUE, true);
        } catch (TimeoutException impossible) {
            throw new AssertionError(impossible);
        }
    }

    @Override
    public int await(long timeout, TimeUnit unit) throws InterruptedException, BrokenBarrierException, TimeoutException {
        return doAwait(unit.toNanos(timeout), false);
    }

    @Override
    public int await(Duration timeout) throws InterruptedException, BrokenBarrierException, TimeoutException {
        return doAwait(RedisPermits.saturatedNanos(timeout), false);
    }

    private int doAwait(long nanos, boolean forever)
            throws InterruptedException, BrokenBarrierException, TimeoutException {
        if (Thread.interrupted()) {
            abort();
            throw new InterruptedException("interrupted before waiting at barrier '" + name + "' (it is now broken)");
        }
        long deadline = System.nanoTime() + nanos;
        String arrival = lua.string(ARRIVE, List.of(key), channel.name(), OUTCOME_TTL_MILLIS);
        if ("B".equals(arrival)) {
            throw broken();
        }
        int colon = arrival.indexOf(':');
        int index = Integer.parseInt(arrival.substring(0, colon));
        String generation = arrival.substring(colon + 1);
        if (index == 0) {
            return 0;
        }
        while (true) {
            long seen = channel.generation();
            String status = lua.string(STATUS, List.of(key), generation);
            if ("T".equals(status)) {
                return index;
            }
            if ("B".equals(status)) {
                throw broken();
            }
            long left = forever ? Long.MAX_VALUE : deadline - System.nanoTime();
            if (left <= 0) {
                if ("T".equals(lua.string(BREAK, List.of(key), generation, channel.name()))) {
                    return index;
                }
                throw new TimeoutException("barrier '" + name + "' on Redis: timed out after " + nanos
                        + " ns with " + parties + " parties (it is now broken)");
            }
            try {
                channel.awaitAfter(seen, left);
            } catch (InterruptedException ie) {
                if ("T".equals(lua.string(BREAK, List.of(key), generation, channel.name()))) {
                    Thread.currentThread().interrupt();
                    return index;
                }
                throw ie;
            }
        }
    }

    private BrokenBarrierException broken() {
        return new BrokenBarrierException("barrier '" + name + "' on Redis is broken (a party timed out, was"
                + " interrupted or aborted, or it was reset)");
    }

    @Override
    public void reset() {
        lua.integer(RESET, List.of(key), channel.name(), OUTCOME_TTL_MILLIS);
    }

    @Override
    public void abort() {
        lua.integer(ABORT, List.of(key), channel.name());
    }

    @Override
    public String toString() {
        return "barrier '" + name + "' on Redis [key=" + key + ", parties=" + parties + "]";
    }
}
