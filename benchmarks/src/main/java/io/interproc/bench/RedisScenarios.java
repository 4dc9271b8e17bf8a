package io.interproc.bench;

import io.interproc.redis.LocalRedisServer;

import java.util.List;

/**
 * The scenarios on Redis (issue 17): the lock hand-off and the 1→1 queue of the local catalogue,
 * run through a {@code Context} on a {@code redis-server} this class starts on loopback (and
 * stops), so that the report shows what leaving shared memory costs. Without a
 * {@code redis-server} binary the figures are reported missing, with that reason.
 */
final class RedisScenarios {
    private final JvmRuns jvm;
    private final Workspace workspace;

    RedisScenarios(JvmRuns jvm, Workspace workspace) {
        this.jvm = jvm;
        this.workspace = workspace;
    }

    Scenario lockHandoff() throws Exception {
        String impl = "interproc Context.lock on Redis (RLock)";
        Figure ours = withServer(impl, (address, ns) -> jvm.throughput(impl,
                "2 JVMs: lock(); unlock() through Redisson on a loopback redis-server", s -> { },
                List.of(PeerSpec.of(RedisPeer.class, "lock", 0, address, ns),
                        PeerSpec.of(RedisPeer.class, "lock", 1, address, ns)), 0, 2, true));
        return new Scenario("redis-lock-handoff", "lock hand-off, 2 processes, on Redis (loopback)", "ops/s", true,
                ours, List.of());
    }

    Scenario queueOneToOne() throws Exception {
        String impl = "interproc Context.queue on Redis (RBlockingQueue)";
        Figure ours = withServer(impl, (address, ns) -> jvm.throughput(impl,
                "put -> take, 8 B, through Redisson on a loopback redis-server", s -> { },
                List.of(PeerSpec.of(RedisPeer.class, "queue-producer", 0, address, ns, 8),
                        PeerSpec.of(RedisPeer.class, "queue-consumer", 1, address, ns)), 1, 2, false));
        return new Scenario("redis-queue-1to1-8B", "queue 1→1, 8 B messages, on Redis (loopback)", "msg/s", true,
                ours, List.of());
    }

    @FunctionalInterface
    private interface Run {
        Figure run(String address, String namespace) throws Exception;
    }

    private Figure withServer(String impl, Run run) throws Exception {
        if (LocalRedisServer.binary().isEmpty()) {
            return Figure.missing(impl, "no redis-server binary (Debian: apt-get install redis-server)");
        }
        try (LocalRedisServer server = LocalRedisServer.start()) {
            return run.run(server.address(), workspace.newSegmentName());
        }
    }
}
